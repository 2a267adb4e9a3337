//! The content folder -> the [`Site`] model: pages, sections, taxonomies, URLs and links.
//!
//! [`load`] runs two stages: the load stage walks `content/` and reads and parses every
//! Markdown file in parallel; the resolve stage assigns and checks URLs, resolves links and
//! renders the Markdown, and builds the section tree and taxonomies. Problems are collected as
//! diagnostics; a page with a broken front matter is left out but the rest still loads.
//! [`reload`] and [`edit`] redo the stages for a change, from the [`Sources`] `serve` keeps.

pub mod frontmatter;
pub mod language;
pub mod layout;
pub mod links;
mod names;
mod read;
pub mod sections;
pub mod taxonomy;
pub mod walk;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, Highlighter, Rendered};
use frontmatter::FrontMatter;
use language::Languages;
pub use read::{page_path, site_path};
pub use sections::Section;
pub use taxonomy::{Taxonomy, Term};
use walk::Entry;

pub use layout::{CONTENT_DIR, DEFAULT_OUTPUT, Layout, STATIC_DIR, TEMPLATES_DIR};

/// Whether a page is a leaf page or the page of a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Page,
    Section,
}

/// A page or a section's own page, parsed and rendered.
#[derive(Debug)]
pub struct Page {
    pub kind: PageKind,
    /// Path relative to the site root, for diagnostics (`content/aws/lambda.md`). For a folder
    /// without `_index.md`, the folder.
    pub file: PathBuf,
    /// Path relative to `content/` of the Markdown file, if there is one.
    pub source: Option<PathBuf>,
    /// `source` without its language suffix (`aws/lambda.fr.md` -> `aws/lambda.md`): what
    /// the page and its translations share.
    pub untranslated: Option<PathBuf>,
    /// The page's language when it is not the site's (`page.fr.md`): its tree is `/fr/`.
    pub lang: Option<String>,
    pub meta: FrontMatter,
    /// The Markdown after the front matter; a build empties it once the links are checked
    /// ([`Site::release_checked`]).
    pub body: String,
    pub body_line: usize,
    /// Site path without the base path: `/aws/lambda/`.
    pub path: String,
    pub rendered: Rendered,
}

impl Page {
    /// The title to show: front matter `title`, else the file or folder name made readable.
    pub fn title(&self) -> String {
        if let Some(title) = &self.meta.title {
            return title.clone();
        }
        if self.path == "/" || self.is_language_home() {
            return "Home".into();
        }
        if let (PageKind::Page, Some(slug)) = (self.kind, &self.meta.slug) {
            return crate::slug::readable_name(slug.trim_matches('/'));
        }
        // The file's or folder's own name, in its own case (URLs may be lower-cased).
        let key = match &self.untranslated {
            Some(_) => self.translation_key(&Layout::standard()),
            None => self.file.join("_index.md"),
        };
        let name = match key.file_name().and_then(|n| n.to_str()) {
            Some("_index.md" | "index.md") => key.parent().and_then(Path::file_name),
            _ => key.file_stem(),
        };
        crate::slug::readable_name(&name.unwrap_or_default().to_string_lossy())
    }
}

impl Page {
    /// Whether this is the home page of a language other than the site's (`/fr/`).
    pub fn is_language_home(&self) -> bool {
        self.lang
            .as_ref()
            .is_some_and(|lang| self.kind == PageKind::Section && self.path == format!("/{lang}/"))
    }

    /// What a page and its translations share: its source without the language suffix
    /// (`aws/lambda.fr.md` -> `aws/lambda.md`), or its folder's `_index.md` for a folder's
    /// own page (also one awskb made, named by its folder in `layout`).
    pub fn translation_key(&self, layout: &Layout) -> PathBuf {
        match (&self.untranslated, self.kind) {
            (Some(plain), PageKind::Page) => plain.clone(),
            (Some(plain), PageKind::Section) => walk::folder_of(plain).join("_index.md"),
            (None, _) => self
                .file
                .strip_prefix(&layout.dir)
                .unwrap_or(&self.file)
                .join("_index.md"),
        }
    }
}

/// A file copied into the output as it is.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Absolute source path.
    pub source: PathBuf,
    /// Source path relative to `content/`, for diagnostics.
    pub rel: PathBuf,
    /// Output path relative to the output root (`aws/lambda/diagram.png`).
    pub output: String,
}

