//! Resolving the links authors write (checking them is the output plan's: it knows every
//! file a build writes).

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use super::names::NameIndex;
use super::{Asset, Page};
use crate::markdown::{Embedded, LinkResolver, LinkTarget};
use crate::url::percent_decode;

/// What every page's links resolve against: the site path of each page and of each Markdown
/// source file.
pub struct Resolver {
    paths: HashSet<String>,
    by_source: HashMap<PathBuf, String>,
    base_path: String,
    names: NameIndex,
    /// Copied files by source path (relative to `content/`) -> site path, for links and
    /// images written relative to the Markdown file.
    files: HashMap<PathBuf, String>,
    /// Every page's and copied file's site path by its lower-cased form: a link written with
    /// the file names' case (`/Databases/DynamoDB/`) finds the lower-cased URL.
    by_lower: HashMap<String, String>,
}

impl Resolver {
    /// Indexes the pages; `base_path` (`/` or `/kb/`) prefixes every rewritten link.
    pub fn new(pages: &[Page], base_path: &str) -> Resolver {
        Resolver {
            paths: pages.iter().map(|p| p.path.clone()).collect(),
            by_source: pages
                .iter()
                .filter_map(|p| Some((p.source.clone()?, p.path.clone())))
                .collect(),
            base_path: base_path.to_string(),
            names: NameIndex::default(),
            files: HashMap::new(),
            by_lower: pages
                .iter()
                .map(|p| (p.path.to_lowercase(), p.path.clone()))
                .collect(),
        }
    }

    /// Indexes the pages and copied files by name too, for Obsidian's `[[Note]]` and
    /// `![[image.png]]` (see [`NameIndex`]), and the copied files by source path, for links
    /// relative to the file that contains them.
    pub fn with_names(mut self, pages: &[Page], assets: &[Asset]) -> Resolver {
        self.names = NameIndex::new(pages, assets);
        self.files = assets
            .iter()
            .map(|asset| (asset.rel.clone(), format!("/{}", asset.output)))
            .collect();
        for url in self.files.values() {
            self.by_lower.insert(url.to_lowercase(), url.clone());
        }
        self
    }

    /// The site path a URL path names: itself when a page or file is there, else the page
    /// (`/a` -> `/a/`) or the page or file whose URL differs only in case; else itself (the
    /// output plan reports it when nothing is there).
    fn existing(&self, path: String) -> String {
        let with_slash = format!("{path}/");
        if self.paths.contains(&path) || self.by_lower.get(&path) == Some(&path) {
            return path;
        }
        if !path.ends_with('/') && self.paths.contains(&with_slash) {
            return with_slash;
        }
        let lower = |p: &str| self.by_lower.get(&p.to_lowercase()).cloned();
        lower(&path)
            .or_else(|| lower(&with_slash).filter(|_| !path.ends_with('/')))
            .unwrap_or(path)
    }

    /// The resolver for links written in `page`.
    pub fn for_page<'a>(&'a self, page: &'a Page) -> PageResolver<'a> {
        PageResolver {
            site: self,
            page_path: &page.path,
            source: page.source.as_deref(),
            notes: None,
            embedded: false,
        }
    }

    /// The resolver for links written in `page`, which may embed the notes of `notes`.
    pub fn for_page_in<'a>(&'a self, page: &'a Page, notes: &'a Notes<'a>) -> PageResolver<'a> {
        PageResolver {
            notes: Some(notes),
            ..self.for_page(page)
        }
    }

    /// The href to write for a site path such as `/aws/lambda/`.
    pub fn href(&self, path: &str) -> String {
        crate::url::href(&self.base_path, path)
    }
}

/// The pages that Obsidian's `![[Note]]` may show inside another page, by site path.
pub struct Notes<'a> {
    pages: &'a [Page],
    by_path: HashMap<&'a str, usize>,
}

