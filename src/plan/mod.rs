//! The output plan: every file a build writes, listed once after resolve, with its kind, its
//! place in the output, its URL, its template and what asked for it.
//!
//! The plan is the one owner of that list. Collisions are its duplicates, links are checked
//! against it, rendering walks it, `serve` filters it by what a change touched and compares two
//! plans to tell whether a change moved any output. Modules below it (content, markdown) name
//! no generated path; a new kind of output is one [`Kind`] variant and its line in
//! [`Plan::new`] (and, for rendered kinds, its context in `render`).

mod check;
mod selection;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

pub use check::{check_links, collisions, recheck_links};
pub use selection::Selection;

use crate::config::CONFIG_FILE;
use crate::content::{PageKind, Site};

/// What a planned file is, and so how it is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A page or a section's page: `site.pages[index]`.
    Page(usize),
    /// The list of a taxonomy's terms: `site.taxonomies[index]`.
    TaxonomyList(usize),
    /// The page of one term: `site.taxonomies[taxonomy].terms[term]`.
    Term {
        taxonomy: usize,
        term: usize,
    },
    /// A redirect page: `site.aliases[index]`.
    Alias(usize),
    NotFound,
    /// The search page (`search = true`).
    Search,
    /// The state machine playground (`playground = true`).
    Playground,
    /// The practice exam page (`practice = true`).
    Practice,
    /// The Atom feed (needs `feed.enabled` and a full `base_url`).
    Feed,
    /// The sitemap (needs a full `base_url`).
    Sitemap,
    Robots,
    /// The highlighting stylesheet generated from the config's themes.
    SyntaxCss,
    /// The diagrams' stylesheet (from the `asl` crate).
    DiagramCss,
    /// The folder of the search index's files, which the search module writes.
    SearchIndex,
    /// The folder of the practice page's question data, which [`crate::practice`] writes.
    PracticeData,
    /// A content file copied as it is: `site.assets[index]`.
    Asset(usize),
    /// A theme or site static file: `Plan::statics[index]`.
    Static(usize),
}

impl Kind {
    /// Whether the file is copied or generated as bytes (a change of a static file or content
    /// asset touches these) rather than rendered from a template.
    pub fn is_file(self) -> bool {
        matches!(
            self,
            Kind::SyntaxCss | Kind::DiagramCss | Kind::Asset(_) | Kind::Static(_)
        )
    }

    /// Whether the entry is a folder whose files its own module writes (the plan does not
    /// list them one by one).
    pub fn is_folder(self) -> bool {
        matches!(self, Kind::SearchIndex | Kind::PracticeData)
    }

    /// Whether two of this kind at one place is an error. Static files override the theme's
    /// and everything else copied on purpose, file by file.
    fn claims(self) -> bool {
        !matches!(self, Kind::Static(_))
    }
}

/// Who asked for a file, and where in the author's files, if anywhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// `the page content/aws/lambda.md`, `the tags list`, …
    pub what: String,
    /// File, line and column to point a conflict at.
    pub at: Option<(PathBuf, usize, usize)>,
}

/// One file of the plan.
#[derive(Debug, Clone)]
pub struct Planned {
    pub kind: Kind,
    /// Where it goes in the output, `/`-separated: `aws/index.html`, `atom.xml`.
    pub file: String,
    /// The site path a link reaches it at, without the base path: `/aws/`, `/atom.xml`.
    pub url: String,
    /// The template it is rendered with; `None` for copied and generated files.
    pub template: Option<String>,
    pub claim: Claim,
}

/// Where a static file's bytes come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// Embedded in the binary (the built-in theme).
    Bytes(&'static [u8]),
    /// A file of the site.
    File(PathBuf),
}

/// A static file: the theme's (embedded bytes), or the site's `static/` one (a file) over it.
#[derive(Debug, Clone)]
pub struct Static {
    /// Output path, `/`-separated.
    pub file: String,
    pub source: Source,
}

/// Every file a build writes.
#[derive(Debug, Clone)]
pub struct Plan {
    /// In the order conflicts are reported. Among copied files of one path the last one wins:
    /// theme < generated stylesheets < content files < the site's `static/`.
    pub entries: Vec<Planned>,
    /// The static files the entries of kind [`Kind::Static`] point into: the theme's and the
    /// site's.
    pub statics: Vec<Static>,
    /// The generated files left out because a content file of that path replaces them (a
    /// Jekyll site's own `404.html` or `sitemap.xml`): output paths, each warned about.
    pub replaced: Vec<String>,
}

