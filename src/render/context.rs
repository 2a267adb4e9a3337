//! What templates see: plain serialisable views of the site model, computed once per page.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::config::Config;
use crate::content::{Page, PageKind, Site};
use crate::markdown::TocEntry;
use crate::plan::{Kind, Plan};

/// `site` in every template.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    /// `/` or `/kb/`: prefix for links to the site's own files.
    pub base_path: String,
    pub language: &'a str,
    pub author: &'a str,
    /// Link to the Atom feed, or null when feeds are off.
    pub feed: Option<String>,
    /// Link to the sitemap, or null when `base_url` is not a full URL.
    pub sitemap: Option<String>,
    /// Link to the search page, or null when `search = false`: the header shows the search
    /// box only when there is an index to search.
    pub search: Option<String>,
    /// Link to the state machine playground, or null when `playground = false`.
    pub playground: Option<String>,
    /// Link to the practice page, or null when `practice = false`.
    pub practice: Option<String>,
    pub taxonomies: Vec<TaxonomyLink>,
    pub extra: &'a Map<String, Value>,
}

/// A taxonomy as a link in the header.
#[derive(Serialize)]
pub struct TaxonomyLink {
    pub name: String,
    pub title: String,
    pub path: String,
}

/// A link to a page with the few facts lists need.
#[derive(Serialize, Clone)]
pub struct PageLink {
    pub title: String,
    pub path: String,
    pub description: String,
    pub date: String,
    pub date_display: String,
    pub current: bool,
}

/// A term as a link.
#[derive(Serialize)]
pub struct TermLink {
    pub name: String,
    pub path: String,
}

/// The terms of one taxonomy on a page.
#[derive(Serialize)]
pub struct PageTerms {
    pub name: String,
    pub title: String,
    pub terms: Vec<TermLink>,
}

/// A breadcrumb or previous/next link.
#[derive(Serialize)]
pub struct Crumb {
    pub title: String,
    pub path: String,
}

/// `page` in page and section templates.
#[derive(Serialize)]
pub struct PageView<'a> {
    pub kind: &'static str,
    pub title: String,
    pub description: &'a str,
    /// Description, else the start of the text: for `<meta name="description">`.
    pub summary: String,
    pub path: String,
    pub permalink: String,
    pub date: String,
    pub date_display: String,
    pub updated: String,
    pub updated_display: String,
    pub weight: Option<i64>,
    pub word_count: usize,
    pub reading_time: usize,
    pub toc: &'a [TocEntry],
    pub show_toc: bool,
    pub content: String,
    pub extra: &'a Map<String, Value>,
    pub taxonomies: Vec<PageTerms>,
    pub ancestors: Vec<Crumb>,
    pub previous: Option<Crumb>,
    pub next: Option<Crumb>,
    /// Sections only: the direct pages and subsections.
    pub pages: Vec<PageLink>,
    pub subsections: Vec<PageLink>,
    /// The page's language (its `lang` attribute).
    pub lang: String,
    /// The href of the home page of the page's language (`/fr/` in the French tree).
    pub home: String,
    /// The same page in the site's other languages (`page.fr.md` beside `page.md`).
    pub translations: Vec<Translation>,
}

/// A link to a page's version in another language.
#[derive(Serialize)]
pub struct Translation {
    /// The language code, for `hreflang` and `lang`.
    pub lang: String,
    pub title: String,
    pub path: String,
}

/// The sidebar and header navigation for one page.
#[derive(Serialize)]
pub struct NavView {
    pub top: Vec<NavTop>,
    pub section: Option<NavSection>,
    /// The whole section tree for the sidebar, flattened so a template needs no recursion.
    pub tree: Vec<NavItem>,
    /// On a taxonomy's list and term pages, its name: the header marks its entry.
    pub taxonomy: Option<String>,
}

/// One step of the flattened section tree: `open` starts a section (its `<details>`, `open`
/// when the current page is inside it), `page` is a link (the section's own page first), `more`
/// links to a section whose pages are not all listed (a closed branch lists none), `close` ends
/// the section.
#[derive(Serialize)]
pub struct NavItem {
    pub kind: &'static str,
    pub title: String,
    pub path: String,
    pub current: bool,
    pub open: bool,
    pub more: usize,
}

