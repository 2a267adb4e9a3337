//! Which outputs a change of content touched. A page's own HTML shows its text, but other
//! outputs show only a little of it (title, description, dates, place in its section, terms):
//! an edit of the text re-renders the page and the feeds, an edit of what lists show
//! re-renders its section and the lists too, and a change of the site's shape (a page, term,
//! alias or file appears or goes) re-renders everything.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::content::outputs;
use crate::content::{PageKind, Site, listing_key};
use crate::render::{Selection, feeds};

/// What the outputs of other pages show of each page, and which outputs exist.
#[derive(Debug, PartialEq, Eq)]
pub struct Shape {
    /// Every output file the site's pages, terms, aliases and assets make, sorted.
    outputs: Vec<String>,
    /// Every term's path and the name it is shown with (the spelling most of its pages use),
    /// which every page of the term shows.
    terms: Vec<(String, String)>,
    /// Site path -> fingerprint of what lists, navigation and feeds show of the page, and the
    /// file it comes from (a section's `_index.md` or its bare folder).
    listed: HashMap<String, (u64, PathBuf)>,
}

impl Shape {
    /// The shape of `site` as loaded now.
    pub fn of(site: &Site) -> Shape {
        let mut outputs = outputs::all(site);
        outputs.sort();
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
    /// Markdown of the pages at `rendered` was rendered again.
    pub fn touched(&self, after: &Shape, rendered: &HashSet<String>, site: &Site) -> Selection {
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
            feed: !relisted.is_empty() || in_feed(site, rendered),
            sitemap: !relisted.is_empty(),
            files: false,
        }
    }
}

/// What to render again after the Markdown of the pages at `rendered` was rendered again and
/// nothing other outputs show of them changed: those pages, and the feed if it holds one.
pub fn rendered_only(site: &Site, rendered: &HashSet<String>) -> Selection {
    Selection {
        pages: Some(rendered.clone()),
        feed: in_feed(site, rendered),
        ..Selection::none()
    }
}

/// Whether the Atom feed (which holds whole pages) shows one of the pages at `paths`.
fn in_feed(site: &Site, paths: &HashSet<String>) -> bool {
    feeds::feed_pages(site)
        .iter()
        .any(|page| paths.contains(&page.path))
}