/// The output file of a site path: `/aws/` -> `aws/index.html`, `/old.html` -> `old.html`.
pub fn output_file(path: &str) -> String {
    let rel = path.trim_start_matches('/');
    if rel.ends_with(".html") {
        rel.to_string()
    } else {
        format!("{rel}index.html")
    }
}

/// The site path of the search page, the one generated page a reader types.
const SEARCH_PATH: &str = "/search/";
/// The site path of the playground.
const PLAYGROUND_PATH: &str = "/playground/";
/// The site path of the practice page.
const PRACTICE_PATH: &str = "/practice/";
/// The folder of the practice data in the output: beside the practice page, which fetches
/// `index.json`, `q/0.json`, … from it.
const PRACTICE_DATA_DIR: &str = "practice/";
/// The highlighting stylesheet in the output (the renderer links it).
pub const SYNTAX_CSS: &str = "css/syntax.css";
/// The diagrams' stylesheet in the output (the renderer links it).
pub const DIAGRAM_CSS: &str = "css/asl.css";
/// The Mermaid bundle (theme file), which `MERMAID_INIT_JS` loads.
pub const MERMAID_JS: &str = "js/vendor/mermaid.js";
/// The script that draws a page's Mermaid blocks (theme file), which `awskb.js` loads.
pub const MERMAID_INIT_JS: &str = "js/mermaid-init.js";
/// The CodeMirror bundle (theme file), the playground's editor.
pub const CODEMIRROR_JS: &str = "js/vendor/codemirror.js";

/// Whether a site uses a theme file.
type UsedBy = fn(&Site) -> bool;

/// Theme files only some sites use, and whether `site` does: the Mermaid bundle and its
/// loader when a page has a Mermaid block, CodeMirror when the playground is on. The others
/// are left out of the output (megabytes that a site without them would never load).
const ON_DEMAND: &[(&str, UsedBy)] = &[
    (MERMAID_JS, uses_mermaid),
    (MERMAID_INIT_JS, uses_mermaid),
    (CODEMIRROR_JS, |site| site.config.playground),
];

fn uses_mermaid(site: &Site) -> bool {
    site.pages.iter().any(|page| page.rendered.mermaid)
}

/// Whether `site` uses the theme file `file` (every one but those of [`ON_DEMAND`]).
fn theme_file_used(site: &Site, file: &str) -> bool {
    ON_DEMAND
        .iter()
        .find(|(name, _)| *name == file)
        .is_none_or(|(_, used)| used(site))
}

/// The folder of the search index in the output.
const SEARCH_INDEX_DIR: &str = "search-index/";

/// Whether the output file `rel` is one of the search index's files (written apart from the
/// plan's other files, in the background under `serve`).
pub fn in_search_index(rel: &str) -> bool {
    rel.starts_with(SEARCH_INDEX_DIR)
}