/// A top-level section in the header.
#[derive(Serialize)]
pub struct NavTop {
    pub title: String,
    pub path: String,
    pub active: bool,
}

/// The current section in the sidebar.
#[derive(Serialize)]
pub struct NavSection {
    pub title: String,
    pub path: String,
    pub current: bool,
    pub subsections: Vec<PageLink>,
    pub pages: Vec<PageLink>,
    /// Pages left out because of `theme.sidebar_max_pages`.
    pub more: usize,
}

/// Builds views over a loaded site. Every path it produces includes the base path.
pub struct Views<'a> {
    pub site: &'a Site,
    pub base_path: String,
    /// Section index of each page's parent section; `None` for the home page.
    parent: Vec<Option<usize>>,
    /// Section index of each section page.
    section_of_page: Vec<Option<usize>>,
    /// Each language's reading order (home, then each section's page, its subsections, its
    /// pages, depth first, as the sidebar lists them) and each page's place in its own.
    reading_orders: Vec<Vec<usize>>,
    place: Vec<Option<(usize, usize)>>,
    /// The root section of each language (its home page's): the site's first.
    roots: Vec<(Option<String>, usize)>,
    /// The pages of each page's translation group (itself included), by page index.
    translations: HashMap<PathBuf, Vec<usize>>,
}

