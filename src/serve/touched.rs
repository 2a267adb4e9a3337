//! Which outputs a change of content touched. A page's own HTML shows its text, but other
//! outputs show only a little of it (title, description, dates, place in its section, terms):
//! an edit of the text re-renders the page and the feeds, an edit of what lists show
//! re-renders its section and the lists too, and a change of the site's shape (a page, term,
//! alias or file appears or goes) re-renders everything.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::content::{PageKind, Site, listing_key};
use crate::plan::{Plan, Selection};
use crate::render::feeds;

/// What the outputs of other pages show of each page, and which outputs exist.
#[derive(Debug, PartialEq, Eq)]
pub struct Shape {
    /// Every output file that something of the site claims (its plan but the static files),
    /// sorted.
    outputs: Vec<String>,
    /// Every term's path and the name it is shown with (the spelling most of its pages use),
    /// which every page of the term shows.
    terms: Vec<(String, String)>,
    /// Site path -> fingerprint of what lists, navigation and feeds show of the page, and the
    /// file it comes from (a section's `_index.md` or its bare folder).
    listed: HashMap<String, (u64, PathBuf)>,
}

impl Shape {
    /// The shape of `site` as loaded now, whose plan is `plan`.
    pub fn of(site: &Site, plan: &Plan) -> Shape {
        let outputs = plan.claimed_files();
        let listed = site
            .pages
            .iter()
            .map(|page| (page.path.clone(), (listing_key(page), page.file.clone())))
            .collect();
        let terms = site
            .taxonomies
            .iter()
            .flat_map(|t| {
                t.terms
                    .iter()
                    .map(|term| (term.path.clone(), term.name.clone()))
            })
            .collect();
        Shape {
            outputs,
            terms,
            listed,
        }
    }

    /// What to render again to go from `self` to `after`, the shape of `site` now, when the
    /// Markdown of the pages at `rendered` was rendered again; `plan` is the plan of `site`.
    pub fn touched(
        &self,
        after: &Shape,
        rendered: &HashSet<String>,
        site: &Site,
        plan: &Plan,
    ) -> Selection {
        if self.outputs != after.outputs || self.terms != after.terms {
            return Selection::all();
        }
        let relisted: Vec<&String> = after
            .listed
            .iter()
            .filter(|(path, key)| self.listed.get(*path) != Some(key))
            .map(|(path, _)| path)
            .collect();
        if relisted.is_empty() && rendered.is_empty() {
            return Selection::none();
        }
        let mut pages: HashSet<String> = rendered.clone();
        let index: HashMap<&str, usize> = site
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| (p.path.as_str(), i))
            .collect();
        for path in &relisted {
            let Some(&at) = index.get(path.as_str()) else {
                return Selection::all();
            };
            if site.pages[at].kind == PageKind::Section {
                // Its title is in breadcrumbs and navigation below it, and maybe in the header.
                return Selection::all();
            }
            pages.insert((*path).clone());
            // Its section lists it, and every page of the section shows it in the sidebar and
            // as previous or next.
            if let Some(section) = site.sections.iter().find(|s| s.pages.contains(&at)) {
                pages.insert(site.pages[section.page].path.clone());
                pages.extend(section.pages.iter().map(|&i| site.pages[i].path.clone()));
            }
        }
        Selection {
            pages: Some(pages),
            lists: !relisted.is_empty(),
            feed: !relisted.is_empty() || in_feed(site, plan, rendered),
            sitemap: !relisted.is_empty(),
            files: false,
        }
    }
}

/// What to render again after the Markdown of the pages at `rendered` was rendered again and
/// nothing other outputs show of them changed: those pages, and the feed if it holds one.
pub fn rendered_only(site: &Site, plan: &Plan, rendered: &HashSet<String>) -> Selection {
    Selection {
        pages: Some(rendered.clone()),
        feed: in_feed(site, plan, rendered),
        ..Selection::none()
    }
}

/// Whether the Atom feed (which holds whole pages) shows one of the pages at `paths`.
fn in_feed(site: &Site, plan: &Plan, paths: &HashSet<String>) -> bool {
    feeds::feed_pages(site, plan)
        .iter()
        .any(|page| paths.contains(&page.path))
}