impl Plan {
    /// The plan of `site` with the theme's and the site's `statics`.
    pub fn new(site: &Site, statics: Vec<Static>) -> Plan {
        let mut plan = Plan {
            entries: Vec::new(),
            statics,
            replaced: Vec::new(),
        };
        let config = &site.config;
        let at_config = || Some((PathBuf::from(CONFIG_FILE), 0, 0));
        // Copied files of one path: the last planned wins. The theme's come first, so that the
        // generated stylesheets and content files replace them, and the site's last.
        plan.add_statics(|file| {
            matches!(file.source, Source::Bytes(_)) && theme_file_used(site, &file.file)
        });
        plan.replaceable(site, Kind::NotFound, "/404.html", "404.html");
        let absolute = !config.origin().is_empty();
        if absolute {
            plan.replaceable(site, Kind::Sitemap, "/sitemap.xml", "sitemap.xml");
        }
        plan.fixed(Kind::Robots, "/robots.txt", Some("robots.txt"));
        if absolute && config.feed.enabled {
            plan.fixed(Kind::Feed, "/atom.xml", Some("atom.xml"));
        }
        plan.fixed(Kind::SyntaxCss, &format!("/{SYNTAX_CSS}"), None);
        plan.fixed(Kind::DiagramCss, &format!("/{DIAGRAM_CSS}"), None);
        if config.search {
            // Located at the config, so that a folder section at `/search/` (which has no file
            // of its own) is reported too.
            let what = "the search page (`search = true` in the config)".to_string();
            let template = Some("search.html");
            plan.add(Kind::Search, SEARCH_PATH, template, what, at_config());
            let what = "the search index (`search = true` in the config)".to_string();
            let url = format!("/{SEARCH_INDEX_DIR}");
            plan.add(Kind::SearchIndex, &url, None, what, at_config());
        }
        if config.playground {
            let what = "the playground page (`playground = true` in the config)".to_string();
            let template = Some("playground.html");
            plan.add(
                Kind::Playground,
                PLAYGROUND_PATH,
                template,
                what,
                at_config(),
            );
        }
        if config.practice {
            let what = "the practice page (`practice = true` in the config)".to_string();
            let template = Some("practice.html");
            plan.add(Kind::Practice, PRACTICE_PATH, template, what, at_config());
            let what = "the practice data (`practice = true` in the config)".to_string();
            let url = format!("/{PRACTICE_DATA_DIR}");
            plan.add(Kind::PracticeData, &url, None, what, at_config());
        }
        for (index, page) in site.pages.iter().enumerate() {
            let at = page.source.as_ref().map(|_| {
                let (line, column) = page
                    .meta
                    .key_positions
                    .get("slug")
                    .copied()
                    .unwrap_or((0, 0));
                (page.file.clone(), line, column)
            });
            let what = format!("the page {}", page.file.display());
            let template = page_template(site, index);
            plan.add(Kind::Page(index), &page.path, Some(template), what, at);
        }
        for (t, taxonomy) in site.taxonomies.iter().enumerate() {
            let what = format!("the {} list", taxonomy.name);
            let template = Some("taxonomy_list.html");
            plan.add(Kind::TaxonomyList(t), &taxonomy.path, template, what, None);
            for (term, value) in taxonomy.terms.iter().enumerate() {
                let what = format!("the {} page of `{}`", taxonomy.name, value.name);
                let kind = Kind::Term { taxonomy: t, term };
                let template = Some("taxonomy_term.html");
                plan.add(kind, &value.path, template, what, None);
            }
        }
        for (index, (alias, target)) in site.aliases.iter().enumerate() {
            let page = &site.pages[*target];
            let (line, column) = page.meta.position_of("aliases");
            let what = format!("the alias `{alias}` of {}", page.file.display());
            let at = Some((page.file.clone(), line, column));
            plan.add(Kind::Alias(index), alias, Some("alias.html"), what, at);
        }
        for (index, asset) in site.assets.iter().enumerate() {
            let file = site.layout.display(&asset.rel);
            let what = format!("the file {}", file.display());
            let url = format!("/{}", asset.output);
            plan.add(Kind::Asset(index), &url, None, what, Some((file, 0, 0)));
        }
        plan.add_statics(|file| matches!(file.source, Source::File(_)));
        plan
    }

    /// Adds a file reached at the site path `url`.
    fn add(
        &mut self,
        kind: Kind,
        url: &str,
        template: Option<&str>,
        what: String,
        at: Option<(PathBuf, usize, usize)>,
    ) {
        // Pages at `/x/` are `x/index.html`; every other file keeps its name.
        let file = if url.ends_with('/') && !kind.is_folder() {
            output_file(url)
        } else {
            url.trim_start_matches('/').to_string()
        };
        self.entries.push(Planned {
            kind,
            file,
            url: url.to_string(),
            template: template.map(str::to_string),
            claim: Claim { what, at },
        });
    }

    /// Adds the static files `which` selects.
    fn add_statics(&mut self, which: impl Fn(&Static) -> bool) {
        for index in 0..self.statics.len() {
            if !which(&self.statics[index]) {
                continue;
            }
            let file = self.statics[index].file.clone();
            let what = format!("the static file {file}");
            self.add(Kind::Static(index), &format!("/{file}"), None, what, None);
        }
    }

    /// Adds a generated file at a fixed place.
    fn fixed(&mut self, kind: Kind, url: &str, template: Option<&str>) {
        let what = format!("the generated {}", url.trim_start_matches('/'));
        self.add(kind, url, template, what, None);
    }

    /// Adds a generated file that a content file of the same path replaces (Jekyll sites carry
    /// their own 404 page and sitemap): the content file is kept and the generated one left out.
    fn replaceable(&mut self, site: &Site, kind: Kind, url: &str, template: &str) {
        let file = url.trim_start_matches('/');
        if site.assets.iter().any(|asset| asset.output == file) {
            self.replaced.push(file.to_string());
        } else {
            self.fixed(kind, url, Some(template));
        }
    }