impl<'a> Views<'a> {
    pub fn new(site: &'a Site) -> Views<'a> {
        let mut parent = vec![None; site.pages.len()];
        let mut section_of_page = vec![None; site.pages.len()];
        for (index, section) in site.sections.iter().enumerate() {
            section_of_page[section.page] = Some(index);
            for &page in &section.pages {
                parent[page] = Some(index);
            }
            for &sub in &section.subsections {
                parent[site.sections[sub].page] = Some(index);
            }
        }
        let mut roots: Vec<(Option<String>, usize)> = site
            .sections
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                let page = &site.pages[s.page];
                page.path == "/" && page.lang.is_none() || page.is_language_home()
            })
            .map(|(index, s)| (site.pages[s.page].lang.clone(), index))
            .collect();
        roots.sort();
        let mut reading_orders = Vec::new();
        let mut place = vec![None; site.pages.len()];
        for &(_, root) in &roots {
            let mut order = Vec::new();
            read_section(site, root, &mut order);
            for (at, &page) in order.iter().enumerate() {
                place[page] = Some((reading_orders.len(), at));
            }
            reading_orders.push(order);
        }
        let mut translations: HashMap<PathBuf, Vec<usize>> = HashMap::new();
        for (index, page) in site.pages.iter().enumerate() {
            translations
                .entry(page.translation_key(&site.layout))
                .or_default()
                .push(index);
        }
        Views {
            site,
            base_path: site.config.base_path(),
            parent,
            section_of_page,
            reading_orders,
            place,
            roots,
            translations,
        }
    }

    /// The root section of page `index`'s language (the site's for pages outside the tree).
    fn root_of(&self, index: Option<usize>) -> Option<usize> {
        let lang = index.and_then(|i| self.site.pages[i].lang.as_ref());
        self.roots
            .iter()
            .find(|(l, _)| l.as_ref() == lang)
            .map(|&(_, root)| root)
    }

    /// Links to the other language versions of page `index`.
    fn translations_of(&self, index: usize) -> Vec<Translation> {
        let page = &self.site.pages[index];
        let Some(group) = self
            .translations
            .get(&page.translation_key(&self.site.layout))
        else {
            return Vec::new();
        };
        let mut links: Vec<Translation> = group
            .iter()
            .filter(|&&other| other != index)
            .map(|&other| {
                let other = &self.site.pages[other];
                Translation {
                    lang: other
                        .lang
                        .clone()
                        .unwrap_or_else(|| self.site.config.language.clone()),
                    title: other.title(),
                    path: self.href(&other.path),
                }
            })
            .collect();
        links.sort_by(|a, b| a.lang.cmp(&b.lang));
        links
    }

    /// A site path (`/aws/`) as an href (`/kb/aws/`).
    pub fn href(&self, path: &str) -> String {
        crate::url::href(&self.base_path, path)
    }

    /// `site`, with links to the generated pages and files `plan` has.
    pub fn site_view(&self, plan: &Plan) -> SiteView<'a> {
        let config: &Config = &self.site.config;
        SiteView {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            base_path: self.base_path.clone(),
            language: &config.language,
            author: &config.author,
            feed: plan.url(Kind::Feed).map(|path| self.href(path)),
            sitemap: plan.sitemap_url().map(|path| self.href(path)),
            search: plan.url(Kind::Search).map(|path| self.href(path)),
            playground: plan.url(Kind::Playground).map(|path| self.href(path)),
            practice: plan.url(Kind::Practice).map(|path| self.href(path)),
            taxonomies: self
                .site
                .taxonomies
                .iter()
                .map(|t| TaxonomyLink {
                    name: t.name.clone(),
                    title: capitalise(&t.name),
                    path: self.href(&t.path),
                })
                .collect(),
            extra: &config.extra,
        }
    }

    pub fn link(&self, index: usize, current: Option<usize>) -> PageLink {
        let page = &self.site.pages[index];
        PageLink {
            title: page.title(),
            path: self.href(&page.path),
            description: page.meta.description.clone().unwrap_or_default(),
            date: page.meta.date.map(|d| d.to_rfc3339()).unwrap_or_default(),
            date_display: display_date(page.meta.date),
            current: current == Some(index),
        }
    }

    fn crumb(&self, index: usize) -> Crumb {
        let page = &self.site.pages[index];
        Crumb {
            title: page.title(),
            path: self.href(&page.path),
        }
    }

    /// The pages of the sections that hold page `index`, outermost (the home page) first: its
    /// breadcrumbs.
    pub fn ancestors(&self, index: usize) -> Vec<usize> {
        let mut ancestors = Vec::new();
        let mut cursor = self.parent[index];
        while let Some(section) = cursor {
            let page = self.site.sections[section].page;
            ancestors.push(page);
            cursor = self.parent[page];
        }
        ancestors.reverse();
        ancestors
    }

    /// The view of page `index`.
    pub fn page_view(&self, index: usize) -> PageView<'a> {
        let site = self.site;
        let page: &'a Page = &site.pages[index];
        let ancestors = self
            .ancestors(index)
            .into_iter()
            .map(|i| self.crumb(i))
            .collect();
        let (previous, next) = match self.place[index] {
            Some((order, at)) => {
                let order = &self.reading_orders[order];
                (
                    at.checked_sub(1).map(|i| self.crumb(order[i])),
                    order.get(at + 1).map(|&i| self.crumb(i)),
                )
            }
            None => (None, None),
        };
        let (pages, subsections) = match self.section_of_page[index] {
            Some(section) => {
                let section = &site.sections[section];
                (
                    section.pages.iter().map(|&i| self.link(i, None)).collect(),
                    section
                        .subsections
                        .iter()
                        .map(|&s| self.link(site.sections[s].page, None))
                        .collect(),
                )
            }
            None => (Vec::new(), Vec::new()),
        };
        let taxonomies = site
            .taxonomies
            .iter()
            .filter_map(|taxonomy| {
                let written = page.meta.taxonomies.get(&taxonomy.name)?;
                let mut terms: Vec<TermLink> = Vec::new();
                let mut seen = std::collections::HashSet::new();
                for value in written {
                    if let Some(term) = taxonomy.term(value)
                        && seen.insert(&term.slug)
                    {
                        terms.push(TermLink {
                            name: term.name.clone(),
                            path: self.href(&term.path),
                        });
                    }
                }
                Some(PageTerms {
                    name: taxonomy.name.clone(),
                    title: capitalise(&taxonomy.name),
                    terms,
                })
            })
            .collect();
        let description = page.meta.description.as_deref().unwrap_or("");
        let path = self.href(&page.path);
        PageView {
            kind: if page.kind == PageKind::Section {
                "section"
            } else {
                "page"
            },
            title: page.title(),
            description,
            summary: if description.is_empty() {
                summarise(&page.rendered.text.unpack(), 160)
            } else {
                description.to_string()
            },
            permalink: site.config.permalink(&path),
            path,
            date: page.meta.date.map(|d| d.to_rfc3339()).unwrap_or_default(),
            date_display: display_date(page.meta.date),
            updated: page
                .meta
                .updated
                .map(|d| d.to_rfc3339())
                .unwrap_or_default(),
            updated_display: display_date(page.meta.updated),
            weight: page.meta.weight,
            word_count: page.rendered.word_count,
            reading_time: page.rendered.word_count.div_ceil(200),
            toc: &page.rendered.toc,
            show_toc: page.meta.toc && !page.rendered.toc.is_empty(),
            content: page.rendered.html.unpack(),
            extra: &page.meta.extra,
            taxonomies,
            ancestors,
            previous,
            next,
            pages,
            subsections,
            lang: page
                .lang
                .clone()
                .unwrap_or_else(|| site.config.language.clone()),
            translations: self.translations_of(index),
            home: self.href(self.root_of(Some(index)).map_or("/", |root| {
                site.pages[site.sections[root].page].path.as_str()
            })),
        }
    }

    /// Navigation for page `index` (or for a page outside the tree, such as a term page).
    pub fn nav_view(&self, index: Option<usize>) -> NavView {
        let site = self.site;
        let root = self.root_of(index);
        let top_sections: Vec<usize> = root
            .map(|r| site.sections[r].subsections.clone())
            .unwrap_or_default();
        let page_path = index.map(|i| site.pages[i].path.as_str()).unwrap_or("");
        let top = top_sections
            .iter()
            .map(|&s| {
                let page = &site.pages[site.sections[s].page];
                NavTop {
                    title: page.title(),
                    path: self.href(&page.path),
                    active: page_path.starts_with(&page.path),
                }
            })
            .collect();
        let current_section = index
            .and_then(|i| self.section_of_page[i].or(self.parent[i]))
            .filter(|&s| Some(s) != root);
        let section = current_section.map(|s| {
            let section = &site.sections[s];
            let all = &section.pages;
            let shown: Vec<PageLink> = self
                .shown_pages(all, index)
                .iter()
                .map(|&p| self.link(p, index))
                .collect();
            let section_page = &site.pages[section.page];
            NavSection {
                title: section_page.title(),
                path: self.href(&section_page.path),
                current: index == Some(section.page),
                subsections: section
                    .subsections
                    .iter()
                    .map(|&sub| self.link(site.sections[sub].page, index))
                    .collect(),
                more: all.len() - shown.len(),
                pages: shown,
            }
        });
        let mut tree = Vec::new();
        let branch = index.map(|i| self.ancestors(i)).unwrap_or_default();
        for &s in &top_sections {
            self.tree(s, index, &branch, &mut tree);
        }
        NavView {
            top,
            section,
            tree,
            taxonomy: None,
        }
    }

    /// At most `theme.sidebar_max_pages` of `all`, moved along so the current page stays in.
    fn shown_pages<'p>(&self, all: &'p [usize], current: Option<usize>) -> &'p [usize] {
        let max = self.site.config.theme.sidebar_max_pages;
        let start = match current.and_then(|i| all.iter().position(|&p| p == i)) {
            Some(at) if at >= max => at + 1 - max,
            _ => 0,
        };
        &all[start..all.len().min(start + max)]
    }

    /// Appends section `s` to the flattened sidebar tree; `branch` holds the section pages
    /// above the current page, whose sections start open.
    fn tree(&self, s: usize, current: Option<usize>, branch: &[usize], out: &mut Vec<NavItem>) {
        let section = &self.site.sections[s];
        let item = |kind, index: usize| NavItem {
            kind,
            title: self.site.pages[index].title(),
            path: self.href(&self.site.pages[index].path),
            current: current == Some(index),
            open: false,
            more: 0,
        };
        let open = current == Some(section.page) || branch.contains(&section.page);
        out.push(NavItem {
            open,
            ..item("open", section.page)
        });
        out.push(item("page", section.page));
        for &sub in &section.subsections {
            self.tree(sub, current, branch, out);
        }
        // Closed branches list no pages, only how many their section page lists: every page
        // carries the sidebar, and listing every page everywhere grows the site with the square
        // of its size (1,000 pages: 122 KB a page).
        let shown = if open {
            self.shown_pages(&section.pages, current)
        } else {
            &[]
        };
        out.extend(shown.iter().map(|&p| item("page", p)));
        let more = section.pages.len() - shown.len();
        if more > 0 {
            out.push(NavItem {
                more,
                open,
                ..item("more", section.page)
            });
        }
        out.push(item("close", section.page));
    }
}

