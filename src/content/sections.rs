//! The section tree and the order of pages within a section.

use std::cmp::Reverse;

use super::frontmatter::Date;
use super::{Page, PageKind};

/// A section: its own page, its parent and children, and its pages in reading order.
#[derive(Debug, Clone)]
pub struct Section {
    /// Index of the section's own page in `Site::pages`.
    pub page: usize,
    pub parent: Option<usize>,
    /// Indexes into `Site::sections`, ordered like pages.
    pub subsections: Vec<usize>,
    /// Indexes into `Site::pages` of the direct pages, in reading order.
    pub pages: Vec<usize>,
}

/// The key of reading order: `weight` ascending (pages without weight last), then newest
/// `date` first, then the path made of the file names, as notes number their files
/// (`01-intro.md`), compared naturally (`chapter_2` before `chapter_10`). Sort with
/// `sort_by_cached_key` so the key is built once per page.
pub fn reading_key(page: &Page) -> ReadingKey {
    (
        page.meta.weight.is_none(),
        page.meta.weight.unwrap_or(0),
        Reverse(page.meta.date),
        crate::slug::natural_key(&page.path),
    )
}

/// What [`reading_key`] returns.
pub type ReadingKey = (bool, i64, Reverse<Option<Date>>, String);

/// Builds the trees from page paths: a page belongs to the section of its language whose path
/// is the longest prefix of its own.
pub fn build(pages: &[Page]) -> Vec<Section> {
    let section_pages: Vec<usize> = (0..pages.len())
        .filter(|&i| pages[i].kind == PageKind::Section)
        .collect();
    let mut sections: Vec<Section> = section_pages
        .iter()
        .map(|&page| Section {
            page,
            parent: None,
            subsections: Vec::new(),
            pages: Vec::new(),
        })
        .collect();
    // Each language is a tree of its own: its home (`/fr/`) has no parent.
    let owner = |page: &Page| -> Option<usize> {
        if page.is_language_home() {
            return None;
        }
        let mut candidate = parent_of(&page.path)?;
        loop {
            if let Some(pos) = section_pages
                .iter()
                .position(|&i| pages[i].path == candidate && pages[i].lang == page.lang)
            {
                return Some(pos);
            }
            candidate = parent_of(&candidate)?;
        }
    };
    for (index, page) in pages.iter().enumerate() {
        let Some(parent) = owner(page) else {
            continue;
        };
        match page.kind {
            PageKind::Section => {
                let me = section_pages
                    .iter()
                    .position(|&i| i == index)
                    .expect("section page is listed");
                sections[me].parent = Some(parent);
                sections[parent].subsections.push(me);
            }
            PageKind::Page => sections[parent].pages.push(index),
        }
    }
    for section in &mut sections {
        section
            .pages
            .sort_by_cached_key(|&i| reading_key(&pages[i]));
    }
    let order: Vec<Vec<usize>> = sections
        .iter()
        .map(|s| {
            let mut subs = s.subsections.clone();
            subs.sort_by_cached_key(|&s| reading_key(&pages[section_pages[s]]));
            subs
        })
        .collect();
    for (section, subs) in sections.iter_mut().zip(order) {
        section.subsections = subs;
    }
    sections
}

/// `/a/b/` -> `/a/`, `/a/` -> `/`, `/` -> none.
fn parent_of(path: &str) -> Option<String> {
    if path == "/" {
        return None;
    }
    let trimmed = path.trim_end_matches('/');
    let cut = trimmed.rfind('/')?;
    Some(trimmed[..=cut].to_string())
}

#[cfg(test)]
mod tests {
    use super::parent_of;

    #[test]
    fn parents() {
        assert_eq!(parent_of("/a/b/").as_deref(), Some("/a/"));
        assert_eq!(parent_of("/a/").as_deref(), Some("/"));
        assert_eq!(parent_of("/"), None);
    }
}