    /// The entry of a kind that occurs once (the search page, the feed, …), if planned.
    pub fn find(&self, kind: Kind) -> Option<&Planned> {
        self.entries.iter().find(|entry| entry.kind == kind)
    }

    /// The site path of a kind that occurs once, if planned.
    pub fn url(&self, kind: Kind) -> Option<&str> {
        self.find(kind).map(|entry| entry.url.as_str())
    }

    /// The site path of the sitemap, generated or the content's own, for robots.txt and the
    /// pages' head.
    pub fn sitemap_url(&self) -> Option<&str> {
        self.url(Kind::Sitemap).or_else(|| {
            self.replaced
                .iter()
                .any(|file| file == "sitemap.xml")
                .then_some("/sitemap.xml")
        })
    }

    /// The files the build writes, each once: every rendered file, and of the copied files
    /// at one path the last planned (see [`Plan::entries`]); a file that needs a folder where
    /// another is a file is left out (it is an `output-conflict` error, see [`collisions`]),
    /// so the conflict is not also reported as failed writes.
    pub fn written(&self) -> Vec<&Planned> {
        let mut written = self.last_copies();
        let files: HashSet<&str> = written
            .iter()
            .filter(|entry| !entry.kind.is_folder())
            .map(|entry| entry.file.as_str())
            .collect();
        let blocked: HashSet<&str> = written
            .iter()
            .filter(|entry| folders_of(&entry.file).any(|folder| files.contains(folder)))
            .map(|entry| entry.file.as_str())
            .collect();
        written.retain(|entry| !blocked.contains(entry.file.as_str()));
        written
    }

    /// Every rendered file, and of the copied files at one path the last planned.
    pub(super) fn last_copies(&self) -> Vec<&Planned> {
        let mut last_copy: HashMap<&str, usize> = HashMap::new();
        for (index, entry) in self.entries.iter().enumerate() {
            if entry.kind.is_file() {
                last_copy.insert(&entry.file, index);
            }
        }
        self.entries
            .iter()
            .enumerate()
            .filter(|(index, entry)| {
                !entry.kind.is_file() || last_copy.get(entry.file.as_str()) == Some(index)
            })
            .map(|(_, entry)| entry)
            .collect()
    }

    /// Whether the build writes the output file `file` (`/`-separated).
    pub fn writes(&self, file: &str) -> bool {
        self.entries.iter().any(|entry| entry.file == file)
    }

    /// The copied and generated files the build writes (static files, content files,
    /// stylesheets), sorted: `serve` copies them all again when this list changes (a page
    /// gained the first Mermaid block, and the Mermaid bundle is planned now).
    pub fn copied_files(&self) -> Vec<&str> {
        let mut files: Vec<&str> = self
            .written()
            .into_iter()
            .filter(|entry| entry.kind.is_file())
            .map(|entry| entry.file.as_str())
            .collect();
        files.sort_unstable();
        files
    }

    /// Every output path that something claims (all but static files), sorted: what `serve`
    /// compares before and after a change to tell whether the site's shape moved.
    pub fn claimed_files(&self) -> Vec<String> {
        let mut files: Vec<String> = self
            .entries
            .iter()
            .filter(|entry| entry.kind.claims())
            .map(|entry| entry.file.clone())
            .collect();
        files.sort();
        files
    }
}

/// The folders an output file `a/b/c.html` is in: `a`, `a/b`.
fn folders_of(file: &str) -> impl Iterator<Item = &str> {
    file.match_indices('/').map(|(at, _)| &file[..at])
}

/// The template a page asks for, or the default for its kind.
pub fn page_template(site: &Site, index: usize) -> &str {
    let page = &site.pages[index];
    if let Some(template) = &page.meta.template {
        return template;
    }
    match (page.kind, page.path.as_str()) {
        (PageKind::Section, "/") => "index.html",
        (PageKind::Section, _) => "section.html",
        (PageKind::Page, _) => "page.html",
    }
}

#[cfg(test)]
mod tests {
    use super::output_file;

    #[test]
    fn output_files() {
        assert_eq!(output_file("/"), "index.html");
        assert_eq!(output_file("/aws/"), "aws/index.html");
        assert_eq!(output_file("/old/functions.html"), "old/functions.html");
    }
}
