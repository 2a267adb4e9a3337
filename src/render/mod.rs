//! Tera templates and their context: pages, sections, taxonomy pages, home, 404, the search
//! page, aliases, sitemap, feed and robots.txt, plus the theme's static files.

pub(crate) mod context;
pub mod feeds;
pub mod theme;

use std::collections::{BTreeMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};
use walkdir::WalkDir;

use crate::config::Config;
use crate::content::outputs::output_file;
use crate::content::{PageKind, Site};
use crate::diagnostics::Diagnostic;
use crate::markdown::highlight;
use crate::output::Output;
use crate::search::SEARCH_PATH;
use context::Views;

/// The folder of a site's own templates.
pub const TEMPLATES_DIR: &str = "templates";
/// Where the diagrams' stylesheet is written in the output.
const DIAGRAM_CSS: &str = "css/asl.css";

/// Where the state machine playground is, when `playground = true`.
pub const PLAYGROUND_PATH: &str = "/playground/";

/// The folder of a site's own static files.
pub const STATIC_DIR: &str = "static";

/// The loaded templates and generated assets of one build.
pub struct Renderer {
    tera: Tera,
    /// Where each template came from, for diagnostics.
    template_files: BTreeMap<String, String>,
    syntax_css: String,
    assets: AssetUrls,
    /// Template name -> the templates it extends, includes or imports.
    uses: BTreeMap<String, Vec<String>>,
}

/// Cache-busting URLs of the theme's assets (`…/style.css?v=HASH`).
#[derive(Serialize, Clone)]
struct AssetUrls {
    style: String,
    syntax: String,
    /// State machine diagrams' stylesheet (from the `asl` crate, which also embeds it in
    /// standalone SVG files).
    diagram: String,
    script: String,
    /// The search page's script, which the header box also loads when it is first used.
    search: String,
    /// The run panel's and playground's script, which `script` loads on pages with diagrams.
    runner: String,
    /// The ASL engine for the browser, which `runner` loads when it is first needed.
    engine: String,
    /// The site's `static/favicon.{svg,png,ico}` if it has one, else the theme's icon.
    favicon: String,
    favicon_type: &'static str,
}

impl Renderer {
    /// Loads the built-in templates, then the site's `templates/` over them, and generates the
    /// highlighting stylesheet. Asset links carry a hash of the file (`style.css?v=HASH`).
    pub fn new(root: &Path, config: &Config) -> Result<Renderer, Vec<Diagnostic>> {
        Renderer::load(root, config, true)
    }

    /// [`Renderer::new`] without the hashes in asset links, for `serve`: it sends every file
    /// uncached, and a changed stylesheet then changes no page (it is swapped in place).
    pub fn unversioned(root: &Path, config: &Config) -> Result<Renderer, Vec<Diagnostic>> {
        Renderer::load(root, config, false)
    }