/// Appends section `s`'s page, then its subsections' and its own pages, depth first.
fn read_section(site: &Site, s: usize, out: &mut Vec<usize>) {
    let section = &site.sections[s];
    out.push(section.page);
    for &sub in &section.subsections {
        read_section(site, sub, out);
    }
    out.extend(&section.pages);
}

/// `tags` -> `Tags`.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `27 Sep 2022`, or empty.
pub fn display_date(date: Option<crate::content::frontmatter::Date>) -> String {
    date.map(|d| d.format("%-d %b %Y").to_string())
        .unwrap_or_default()
}

/// The first `max` characters of `text` cut at a word, with an ellipsis when cut.
pub fn summarise(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::summarise;

    #[test]
    fn summary_cuts_at_a_word() {
        assert_eq!(summarise("one two three", 100), "one two three");
        assert_eq!(summarise("one two three", 9), "one two…");
    }
}

/// `taxonomy` in taxonomy templates.
#[derive(Serialize)]
pub struct TaxonomyView {
    pub name: String,
    pub title: String,
    pub path: String,
    pub terms: Vec<TermSummary>,
}

/// A term in a taxonomy's list.
#[derive(Serialize)]
pub struct TermSummary {
    pub name: String,
    pub path: String,
    pub count: usize,
}

