//! Which planned files a render writes: all of them for a build; for `serve`, what a change
//! touched.

use std::collections::HashSet;

use super::{Kind, Plan, Planned};
use crate::content::Site;

/// A filter over the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Site paths (`/aws/lambda/`) of the pages and sections to render; `None` renders all.
    pub pages: Option<HashSet<String>>,
    /// Taxonomy and term pages, the 404 page, alias redirects and the generated pages (search,
    /// playground, practice).
    pub lists: bool,
    /// The Atom feed.
    pub feed: bool,
    /// The sitemap and robots.txt.
    pub sitemap: bool,
    /// Theme and site static files, generated stylesheets and content assets.
    pub files: bool,
}

impl Selection {
    /// Every file of the site.
    pub fn all() -> Selection {
        Selection {
            pages: None,
            lists: true,
            feed: true,
            sitemap: true,
            files: true,
        }
    }

    /// Nothing at all.
    pub fn none() -> Selection {
        Selection {
            pages: Some(HashSet::new()),
            lists: false,
            feed: false,
            sitemap: false,
            files: false,
        }
    }

    /// The rendered files (all but copied ones) whose template is one of `templates`.
    pub fn using(plan: &Plan, templates: &HashSet<&str>) -> Selection {
        let mut selection = Selection::none();
        let users = plan.entries.iter().filter(|entry| {
            entry
                .template
                .as_deref()
                .is_some_and(|t| templates.contains(t))
        });
        for entry in users {
            match group(entry.kind) {
                Group::Page => {
                    if let Some(pages) = &mut selection.pages {
                        pages.insert(entry.url.clone());
                    }
                }
                Group::List => selection.lists = true,
                Group::Feed => selection.feed = true,
                Group::Sitemap => selection.sitemap = true,
                Group::Files | Group::Apart => {}
            }
        }
        selection
    }

    /// Adds what `other` selects.
    pub fn extend(&mut self, other: &Selection) {
        self.pages = match (self.pages.take(), &other.pages) {
            (Some(mut mine), Some(theirs)) => {
                mine.extend(theirs.iter().cloned());
                Some(mine)
            }
            _ => None,
        };
        self.lists |= other.lists;
        self.feed |= other.feed;
        self.sitemap |= other.sitemap;
        self.files |= other.files;
    }

    /// Whether the planned file `entry` of `site` is selected.
    pub fn selects(&self, site: &Site, entry: &Planned) -> bool {
        match group(entry.kind) {
            Group::Page => {
                let Kind::Page(index) = entry.kind else {
                    return false;
                };
                let path = &site.pages[index].path;
                self.pages.as_ref().is_none_or(|pages| pages.contains(path))
            }
            Group::List => self.lists,
            Group::Feed => self.feed,
            Group::Sitemap => self.sitemap,
            Group::Files => self.files,
            Group::Apart => false,
        }
    }
}

/// The part of a selection that decides whether a kind of file is selected.
enum Group {
    Page,
    List,
    Feed,
    Sitemap,
    Files,
    /// Written by its own module (the search index, the practice data), never by the renderer.
    Apart,
}

fn group(kind: Kind) -> Group {
    match kind {
        Kind::Page(_) => Group::Page,
        Kind::TaxonomyList(_)
        | Kind::Term { .. }
        | Kind::Alias(_)
        | Kind::NotFound
        | Kind::Search
        | Kind::Playground
        | Kind::Practice => Group::List,
        Kind::Feed => Group::Feed,
        Kind::Sitemap | Kind::Robots => Group::Sitemap,
        Kind::SyntaxCss | Kind::DiagramCss | Kind::Asset(_) | Kind::Static(_) => Group::Files,
        Kind::SearchIndex | Kind::PracticeData => Group::Apart,
    }
}