    fn load(root: &Path, config: &Config, versions: bool) -> Result<Renderer, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, (String, String)> = theme::TEMPLATES
            .iter()
            .map(|(name, text)| {
                (
                    name.to_string(),
                    (
                        text.to_string(),
                        format!("(built-in) {TEMPLATES_DIR}/{name}"),
                    ),
                )
            })
            .collect();
        let mut diagnostics = Vec::new();
        for (rel, path) in files_under(&root.join(TEMPLATES_DIR), TEMPLATES_DIR, &mut diagnostics) {
            let file = format!("{TEMPLATES_DIR}/{rel}");
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    sources.insert(rel, (text, file));
                }
                Err(e) => diagnostics.push(Diagnostic::error(
                    file,
                    0,
                    0,
                    "template",
                    format!("cannot read template: {e}"),
                )),
            }
        }
        let mut tera = Tera::new();
        let uses = sources
            .iter()
            .map(|(name, (text, _))| (name.clone(), referenced_templates(text)))
            .collect();
        let template_files: BTreeMap<String, String> = sources
            .iter()
            .map(|(name, (_, file))| (name.clone(), file.clone()))
            .collect();
        if let Err(error) = tera.add_raw_templates(
            sources
                .iter()
                .map(|(name, (text, _))| (name.as_str(), text.as_str())),
        ) {
            diagnostics.push(template_diagnostic(&error, &template_files, None));
        }
        let syntax_css = match highlight::stylesheet(
            &config.markdown.highlight_theme_light,
            &config.markdown.highlight_theme_dark,
        ) {
            Ok(css) => css,
            Err(e) => {
                diagnostics.push(Diagnostic::error(
                    crate::config::CONFIG_FILE,
                    0,
                    0,
                    "config",
                    e.to_string(),
                ));
                String::new()
            }
        };
        if !diagnostics.is_empty() {
            return Err(diagnostics);
        }
        let base = config.base_path();
        let versioned = |name: &str, bytes: &[u8]| {
            if versions {
                format!("{base}{name}?v={}", short_hash(bytes))
            } else {
                format!("{base}{name}")
            }
        };
        let asset = |name: &str| {
            let site_file = root.join(STATIC_DIR).join(name);
            let bytes = std::fs::read(site_file)
                .ok()
                .or_else(|| {
                    theme::STATIC
                        .iter()
                        .find(|(n, _)| *n == name)
                        .map(|(_, b)| b.to_vec())
                })
                .unwrap_or_default();
            versioned(name, &bytes)
        };
        let assets = AssetUrls {
            style: asset("css/style.css"),
            syntax: versioned("css/syntax.css", syntax_css.as_bytes()),
            diagram: versioned(DIAGRAM_CSS, asl::diagram::STYLESHEET.as_bytes()),
            script: asset("js/awskb.js"),
            search: asset("js/search.js"),
            runner: asset("js/asl-runner.js"),
            engine: asset("asl/asl.wasm"),
            favicon: String::new(),
            favicon_type: "",
        };
        let (icon, icon_type) = theme::FAVICONS
            .iter()
            .find(|(name, _)| root.join(STATIC_DIR).join(name).is_file())
            .unwrap_or(&theme::FAVICONS[0]);
        let assets = AssetUrls {
            favicon: asset(icon),
            favicon_type: icon_type,
            ..assets
        };
        Ok(Renderer {
            tera,
            template_files,
            syntax_css,
            assets,
            uses,
        })
    }

    /// What to render again after the template `name` changed: the pages, lists and feeds whose
    /// template is `name` or extends, includes or imports it, directly or not.
    pub fn selection_for_template(&self, site: &Site, name: &str) -> Selection {
        let mut users: HashSet<&str> = HashSet::from([name]);
        loop {
            let before = users.len();
            for (template, used) in &self.uses {
                if used.iter().any(|u| users.contains(u.as_str())) {
                    users.insert(template);
                }
            }
            if users.len() == before {
                break;
            }
        }
        let pages = (0..site.pages.len())
            .filter(|&index| users.contains(template_for(site, index)))
            .map(|index| site.pages[index].path.clone())
            .collect();
        let any = |names: &[&str]| names.iter().any(|n| users.contains(n));
        Selection {
            pages: Some(pages),
            lists: any(&[
                "taxonomy_list.html",
                "taxonomy_term.html",
                "404.html",
                "alias.html",
                "search.html",
                "playground.html",
            ]),
            feed: any(&["atom.xml"]),
            sitemap: any(&["sitemap.xml", "robots.txt"]),
            files: false,
        }
    }

    /// Whether a template of that name exists (built in or the site's).
    pub fn has_template(&self, name: &str) -> bool {
        self.template_files.contains_key(name)
    }

    fn render(
        &self,
        template: &str,
        context: &Context,
        file: Option<&Path>,
    ) -> Result<String, Diagnostic> {
        self.tera
            .render(template, context)
            .map_err(|e| template_diagnostic(&e, &self.template_files, file))
    }
}