/// Everything the build knows about a site after loading and resolving.
pub struct Site {
    pub root: PathBuf,
    /// Where the pages are (`content/`, or the root itself).
    pub layout: Layout,
    pub config: Config,
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub taxonomies: Vec<Taxonomy>,
    pub assets: Vec<Asset>,
    /// Alias path -> page index, for redirect pages.
    pub aliases: Vec<(String, usize)>,
    /// Every problem found, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
}

/// The files of `content/` as last read: the walk, the problems of each Markdown file that are
/// not kept on its page (front matter errors, drafts' and failed files' problems), and what
/// resolve found of the whole site. A build drops it; `serve` keeps it so that [`reload`]
/// re-reads only the files that changed and [`edit`] resolves nothing again.
#[derive(Default)]
pub struct Sources {
    options: LoadOptions,
    entries: Vec<Entry>,
    walk_problems: Vec<Diagnostic>,
    read_problems: HashMap<PathBuf, Vec<Diagnostic>>,
    /// Problems of the whole site: duplicate URLs, taxonomies.
    site_problems: Vec<Diagnostic>,
    /// What links resolve against; stays right as long as no page's URL changes.
    resolver: Option<links::Resolver>,
    /// The language suffixes the walked files confirm.
    languages: Languages,
}

/// Options of a load.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub drafts: bool,
    /// Where a build writes (`None`: `ROOT/public`), so the content never reads it back.
    pub output: Option<PathBuf>,
}

/// What a [`reload`] did.
#[derive(Debug, Default)]
pub struct Reloaded {
    /// Site paths of the pages whose Markdown was rendered again.
    pub rendered: HashSet<String>,
}

impl Site {
    /// Lets go of what only loading and the link check need: each page's Markdown, outgoing
    /// links and anchor ids. A build holds every page until it renders it, and these are about
    /// a third of what a page holds (its HTML and text are packed); `serve` keeps them to
    /// render and check an edit again.
    pub fn release_checked(&mut self) {
        for page in &mut self.pages {
            page.body = String::new();
            page.rendered.links = Vec::new();
            page.rendered.ids = HashSet::new();
        }
    }

    /// What awskb chose for itself, for the command line to say once: where the pages are read
    /// from (a notes folder built in place) and which language trees it made.
    pub fn notes(&self) -> Vec<String> {
        self.layout
            .note()
            .into_iter()
            .chain(self.language_note())
            .collect()
    }

    /// The line the command line prints once when some files are in other languages than the
    /// site's: which trees there are, since a suffix is a language only when the site
    /// confirms it ([`Languages`]).
    pub fn language_note(&self) -> Option<String> {
        let mut found: Vec<&str> = self
            .pages
            .iter()
            .filter(|page| page.source.is_some())
            .filter_map(|page| page.lang.as_deref())
            .collect();
        found.sort_unstable();
        found.dedup();
        if found.is_empty() {
            return None;
        }
        let trees: Vec<String> = found.iter().map(|lang| format!("/{lang}/")).collect();
        Some(format!(
            "pages in {} besides {}: language trees {} (by the file names' suffixes, `page.fr.md`)",
            found.join(", "),
            self.config.language,
            trees.join(", ")
        ))
    }
}

/// Reads, parses and resolves the site at `root`; with what was read, for [`reload`] and
/// [`edit`].
pub fn load(
    root: &Path,
    config: Config,
    options: &LoadOptions,
    highlighter: &Highlighter,
) -> (Site, Sources) {
    let mut sources = Sources {
        options: options.clone(),
        ..Sources::default()
    };
    let layout = Layout::detect(
        root,
        config.content_dir.as_deref(),
        options.output.as_deref(),
    );
    sources.walk(root, &layout, &config.languages);
    let mut site = Site {
        root: root.to_path_buf(),
        layout,
        config,
        pages: Vec::new(),
        sections: Vec::new(),
        taxonomies: Vec::new(),
        assets: Vec::new(),
        aliases: Vec::new(),
        diagnostics: Vec::new(),
    };
    let (pages, fresh) = read_pages(&site, &mut sources, Vec::new(), &HashSet::new());
    resolve(&mut site, &mut sources, pages, &fresh, highlighter);
    (site, sources)
}