impl<'a> Notes<'a> {
    /// Indexes the pages that have a Markdown file.
    pub fn new(pages: &'a [Page]) -> Notes<'a> {
        let by_path = pages
            .iter()
            .enumerate()
            .filter(|(_, page)| page.source.is_some())
            .map(|(index, page)| (page.path.as_str(), index))
            .collect();
        Notes { pages, by_path }
    }
}

/// Resolves links from one page: relative URLs against the page's URL, `.md` paths against
/// its source file.
pub struct PageResolver<'a> {
    site: &'a Resolver,
    page_path: &'a str,
    source: Option<&'a Path>,
    /// The notes this page may embed; `None` where embeds are not rendered (link checks).
    notes: Option<&'a Notes<'a>>,
    /// Whether the page is shown inside another (`![[Note]]`): a link to one of its own
    /// headings (`#limits`) must then name the page, or it would lead into the embedding one.
    embedded: bool,
}

impl PageResolver<'_> {
    /// GitHub's rule before Hugo's: a relative link or image that names a copied file relative
    /// to the Markdown file (`images/arch.png` in `aws/lambda.md` is `aws/images/arch.png`)
    /// goes there; anything else is relative to the page's URL.
    fn beside_source(&self, path_part: &str) -> Option<String> {
        if path_part.starts_with('/') {
            return None;
        }
        let base = self.source?.parent().unwrap_or(Path::new(""));
        let file = normalise_file(base, path_part)?;
        self.site.files.get(&file).cloned()
    }
}

impl LinkResolver for PageResolver<'_> {
    fn resolve(&self, href: &str) -> LinkTarget {
        let href = href.trim();
        if href.is_empty() || is_external(href) {
            return LinkTarget::External;
        }
        let (rest, fragment) = match href.split_once('#') {
            Some((rest, fragment)) => (rest, Some(fragment)),
            None => (href, None),
        };
        let (path_part, query) = match rest.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (rest, None),
        };
        let anchor = fragment.filter(|f| !f.is_empty()).map(percent_decode);
        if path_part.is_empty() {
            let href = if self.embedded {
                format!("{}{href}", self.site.href(self.page_path))
            } else {
                href.to_string()
            };
            return LinkTarget::Internal {
                href,
                path: self.page_path.to_string(),
                anchor,
            };
        }
        let path = if path_part.ends_with(".md") {
            let base = self.source.and_then(Path::parent).unwrap_or(Path::new(""));
            let file = if path_part.starts_with('/') {
                normalise_file(Path::new(""), path_part)
            } else {
                normalise_file(base, path_part)
            };
            match file.and_then(|f| self.site.by_source.get(&f).cloned()) {
                Some(path) => path,
                None => {
                    return LinkTarget::Missing(format!("no Markdown file for `{path_part}`"));
                }
            }
        } else if let Some(path) = self.beside_source(path_part) {
            path
        } else {
            let joined = if path_part.starts_with('/') {
                path_part.to_string()
            } else {
                format!("{}{path_part}", self.page_path)
            };
            self.site.existing(normalise_url(&joined))
        };
        let mut out = self.site.href(&path);
        if let Some(query) = query {
            out.push('?');
            out.push_str(query);
        }
        if let Some(fragment) = fragment {
            out.push('#');
            out.push_str(fragment);
        }
        LinkTarget::Internal {
            href: out,
            path,
            anchor,
        }
    }

    fn resolve_name(&self, name: &str) -> Result<LinkTarget, Vec<String>> {
        Ok(match self.site.names.find(name)? {
            Some(path) => LinkTarget::Internal {
                href: self.site.href(path),
                path: path.to_string(),
                anchor: None,
            },
            None => LinkTarget::Missing(format!("no note or file named `{name}`")),
        })
    }

    fn embed(&self, path: &str) -> Option<Embedded<'_>> {
        let notes = self.notes?;
        let page = &notes.pages[*notes.by_path.get(path)?];
        Some(Embedded {
            file: &page.file,
            body: &page.body,
            body_line: page.body_line,
            title: page.title(),
            params: &page.meta.extra,
            links: Box::new(PageResolver {
                embedded: true,
                ..self.site.for_page_in(page, notes)
            }),
        })
    }
}