/// A Tera error as a diagnostic. Tera's message names the template and line (`--> name:3:7`);
/// the diagnostic points at the template's file, and names the page being rendered.
fn template_diagnostic(
    error: &tera::Error,
    files: &BTreeMap<String, String>,
    page: Option<&Path>,
) -> Diagnostic {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        message.push_str(&format!(": {inner}"));
        source = inner.source();
    }
    let located = message.split("--> ").nth(1).and_then(|rest| {
        let location = rest.split_whitespace().next()?;
        let mut parts = location.rsplitn(3, ':');
        let column = parts.next()?.parse::<usize>().ok()?;
        let line = parts.next()?.parse::<usize>().ok()?;
        Some((parts.next()?.to_string(), line, column))
    });
    let headline = message
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("template error")
        .to_string();
    let detail: Vec<&str> = message
        .lines()
        .skip(1)
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .collect();
    let while_rendering = page
        .map(|p| format!(" (while rendering {})", p.display()))
        .unwrap_or_default();
    let (file, line, column) = match located {
        Some((name, line, column)) => (files.get(&name).cloned().unwrap_or(name), line, column),
        None => (
            page.map(|p| p.display().to_string())
                .unwrap_or_else(|| TEMPLATES_DIR.to_string()),
            0,
            0,
        ),
    };
    let file = file.trim_start_matches("(built-in) ").to_string();
    let mut diagnostic = Diagnostic::error(
        file,
        line,
        column,
        "template",
        format!("{headline}{while_rendering}"),
    );
    if !detail.is_empty() {
        diagnostic = diagnostic.with_help(detail.join("\n"));
    }
    diagnostic
}

/// The templates named by `extends`, `include` and `import` tags in a template's source.
fn referenced_templates(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for tag in text.split("{%").skip(1) {
        let body = tag.split("%}").next().unwrap_or("");
        let body = body.trim_matches(|c: char| c == '-' || c.is_whitespace());
        let keyword = body.split_whitespace().next().unwrap_or("");
        if !matches!(keyword, "extends" | "include" | "import") {
            continue;
        }
        let mut rest = &body[keyword.len()..];
        while let Some(open) = rest.find(['"', '\'']) {
            let quote = &rest[open..open + 1];
            let after = &rest[open + 1..];
            let Some(close) = after.find(quote) else {
                break;
            };
            names.push(after[..close].to_string());
            rest = &after[close + 1..];
        }
    }
    names
}

/// A short, stable fingerprint for cache busting.
fn short_hash(bytes: &[u8]) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    format!("{:08x}", hasher.finish() as u32)
}

/// A canonical link only makes sense as an absolute URL; without an origin in `base_url`
/// there is none.
fn canonical(permalink: &str) -> &str {
    if permalink.contains("://") {
        permalink
    } else {
        ""
    }
}

/// The template a page asks for, or the default for its kind.
fn template_for(site: &Site, index: usize) -> &str {
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

/// Which files a render writes: everything for a build; for `serve`, what a change touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Site paths (`/aws/lambda/`) of the pages and sections to render; `None` renders all.
    pub pages: Option<HashSet<String>>,
    /// Taxonomy and term pages, the 404 page and alias redirects.
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

    fn has_page(&self, path: &str) -> bool {
        self.pages.as_ref().is_none_or(|pages| pages.contains(path))
    }
}

/// Renders every file of the site into `out`. Returns the diagnostics (template errors, write
/// errors) and the number of files written.
pub fn render_site(site: &Site, renderer: &Renderer, out: &dyn Output) -> (Vec<Diagnostic>, usize) {
    render_selected(site, renderer, out, &Selection::all())
}