/// Brings `site` up to date after the files at `changed` (paths relative to `content/`; files or
/// folders, created, edited or deleted) changed on disk. Only those files are read again, and
/// only their Markdown and the Markdown of pages whose links now resolve elsewhere is rendered
/// again; sections and taxonomies are redone over the whole site.
pub fn reload(
    site: &mut Site,
    sources: &mut Sources,
    changed: &[PathBuf],
    highlighter: &Highlighter,
) -> Reloaded {
    let content_dir = site.layout.abs(&site.root);
    let known = |rel: &PathBuf| {
        sources
            .entries
            .iter()
            .any(|e| matches!(e, Entry::Page(p) | Entry::Section(p) if p == rel))
    };
    // Edits of Markdown files the walk already knows keep the file tree as it is; anything else
    // (a new, deleted or renamed file or folder, an asset) walks `content/` again.
    let edits_only = changed
        .iter()
        .all(|rel| known(rel) && is_plain_file(&content_dir.join(rel)));
    let mut kept = std::mem::take(&mut site.pages);
    if !edits_only {
        let before = sources.languages.clone();
        sources.walk(&site.root, &site.layout, &site.config.languages);
        // A new or removed translation can make a suffix a language or a name: every URL
        // may change.
        if sources.languages != before {
            kept.clear();
        }
    }
    let stale: HashSet<PathBuf> = changed.iter().cloned().collect();
    let (pages, fresh) = read_pages(site, sources, kept, &stale);
    resolve(site, sources, pages, &fresh, highlighter)
}

/// Whether `path` is a file and not a symbolic link: a page replaced by a link is walked
/// again, so a link out of the site is refused as on a full load.
fn is_plain_file(path: &Path) -> bool {
    path.symlink_metadata().is_ok_and(|m| m.is_file())
}

impl Sources {
    /// Walks the content folder (again).
    fn walk(&mut self, root: &Path, layout: &Layout, configured: &[String]) {
        let content_dir = layout.abs(root);
        if content_dir.is_dir() {
            let walked = walk::walk(&content_dir, layout, configured);
            (self.entries, self.walk_problems, self.languages) =
                (walked.entries, walked.diagnostics, walked.languages);
        } else {
            self.entries = Vec::new();
            self.languages = Languages::default();
            let message = if layout.dir == Path::new(CONTENT_DIR) {
                format!(
                    "no `{CONTENT_DIR}` folder and no Markdown in {}",
                    root.display()
                )
            } else {
                format!(
                    "no `{}` folder (the config's `content_dir`) in {}",
                    layout.dir.display(),
                    root.display()
                )
            };
            self.walk_problems = vec![
                Diagnostic::error(&layout.dir, 0, 0, "no-content", message).with_help(
                    "run `awskb init DIR` to start a site, run awskb in a folder of Markdown notes, or pass the site folder with `-r`",
                ),
            ];
        }
    }
}

/// The load stage: the pages of the Markdown files of the walk in `sources`. Pages in `kept`
/// (already parsed and rendered) are reused unless their source is in `stale`; every other
/// file is read and parsed, in parallel. Returns the pages and the files of those read.
fn read_pages(
    site: &Site,
    sources: &mut Sources,
    kept: Vec<Page>,
    stale: &HashSet<PathBuf>,
) -> (Vec<Page>, HashSet<PathBuf>) {
    let content_dir = site.layout.abs(&site.root);
    let mut reused: HashMap<PathBuf, Page> = kept
        .into_iter()
        .filter_map(|page| Some((page.source.clone()?, page)))
        .filter(|(source, _)| !stale.contains(source))
        .collect();
    let markdown_files: HashMap<&Path, PageKind> = sources
        .entries
        .iter()
        .filter_map(|e| match e {
            Entry::Page(p) => Some((p.as_path(), PageKind::Page)),
            Entry::Section(p) => Some((p.as_path(), PageKind::Section)),
            _ => None,
        })
        .collect();
    // A file another file made a folder's page or took that role from (a new `x/` beside
    // `x.md`, a second note beside `index.md`) is read again with its new kind.
    reused.retain(|source, page| markdown_files.get(source.as_path()) == Some(&page.kind));
    sources
        .read_problems
        .retain(|file, _| markdown_files.contains_key(file.as_path()) && !stale.contains(file));

    let to_read: Vec<(&PathBuf, PageKind)> = sources
        .entries
        .iter()
        .filter_map(|entry| match entry {
            Entry::Page(path) => Some((path, PageKind::Page)),
            Entry::Section(path) => Some((path, PageKind::Section)),
            _ => None,
        })
        .filter(|(path, _)| !reused.contains_key(*path))
        .collect();
    let documents: Vec<(PathBuf, Option<Page>, Vec<Diagnostic>)> = to_read
        .par_iter()
        .map(|(path, kind)| {
            let (page, problems) = read::read_page(
                &content_dir,
                &site.layout,
                path,
                *kind,
                &site.config,
                &sources.languages,
            );
            ((*path).clone(), page, problems)
        })
        .collect();
    let mut fresh: HashSet<PathBuf> = HashSet::new();
    let mut pages: Vec<Page> = reused.into_values().collect();
    for (path, page, problems) in documents {
        if let Some(page) = page {
            fresh.insert(page.file.clone());
            pages.push(page);
        }
        sources.read_problems.insert(path, problems);
    }
    (pages, fresh)
}