/// `https:`, `mailto:`, `//host` and other scheme links leave the site.
fn is_external(href: &str) -> bool {
    if href.starts_with("//") {
        return true;
    }
    let scheme: String = href
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        .collect();
    !scheme.is_empty()
        && href[scheme.len()..].starts_with(':')
        && scheme
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
}

/// Resolves `.` and `..` in a URL path; `..` above the root stays at the root, as in browsers.
fn normalise_url(path: &str) -> String {
    let trailing = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut out = format!("/{}", segments.join("/"));
    if trailing && out != "/" {
        out.push('/');
    }
    percent_decode(&out)
}

/// Joins a relative file path onto `base` inside `content/`; `None` if it climbs out.
fn normalise_file(base: &Path, rel: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in base
        .join(percent_decode(rel.trim_start_matches('/')))
        .components()
    {
        match component {
            Component::Normal(part) => out.push(part),
            Component::ParentDir if !out.pop() => return None,
            _ => {}
        }
    }
    Some(out)
}

/// Whether a page rendered earlier would now render differently because a link in it resolves
/// elsewhere (a page it links to moved or appeared) or no longer resolves.
pub fn moved(page: &Page, resolver: &PageResolver) -> bool {
    let was_missing = page
        .rendered
        .diagnostics
        .iter()
        .any(|d| d.code == "broken-link");
    was_missing
        || page
            .rendered
            .links
            .iter()
            .any(|link| link.current_path(resolver).as_deref() != Some(link.path.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{PageKind, frontmatter::FrontMatter};

    fn page(source: &str, path: &str) -> Page {
        Page {
            kind: PageKind::Page,
            file: PathBuf::from("content").join(source),
            source: Some(PathBuf::from(source)),
            untranslated: Some(PathBuf::from(source)),
            lang: None,
            meta: FrontMatter::default(),
            body: String::new(),
            body_line: 1,
            path: path.into(),
            rendered: Default::default(),
        }
    }

    fn resolve(href: &str) -> (String, String, Option<String>) {
        let pages = vec![
            page("aws/step-functions/_index.md", "/aws/step-functions/"),
            page("aws/lambda.md", "/aws/lambda/"),
            page("aws/step-functions/intro.md", "/aws/step-functions/intro/"),
        ];
        let resolver = Resolver::new(&pages, "/kb/");
        match resolver.for_page(&pages[0]).resolve(href) {
            LinkTarget::Internal { href, path, anchor } => (href, path, anchor),
            LinkTarget::External => ("external".into(), String::new(), None),
            LinkTarget::Missing(m) => ("missing".into(), m, None),
        }
    }

    #[test]
    fn relative_urls_resolve_against_the_page_url() {
        assert_eq!(resolve("../lambda").0, "/kb/aws/lambda/");
        assert_eq!(resolve("intro").1, "/aws/step-functions/intro/");
        assert_eq!(
            resolve("../lambda/#price"),
            (
                "/kb/aws/lambda/#price".into(),
                "/aws/lambda/".into(),
                Some("price".into())
            )
        );
        assert_eq!(resolve("/aws/lambda/").0, "/kb/aws/lambda/");
    }

    #[test]
    fn markdown_files_resolve_against_the_source() {
        assert_eq!(resolve("../lambda.md#limits").0, "/kb/aws/lambda/#limits");
        assert_eq!(resolve("intro.md").1, "/aws/step-functions/intro/");
        assert_eq!(resolve("nope.md").0, "missing");
    }

    #[test]
    fn external_and_fragment_links() {
        assert_eq!(resolve("https://aws.amazon.com/").0, "external");
        assert_eq!(resolve("mailto:a@b.c").0, "external");
        assert_eq!(
            resolve("#about"),
            (
                "#about".into(),
                "/aws/step-functions/".into(),
                Some("about".into())
            )
        );
    }
}