/// Renders the files `selection` names into `out`; see [`render_site`].
pub fn render_selected(
    site: &Site,
    renderer: &Renderer,
    out: &dyn Output,
    selection: &Selection,
) -> (Vec<Diagnostic>, usize) {
    let views = Views::new(site);
    let site_value = tera::Value::from_serializable(&views.site_view());
    let assets = tera::Value::from_serializable(&renderer.assets);
    let base_context = || {
        let mut context = Context::new();
        context.insert_value("site", site_value.clone());
        context.insert_value("assets", assets.clone());
        context
    };
    let write = |rel: &str, text: String, file: Option<&Path>| -> Result<(), Diagnostic> {
        out.write(rel, text.as_bytes()).map_err(|e| {
            Diagnostic::error(
                file.map(Path::to_path_buf)
                    .unwrap_or_else(|| PathBuf::from(rel)),
                0,
                0,
                "io",
                format!("cannot write {rel}: {e}"),
            )
        })
    };

    let mut diagnostics = Vec::new();
    for (index, page) in site.pages.iter().enumerate() {
        if page.meta.template.is_some() && !renderer.has_template(template_for(site, index)) {
            let (line, column) = page.meta.position_of("template");
            diagnostics.push(
                Diagnostic::error(
                    &page.file,
                    line,
                    column,
                    "template",
                    format!("unknown template `{}`", template_for(site, index)),
                )
                .with_help(format!(
                    "add it to {TEMPLATES_DIR}/ or use one of: {}",
                    renderer
                        .template_files
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    }
    if !diagnostics.is_empty() {
        return (diagnostics, 0);
    }

    let page_results: Vec<Result<(), Diagnostic>> = (0..site.pages.len())
        .into_par_iter()
        .filter(|&index| selection.has_page(&site.pages[index].path))
        .map(|index| {
            let page = &site.pages[index];
            let mut context = base_context();
            let view = views.page_view(index);
            context.insert("canonical", &canonical(&view.permalink));
            context.insert("page", &view);
            context.insert("nav", &views.nav_view(Some(index)));
            let html = renderer.render(template_for(site, index), &context, Some(&page.file))?;
            write(&output_file(&page.path), html, Some(&page.file))
        })
        .collect();
    let mut written = tally(page_results, &mut diagnostics);

    let mut extra: Vec<(String, &str, Context)> = Vec::new();
    if selection.lists {
        extra.extend(list_contexts(site, &views, &base_context));
    }
    if selection.sitemap {
        extra.extend(feeds::sitemap_contexts(&views, &base_context));
    }
    if selection.feed {
        extra.extend(feeds::feed_context(&views, &base_context));
    }
    let extra_results: Vec<Result<(), Diagnostic>> = extra
        .par_iter()
        .map(|(rel, template, context)| write(rel, renderer.render(template, context, None)?, None))
        .collect();
    written += tally(extra_results, &mut diagnostics);

    if selection.files {
        let (copy_diagnostics, copied) = copy_static(site, renderer, out);
        diagnostics.extend(copy_diagnostics);
        written += copied;
    }
    (diagnostics, written)
}

/// The taxonomy, term, 404, search, playground and alias pages: (output file, template,
/// context).
fn list_contexts<'a>(
    site: &'a Site,
    views: &Views,
    base_context: &dyn Fn() -> Context,
) -> Vec<(String, &'a str, Context)> {
    let mut extra: Vec<(String, &str, Context)> = Vec::new();
    // A generated page at `path`: the site's navigation and its canonical address.
    let page_at = |path: &str| {
        let mut context = base_context();
        context.insert("nav", &views.nav_view(None));
        context.insert(
            "canonical",
            &canonical(&site.config.permalink(&views.href(path))),
        );
        context
    };
    let mut nav = views.nav_view(None);
    for taxonomy in &site.taxonomies {
        let taxonomy_view = context::TaxonomyView::new(views, taxonomy);
        nav.taxonomy = Some(taxonomy.name.clone());
        // Its pages mark the taxonomy's entry in the header.
        let taxonomy_page = |path: &str| {
            let mut context = page_at(path);
            context.insert("nav", &nav);
            context
        };
        let mut context = taxonomy_page(&taxonomy.path);
        context.insert("taxonomy", &taxonomy_view);
        extra.push((output_file(&taxonomy.path), "taxonomy_list.html", context));
        for term in &taxonomy.terms {
            let mut context = taxonomy_page(&term.path);
            context.insert("taxonomy", &taxonomy_view);
            context.insert("term", &context::TermView::new(views, term));
            extra.push((output_file(&term.path), "taxonomy_term.html", context));
        }
    }
    let mut not_found = base_context();
    not_found.insert("nav", &views.nav_view(None));
    not_found.insert("canonical", &"");
    extra.push(("404.html".into(), "404.html", not_found));
    if site.config.search {
        let mut search = page_at(SEARCH_PATH);
        let filters: Vec<context::TaxonomyView> = site
            .taxonomies
            .iter()
            .filter(|taxonomy| !taxonomy.terms.is_empty())
            .map(|taxonomy| context::TaxonomyView::new(views, taxonomy))
            .collect();
        search.insert("filters", &filters);
        extra.push((output_file(SEARCH_PATH), "search.html", search));
    }
    if site.config.playground {
        extra.push((
            output_file(PLAYGROUND_PATH),
            "playground.html",
            page_at(PLAYGROUND_PATH),
        ));
    }
    for (alias, target) in &site.aliases {
        let mut context = base_context();
        context.insert("target", &views.href(&site.pages[*target].path));
        extra.push((output_file(alias), "alias.html", context));
    }
    extra
}

/// The files under a site folder (`templates/`, `static/`) as (`/`-separated relative path,
/// path), sorted; unreadable entries become diagnostics naming `label`.
fn files_under(
    dir: &Path,
    label: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in WalkDir::new(dir).follow_links(true).sort_by_file_name() {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let rel = entry
                    .path()
                    .strip_prefix(dir)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                files.push((rel, entry.path().to_path_buf()));
            }
            Ok(_) => {}
            Err(e) => diagnostics.push(Diagnostic::error(
                label,
                0,
                0,
                "io",
                format!("cannot read {label}/: {e}"),
            )),
        }
    }
    files
}

/// Counts the files written and moves the failures into `diagnostics`.
fn tally(results: Vec<Result<(), Diagnostic>>, diagnostics: &mut Vec<Diagnostic>) -> usize {
    let before = diagnostics.len();
    let total = results.len();
    diagnostics.extend(results.into_iter().filter_map(Result::err));
    total - (diagnostics.len() - before)
}

/// Theme files, the generated highlighting CSS, content assets, then the site's `static/`
/// (which wins over the theme's file of the same name).
fn copy_static(site: &Site, renderer: &Renderer, out: &dyn Output) -> (Vec<Diagnostic>, usize) {
    enum Source<'a> {
        Bytes(&'a [u8]),
        File(PathBuf),
    }
    let mut files: BTreeMap<String, Source> = BTreeMap::new();
    for (name, bytes) in theme::STATIC {
        files.insert(name.to_string(), Source::Bytes(bytes));
    }
    files.insert(
        "css/syntax.css".into(),
        Source::Bytes(renderer.syntax_css.as_bytes()),
    );
    files.insert(
        DIAGRAM_CSS.into(),
        Source::Bytes(asl::diagram::STYLESHEET.as_bytes()),
    );
    for asset in &site.assets {
        files.insert(asset.output.clone(), Source::File(asset.source.clone()));
    }
    let mut diagnostics = Vec::new();
    for (rel, path) in files_under(&site.root.join(STATIC_DIR), STATIC_DIR, &mut diagnostics) {
        files.insert(rel, Source::File(path));
    }
    let results: Vec<Result<(), Diagnostic>> = files
        .par_iter()
        .map(|(rel, source)| {
            let result = match source {
                Source::Bytes(bytes) => out.write(rel, bytes),
                Source::File(path) => out.copy(rel, path),
            };
            result.map_err(|e| {
                Diagnostic::error(rel.as_str(), 0, 0, "io", format!("cannot copy {rel}: {e}"))
            })
        })
        .collect();
    let copied = tally(results, &mut diagnostics);
    (diagnostics, copied)
}

#[cfg(test)]
mod tests {
    use super::referenced_templates;

    #[test]
    fn finds_extended_included_and_imported_templates() {
        let text = r#"{% extends "base.html" %}{%- import 'components.html' as c -%}
{% block x %}{% include "a.html" ignore missing %}{{ "include 'no.html'" }}{% endblock x %}"#;
        assert_eq!(
            referenced_templates(text),
            ["base.html", "components.html", "a.html"]
        );
        assert!(referenced_templates("{% if include %}{% endif %}").is_empty());
    }
}