/// The resolve stage: folder sections, drafts left out, URLs checked for duplicates, content
/// files placed, links resolved and Markdown rendered where it is new (`fresh`) or its links
/// moved, then sections, taxonomies and aliases; `site` then holds `pages` resolved.
fn resolve(
    site: &mut Site,
    sources: &mut Sources,
    mut pages: Vec<Page>,
    fresh: &HashSet<PathBuf>,
    highlighter: &Highlighter,
) -> Reloaded {
    let content_dir = site.layout.abs(&site.root);
    let config = &site.config;
    add_folder_sections(sources, &site.layout, config, &mut pages);
    let hidden = if sources.options.drafts {
        Vec::new()
    } else {
        remove_drafts(&mut pages)
    };
    pages.sort_by(|a, b| a.path.cmp(&b.path).then_with(|| a.file.cmp(&b.file)));
    let mut site_problems = duplicate_paths(&mut pages);

    let mut assets = collect_assets(&sources.entries, &content_dir, &pages);
    assets.retain(|asset| {
        !hidden
            .iter()
            .any(|section| format!("/{}", asset.output).starts_with(section.as_str()))
    });
    let resolver = links::Resolver::new(&pages, &config.base_path()).with_names(&pages, &assets);
    let notes = links::Notes::new(&pages);
    let rendered: Vec<Option<Rendered>> = pages
        .par_iter()
        .map(|page| {
            let page_resolver = resolver.for_page_in(page, &notes);
            // A page that shows a changed note (`![[Note]]`) shows its new text.
            let needed = page.source.is_none()
                || fresh.contains(&page.file)
                || page.rendered.embeds.iter().any(|file| fresh.contains(file))
                || links::moved(page, &page_resolver);
            needed.then(|| {
                markdown::render(&markdown::Context {
                    file: &page.file,
                    body: &page.body,
                    body_line: page.body_line,
                    config: &config.markdown,
                    title: page.meta.title.as_deref(),
                    params: &page.meta.extra,
                    highlighter,
                    links: &page_resolver,
                    embedded_in: &[],
                })
            })
        })
        .collect();
    let mut reloaded = Reloaded::default();
    for (page, rendered) in pages.iter_mut().zip(rendered) {
        if let Some(rendered) = rendered {
            page.rendered = rendered;
            if page.source.is_some() {
                reloaded.rendered.insert(page.path.clone());
            }
        }
    }

    site.sections = sections::build(&pages);
    site.taxonomies = taxonomy::build(config, &pages, &mut site_problems);
    site.aliases = aliases(&pages);
    site.pages = pages;
    site.assets = assets;
    sources.resolver = Some(resolver);
    sources.site_problems = site_problems;
    gather_diagnostics(site, sources);
    reloaded
}