impl TaxonomyView {
    pub fn new(views: &Views, taxonomy: &crate::content::Taxonomy) -> TaxonomyView {
        TaxonomyView {
            name: taxonomy.name.clone(),
            title: capitalise(&taxonomy.name),
            path: views.href(&taxonomy.path),
            terms: taxonomy
                .terms
                .iter()
                .map(|t| TermSummary {
                    name: t.name.clone(),
                    path: views.href(&t.path),
                    count: t.pages.len(),
                })
                .collect(),
        }
    }
}

/// `taxonomy` on a term's page: the taxonomy without its list of terms. Every term has a
/// page, so a copy of the list in each would cost time and memory with the square of the
/// number of terms (20,000 tags: tens of GB); the list is on the taxonomy's own page.
#[derive(Serialize)]
pub struct TaxonomyOfTerm {
    pub name: String,
    pub title: String,
    pub path: String,
    /// How many terms the taxonomy has.
    pub count: usize,
}

impl TaxonomyOfTerm {
    /// The view of `taxonomy` every one of its term pages shares.
    pub fn new(views: &Views, taxonomy: &crate::content::Taxonomy) -> TaxonomyOfTerm {
        TaxonomyOfTerm {
            name: taxonomy.name.clone(),
            title: capitalise(&taxonomy.name),
            path: views.href(&taxonomy.path),
            count: taxonomy.terms.len(),
        }
    }
}

/// `term` in the term template.
#[derive(Serialize)]
pub struct TermView {
    pub name: String,
    pub slug: String,
    pub path: String,
    pub count: usize,
    pub pages: Vec<PageLink>,
}

impl TermView {
    pub fn new(views: &Views, term: &crate::content::Term) -> TermView {
        TermView {
            name: term.name.clone(),
            slug: term.slug.clone(),
            path: views.href(&term.path),
            count: term.pages.len(),
            pages: term.pages.iter().map(|&i| views.link(i, None)).collect(),
        }
    }
}
