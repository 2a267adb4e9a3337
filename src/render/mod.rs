//! Writes the files of the output plan: Tera templates and their context for the rendered
//! kinds (pages, sections, taxonomy pages, home, 404, the search, playground and practice
//! pages, aliases, sitemap, feed and robots.txt), bytes for the copied ones (the theme's static files, the generated
//! stylesheets, content files).

pub(crate) mod context;
pub mod feeds;
pub mod theme;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tera::{Context, Tera};
use walkdir::WalkDir;

use crate::config::Config;
use crate::content::{STATIC_DIR, Site, TEMPLATES_DIR};
use crate::diagnostics::Diagnostic;
use crate::markdown::highlight;
use crate::output::Output;
use crate::plan::{self, Kind, Plan, Planned, Selection, Source, Static};
use context::Views;

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
    /// Answerable questions and progress (every page), and the practice page's script.
    questions: String,
    questions_css: String,
    practice: String,
    /// The script that draws Mermaid blocks and the Mermaid bundle it loads, and the
    /// playground's editor: empty when the plan leaves them out (no page uses them).
    mermaid_init: String,
    mermaid: String,
    codemirror: String,
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
            let mut diagnostic = template_diagnostic(&error, &template_files, None);
            if let Some((name, line, column)) = circular_include(&diagnostic.message, &sources) {
                diagnostic.file = template_files
                    .get(&name)
                    .map_or(name, |file| {
                        file.trim_start_matches("(built-in) ").to_string()
                    })
                    .into();
                (diagnostic.line, diagnostic.column) = (line, column);
            }
            diagnostics.push(diagnostic);
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
            syntax: versioned(plan::SYNTAX_CSS, syntax_css.as_bytes()),
            diagram: versioned(plan::DIAGRAM_CSS, asl::diagram::STYLESHEET.as_bytes()),
            script: asset("js/awskb.js"),
            search: asset("js/search.js"),
            runner: asset("js/asl-runner.js"),
            engine: asset("asl/asl.wasm"),
            questions: asset("js/questions.js"),
            questions_css: asset("css/questions.css"),
            practice: asset("js/practice.js"),
            mermaid_init: asset(plan::MERMAID_INIT_JS),
            mermaid: asset(plan::MERMAID_JS),
            codemirror: asset(plan::CODEMIRROR_JS),
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

    /// What to render again after the template `name` changed: the planned files whose
    /// template is `name` or extends, includes or imports it, directly or not.
    pub fn selection_for_template(&self, plan: &Plan, name: &str) -> Selection {
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
        Selection::using(plan, &users)
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

/// Where a circular include closes, from Tera's message ("Circular include detected for
/// template 'a.html'. Include chain: `["a.html", "b.html", "a.html"]`"), which names no line:
/// the template that includes the first again, and the line and column of that include.
fn circular_include(
    message: &str,
    sources: &BTreeMap<String, (String, String)>,
) -> Option<(String, usize, usize)> {
    let chain = message
        .split("Include chain: `")
        .nth(1)?
        .split('`')
        .next()?;
    let chain: Vec<String> = serde_json::from_str(chain).ok()?;
    let [.., including, included] = chain.as_slice() else {
        return None;
    };
    let (text, _) = sources.get(including)?;
    let at = text.match_indices("{%").map(|(at, _)| at).find(|&at| {
        let tag = text[at..].split("%}").next().unwrap_or("");
        tag.contains("include") && referenced_templates(&format!("{tag}%}}")).contains(included)
    })?;
    let (line, column) = crate::diagnostics::line_col(text, at);
    Some((including.clone(), line, column))
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

impl AssetUrls {
    /// These links without those to the theme's on-demand files that `plan` leaves out.
    fn planned(&self, plan: &Plan) -> AssetUrls {
        let mut urls = self.clone();
        for (url, file) in [
            (&mut urls.mermaid_init, plan::MERMAID_INIT_JS),
            (&mut urls.mermaid, plan::MERMAID_JS),
            (&mut urls.codemirror, plan::CODEMIRROR_JS),
        ] {
            if !plan.writes(file) {
                url.clear();
            }
        }
        urls
    }
}

/// A short fingerprint for cache busting: the start of the bytes' SHA-256, the same with every
/// toolchain (`DefaultHasher`'s output may change between Rust releases).
fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..4]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
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

/// Renders every planned file of the site into `out`. Returns the diagnostics (template
/// errors, write errors) and the number of files written.
pub fn render_site(
    site: &Site,
    plan: &Plan,
    renderer: &Renderer,
    out: &dyn Output,
) -> (Vec<Diagnostic>, usize) {
    render_selected(site, plan, renderer, out, &Selection::all())
}

/// Renders the planned files `selection` selects into `out`; see [`render_site`].
pub fn render_selected(
    site: &Site,
    plan: &Plan,
    renderer: &Renderer,
    out: &dyn Output,
    selection: &Selection,
) -> (Vec<Diagnostic>, usize) {
    render_until(site, plan, renderer, out, selection, &|| false)
        .unwrap_or_else(|Superseded| (Vec::new(), 0))
}

/// A render given up because a newer change came (see [`render_until`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Superseded;

/// [`render_selected`] that asks `superseded` before each file it renders and gives up as soon
/// as it answers `true`: `serve` drops a slow render when a newer save comes, instead of making
/// the author wait for output that is already out of date. What was written to `out` is then
/// incomplete and must be thrown away.
pub fn render_until(
    site: &Site,
    plan: &Plan,
    renderer: &Renderer,
    out: &dyn Output,
    selection: &Selection,
    superseded: &(dyn Fn() -> bool + Sync),
) -> Result<(Vec<Diagnostic>, usize), Superseded> {
    let unknown = unknown_templates(site, plan, renderer);
    if !unknown.is_empty() {
        return Ok((unknown, 0));
    }
    let (copied, rendered): (Vec<&Planned>, Vec<&Planned>) = plan
        .written()
        .into_iter()
        .filter(|entry| selection.selects(site, entry))
        .partition(|entry| entry.kind.is_file());
    let contexts = Contexts::new(site, plan, renderer);
    let given_up = AtomicBool::new(false);
    let results: Vec<Result<(), Diagnostic>> = rendered
        .par_iter()
        .filter_map(|entry| {
            if given_up.load(Ordering::Relaxed) || superseded() {
                given_up.store(true, Ordering::Relaxed);
                return None;
            }
            let template = entry.template.as_deref()?;
            let page = match entry.kind {
                Kind::Page(index) => Some(site.pages[index].file.as_path()),
                _ => None,
            };
            let context = contexts.of(entry.kind)?;
            Some(renderer.render(template, &context, page).and_then(|html| {
                out.write(&entry.file, html.as_bytes()).map_err(|e| {
                    Diagnostic::error(
                        page.map(Path::to_path_buf)
                            .unwrap_or_else(|| PathBuf::from(&entry.file)),
                        0,
                        0,
                        "io",
                        format!("cannot write {}: {e}", entry.file),
                    )
                })
            }))
        })
        .collect();
    if given_up.into_inner() {
        return Err(Superseded);
    }
    let mut diagnostics = Vec::new();
    let mut written = tally(results, &mut diagnostics);
    let results: Vec<Result<(), Diagnostic>> = copied
        .par_iter()
        .map(|entry| copy(site, plan, renderer, entry, out))
        .collect();
    written += tally(results, &mut diagnostics);
    Ok((diagnostics, written))
}

/// An error for every page whose front matter names a template that does not exist.
fn unknown_templates(site: &Site, plan: &Plan, renderer: &Renderer) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for entry in &plan.entries {
        let (Kind::Page(index), Some(template)) = (entry.kind, &entry.template) else {
            continue;
        };
        let page = &site.pages[index];
        if page.meta.template.is_none() || renderer.has_template(template) {
            continue;
        }
        let (line, column) = page.meta.position_of("template");
        diagnostics.push(
            Diagnostic::error(
                &page.file,
                line,
                column,
                "template",
                format!("unknown template `{template}`"),
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
    diagnostics
}

/// What the templates of one render see: the views of the site, made once.
struct Contexts<'a> {
    site: &'a Site,
    plan: &'a Plan,
    views: Views<'a>,
    site_value: tera::Value,
    assets: tera::Value,
    /// The views of the taxonomies, made when a list first needs them.
    taxonomies: OnceLock<Vec<context::TaxonomyView>>,
}

impl<'a> Contexts<'a> {
    fn new(site: &'a Site, plan: &'a Plan, renderer: &Renderer) -> Contexts<'a> {
        let views = Views::new(site);
        let site_value = tera::Value::from_serializable(&views.site_view(plan));
        Contexts {
            site,
            plan,
            site_value,
            assets: tera::Value::from_serializable(&renderer.assets.planned(plan)),
            taxonomies: OnceLock::new(),
            views,
        }
    }

    fn taxonomies(&self) -> &[context::TaxonomyView] {
        self.taxonomies.get_or_init(|| {
            let views = &self.views;
            let taxonomies = &self.site.taxonomies;
            taxonomies
                .iter()
                .map(|taxonomy| context::TaxonomyView::new(views, taxonomy))
                .collect()
        })
    }

    /// `site` and `assets`, which every template sees.
    fn base(&self) -> Context {
        let mut context = Context::new();
        context.insert_value("site", self.site_value.clone());
        context.insert_value("assets", self.assets.clone());
        context
    }

    /// A generated page at `path`: the site's navigation and its canonical address.
    fn generated_page(&self, path: &str) -> Context {
        let mut context = self.base();
        context.insert("nav", &self.views.nav_view(None));
        let permalink = self.site.config.permalink(&self.views.href(path));
        context.insert("canonical", &canonical(&permalink));
        context
    }

    /// A page of taxonomy `t` at `path`: its entry in the header's menu is the current one.
    fn taxonomy_page(&self, t: usize, path: &str) -> Context {
        let mut context = self.generated_page(path);
        let mut nav = self.views.nav_view(None);
        nav.taxonomy = Some(self.site.taxonomies[t].name.clone());
        context.insert("nav", &nav);
        context
    }

    /// The context of a rendered kind of file; `None` for files that are not rendered.
    fn of(&self, kind: Kind) -> Option<Context> {
        let site = self.site;
        let views = &self.views;
        let url = |kind| self.plan.url(kind).unwrap_or("/");
        Some(match kind {
            Kind::Page(index) => {
                let mut context = self.base();
                let view = views.page_view(index);
                context.insert("canonical", &canonical(&view.permalink));
                context.insert("page", &view);
                context.insert("nav", &views.nav_view(Some(index)));
                context
            }
            Kind::TaxonomyList(t) => {
                let mut context = self.taxonomy_page(t, &site.taxonomies[t].path);
                context.insert("taxonomy", &self.taxonomies()[t]);
                context
            }
            Kind::Term { taxonomy, term } => {
                let of = &site.taxonomies[taxonomy];
                let value = &of.terms[term];
                let mut context = self.taxonomy_page(taxonomy, &value.path);
                context.insert("taxonomy", &context::TaxonomyOfTerm::new(views, of));
                context.insert("term", &context::TermView::new(views, value));
                context
            }
            Kind::Alias(index) => {
                let mut context = self.base();
                let target = site.aliases[index].1;
                context.insert("target", &views.href(&site.pages[target].path));
                context
            }
            Kind::NotFound => {
                let mut context = self.base();
                context.insert("nav", &views.nav_view(None));
                context.insert("canonical", &"");
                context
            }
            Kind::Search => {
                let mut context = self.generated_page(url(Kind::Search));
                let filters: Vec<&context::TaxonomyView> = site
                    .taxonomies
                    .iter()
                    .zip(self.taxonomies())
                    .filter(|(taxonomy, _)| !taxonomy.terms.is_empty())
                    .map(|(_, view)| view)
                    .collect();
                context.insert("filters", &filters);
                context
            }
            Kind::Playground => self.generated_page(url(Kind::Playground)),
            Kind::Practice => {
                let mut context = self.generated_page(url(Kind::Practice));
                context.insert("data", &views.href(url(Kind::PracticeData)));
                context
            }
            Kind::Sitemap => feeds::sitemap_context(views, self.base()),
            Kind::Robots => feeds::robots_context(views, self.plan, self.base()),
            Kind::Feed => feeds::feed_context(views, self.plan, self.base()),
            Kind::SyntaxCss
            | Kind::DiagramCss
            | Kind::SearchIndex
            | Kind::PracticeData
            | Kind::Asset(_)
            | Kind::Static(_) => return None,
        })
    }
}

/// Writes a copied or generated file.
fn copy(
    site: &Site,
    plan: &Plan,
    renderer: &Renderer,
    entry: &Planned,
    out: &dyn Output,
) -> Result<(), Diagnostic> {
    let rel = entry.file.as_str();
    let result = match entry.kind {
        Kind::SyntaxCss => out.write(rel, renderer.syntax_css.as_bytes()),
        Kind::DiagramCss => out.write(rel, asl::diagram::STYLESHEET.as_bytes()),
        Kind::Asset(index) => out.copy(rel, &site.assets[index].source),
        Kind::Static(index) => match &plan.statics[index].source {
            Source::Bytes(bytes) => out.write(rel, bytes),
            Source::File(path) => out.copy(rel, path),
        },
        _ => return Ok(()),
    };
    result.map_err(|e| Diagnostic::error(rel, 0, 0, "io", format!("cannot copy {rel}: {e}")))
}

/// The theme's static files, then the site's `static/` files (which override them), with the
/// problems of reading the site's folder.
pub fn statics(root: &Path) -> (Vec<Static>, Vec<Diagnostic>) {
    let mut statics: Vec<Static> = theme::STATIC
        .iter()
        .map(|(name, bytes)| Static {
            file: name.to_string(),
            source: Source::Bytes(bytes),
        })
        .collect();
    let mut diagnostics = Vec::new();
    for (file, path) in files_under(&root.join(STATIC_DIR), STATIC_DIR, &mut diagnostics) {
        statics.push(Static {
            file,
            source: Source::File(path),
        });
    }
    (statics, diagnostics)
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
                if entry
                    .path()
                    .strip_prefix(dir)
                    .unwrap_or(entry.path())
                    .to_str()
                    .is_none()
                {
                    let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
                    let shown = Path::new(label).join(rel);
                    let fatal = label == TEMPLATES_DIR;
                    diagnostics.push(crate::content::walk::not_utf8_name(&shown, false, fatal));
                    continue;
                }
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