/// A faster [`reload`] for the common edit: every changed file is a loaded page whose new
/// version keeps its URL and everything other pages show of it ([`listing_key`]). Then
/// sections, taxonomies and URLs stay as they are: only those pages are rendered again (and
/// only the links from and to them need checking again). `None`, with the site untouched, when
/// the change is not such an edit (use [`reload`]).
pub fn edit(
    site: &mut Site,
    sources: &mut Sources,
    changed: &[PathBuf],
    highlighter: &Highlighter,
) -> Option<Reloaded> {
    let content_dir = site.layout.abs(&site.root);
    let mut edits = Vec::new();
    for rel in changed {
        let index = site
            .pages
            .iter()
            .position(|p| p.source.as_deref() == Some(rel.as_path()))?;
        if !is_plain_file(&content_dir.join(rel)) {
            return None;
        }
        let old = &site.pages[index];
        let (page, problems) = read::read_page(
            &content_dir,
            &site.layout,
            rel,
            old.kind,
            &site.config,
            &sources.languages,
        );
        let page = page?;
        let hidden = page.meta.draft && !sources.options.drafts;
        if hidden || page.path != old.path || listing_key(&page) != listing_key(old) {
            return None;
        }
        edits.push((index, rel, page, problems));
    }
    // Pages that show a changed note inside them are rendered again by a reload.
    let files: HashSet<&PathBuf> = edits.iter().map(|(_, _, page, _)| &page.file).collect();
    if site
        .pages
        .iter()
        .any(|p| p.rendered.embeds.iter().any(|f| files.contains(f)))
    {
        return None;
    }
    let resolver = sources.resolver.as_ref()?;
    let notes = links::Notes::new(&site.pages);
    let rendered: Vec<Rendered> = edits
        .iter()
        .map(|(_, _, page, _)| {
            markdown::render(&markdown::Context {
                file: &page.file,
                body: &page.body,
                body_line: page.body_line,
                config: &site.config.markdown,
                title: page.meta.title.as_deref(),
                params: &page.meta.extra,
                highlighter,
                links: &resolver.for_page_in(page, &notes),
                embedded_in: &[],
            })
        })
        .collect();
    let mut reloaded = Reloaded::default();
    for ((index, rel, mut page, problems), rendered) in edits.into_iter().zip(rendered) {
        page.rendered = rendered;
        reloaded.rendered.insert(page.path.clone());
        sources.read_problems.insert(rel.clone(), problems);
        site.pages[index] = page;
    }
    gather_diagnostics(site, sources);
    Some(reloaded)
}

/// A fingerprint of what other outputs show of a page: lists, navigation, breadcrumbs, terms,
/// feeds and the sitemap show its kind, title, description, dates, weight, terms and aliases.
pub fn listing_key(page: &Page) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let meta = &page.meta;
    (page.kind == PageKind::Section).hash(&mut hasher);
    page.title().hash(&mut hasher);
    meta.description.hash(&mut hasher);
    meta.date.map(|d| d.to_rfc3339()).hash(&mut hasher);
    meta.updated.map(|d| d.to_rfc3339()).hash(&mut hasher);
    meta.weight.hash(&mut hasher);
    meta.taxonomies.hash(&mut hasher);
    meta.aliases.hash(&mut hasher);
    hasher.finish()
}

/// Every problem of the site, from where each kind is kept, sorted by file and line.
fn gather_diagnostics(site: &mut Site, sources: &Sources) {
    let mut diagnostics = sources.walk_problems.clone();
    diagnostics.extend(sources.read_problems.values().flatten().cloned());
    diagnostics.extend(
        site.pages
            .iter()
            .flat_map(|p| p.rendered.diagnostics.iter().cloned()),
    );
    diagnostics.extend(sources.site_problems.iter().cloned());
    crate::diagnostics::sort(&mut diagnostics);
    // A cycle of embeds is seen from every page that shows it.
    diagnostics.dedup_by(|a, b| {
        (&a.file, a.line, a.column, &a.code, &a.message)
            == (&b.file, b.line, b.column, &b.code, &b.message)
    });
    site.diagnostics = diagnostics;
}

/// Folders without `_index.md` are sections too, with a title made from the folder name; in
/// each other language, the folders that hold pages of that language (and its home, `/fr/`).
fn add_folder_sections(sources: &Sources, layout: &Layout, config: &Config, pages: &mut Vec<Page>) {
    let (entries, confirmed) = (&sources.entries, &sources.languages);
    let described: HashSet<(PathBuf, Option<String>)> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Section(index) => Some((
                walk::folder_of(&confirmed.split(index).0),
                confirmed.of(index, &config.language),
            )),
            _ => None,
        })
        .collect();
    let mut languages: Vec<Option<String>> = vec![None];
    // The folders holding pages of each language, and every language's home.
    let mut holding: HashSet<(PathBuf, Option<String>)> = HashSet::from([(PathBuf::new(), None)]);
    for entry in entries {
        if let Entry::Page(file) | Entry::Section(file) = entry {
            let lang = confirmed.of(file, &config.language);
            for dir in walk::folder_of(&confirmed.split(file).0).ancestors() {
                holding.insert((dir.to_path_buf(), lang.clone()));
            }
            holding.insert((PathBuf::new(), lang.clone()));
            if !languages.contains(&lang) {
                languages.push(lang);
            }
        }
    }
    for entry in entries {
        let Entry::Folder(dir) = entry else { continue };
        for lang in &languages {
            let wanted = holding.contains(&(dir.clone(), lang.clone()));
            if !wanted || described.contains(&(dir.clone(), lang.clone())) {
                continue;
            }
            let name = match lang {
                Some(lang) => format!("_index.{lang}.md"),
                None => "_index.md".into(),
            };
            let path = site_path(&dir.join(name), PageKind::Section, None, config, confirmed);
            pages.push(Page {
                kind: PageKind::Section,
                file: layout.display(dir),
                source: None,
                untranslated: None,
                lang: lang.clone(),
                meta: FrontMatter::default(),
                body: String::new(),
                body_line: 1,
                path,
                rendered: Rendered::default(),
            });
        }
    }
}

/// Drops draft pages, and everything under a draft section; returns the paths of the draft
/// sections so their files can be left out too.
fn remove_drafts(pages: &mut Vec<Page>) -> Vec<String> {
    let draft_sections: Vec<String> = pages
        .iter()
        .filter(|p| p.kind == PageKind::Section && p.meta.draft && p.path != "/")
        .map(|p| p.path.clone())
        .collect();
    pages.retain(|page| {
        !page.meta.draft
            && !draft_sections
                .iter()
                .any(|section| page.path.starts_with(section.as_str()))
    });
    draft_sections
}

/// Two pages with the same URL are an error naming both files; the second is dropped.
fn duplicate_paths(pages: &mut Vec<Page>) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    pages.retain(|page| match seen.get(&page.path) {
        Some(first) => {
            let (line, column) = page.meta.position_of("slug");
            diagnostics.push(
                Diagnostic::error(
                    &page.file,
                    line,
                    column,
                    "duplicate-url",
                    format!(
                        "{} and {} both want the URL {}",
                        first.display(),
                        page.file.display(),
                        page.path
                    ),
                )
                .with_help("rename one of the files or give the page another `slug`; a folder's own page is its `_index.md`, `index.md`, `README.md`, `x/x.md` or `x.md` beside it"),
            );
            false
        }
        None => {
            seen.insert(page.path.clone(), page.file.clone());
            true
        }
    });
    diagnostics
}

/// Content files that are not Markdown are copied; a bundle's files go beside its page even
/// when a `slug` moved the page.
fn collect_assets(entries: &[Entry], content_dir: &Path, pages: &[Page]) -> Vec<Asset> {
    let by_source: HashMap<&Path, &Page> = pages
        .iter()
        .filter_map(|p| Some((p.source.as_deref()?, p)))
        .collect();
    let mut assets = Vec::new();
    for entry in entries {
        let Entry::Asset { path, bundle } = entry else {
            continue;
        };
        let output = match bundle {
            Some(index) => {
                // A draft bundle's files stay out too.
                let Some(page) = by_source.get(index.as_path()) else {
                    continue;
                };
                let inside = path
                    .strip_prefix(index.parent().unwrap_or(Path::new("")))
                    .unwrap_or(path);
                format!(
                    "{}{}",
                    page.path.trim_start_matches('/'),
                    inside.to_string_lossy()
                )
            }
            None => path.to_string_lossy().into_owned(),
        };
        assets.push(Asset {
            source: content_dir.join(path),
            rel: path.clone(),
            output: output.replace('\\', "/"),
        });
    }
    assets
}

/// Alias paths of every page (their form is checked with the front matter; clashes with
/// other outputs by the output plan).
fn aliases(pages: &[Page]) -> Vec<(String, usize)> {
    let mut result = Vec::new();
    for (index, page) in pages.iter().enumerate() {
        for alias in &page.meta.aliases {
            let trimmed = alias.trim().trim_start_matches('/');
            let path = if trimmed.ends_with(".html") || trimmed.ends_with('/') {
                format!("/{trimmed}")
            } else {
                format!("/{trimmed}/")
            };
            result.push((path, index));
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_from_files() {
        let p = |rel: &str, kind, slug| page_path(Path::new(rel), kind, slug);
        assert_eq!(p("_index.md", PageKind::Section, None), "/");
        assert_eq!(p("aws/_index.md", PageKind::Section, None), "/aws/");
        assert_eq!(p("aws/lambda.md", PageKind::Page, None), "/aws/lambda/");
        assert_eq!(
            p("aws/lambda/index.md", PageKind::Page, None),
            "/aws/lambda/"
        );
        assert_eq!(
            p("aws/lambda.md", PageKind::Page, Some("aws-lambda")),
            "/aws/aws-lambda/"
        );
        assert_eq!(
            p("aws/lambda/index.md", PageKind::Page, Some("fn")),
            "/aws/fn/"
        );
    }
}
