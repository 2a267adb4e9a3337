//! awskb: a static site generator for AWS knowledge bases.
//!
//! The pipeline is load -> resolve ([`content`]) -> plan ([`plan`]) -> render ([`render`],
//! [`search`], [`practice`]) -> write ([`output`]), each a plain function over plain data, so tests drive it
//! without the command line.

pub mod config;
pub mod content;
pub mod definitions;
pub mod diagnostics;
pub mod init;
pub mod markdown;
pub mod output;
pub mod plan;
pub mod practice;
pub mod render;
pub mod search;
pub mod serve;
pub mod slug;
mod timings;
pub mod url;

use std::path::PathBuf;
use std::time::Instant;

use thiserror::Error;

use config::Config;
use content::{LoadOptions, Site};
use diagnostics::Diagnostic;
use markdown::Highlighter;
use output::{Discard, OutputError, Staging};
use plan::Plan;
use render::Renderer;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder (holding `content/`, optional `awskb.toml`, `templates/`, `static/`).
    pub root: PathBuf,
    /// The output folder; `ROOT/public` when `None`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from the config.
    pub base_url: Option<String>,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
}

impl BuildOptions {
    /// Options for the site at `root` with every default.
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
        }
    }
}

/// The outcome of a build or check that ran to the end.
#[derive(Debug)]
pub struct Report {
    /// Every problem found, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
    /// Pages and sections rendered.
    pub pages: usize,
    /// Files written (or, for `check`, that would have been written).
    pub files: usize,
    /// Where the site was written; `None` when nothing was written.
    pub output: Option<PathBuf>,
    /// What awskb chose for itself, said once ([`Site::notes`]): the root itself as the content,
    /// language trees.
    pub notes: Vec<String>,
    /// Each page's number of questions (for `check --format json`).
    pub questions: Vec<practice::PageQuestions>,
}

impl Report {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Problems that stop a build before it looks at content.
#[derive(Debug, Error)]
pub enum BuildError {
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// Loads the config and content of the site and renders it with `out`.
fn run(options: &BuildOptions, out: &dyn output::Output) -> (Site, Vec<Diagnostic>, usize) {
    let (mut config, config_problem) = match Config::load(&options.root) {
        Ok(config) => (config, None),
        Err(diagnostic) => (Config::default(), Some(diagnostic)),
    };
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.clone();
    }
    let started = Instant::now();
    let highlighter = Highlighter::default();
    let (mut site, _) = content::load(
        &options.root,
        config,
        &LoadOptions {
            drafts: options.drafts,
            output: options.output.clone(),
        },
        &highlighter,
    );
    site.diagnostics.extend(config_problem);
    timings::report("load and parse", started);
    let started = Instant::now();
    let (statics, static_problems) = render::statics(&options.root);
    let plan = Plan::new(&site, statics);
    site.diagnostics.extend(static_problems);
    site.diagnostics.extend(plan::collisions(&plan));
    site.diagnostics.extend(plan::check_links(&site, &plan));
    site.release_checked();
    timings::report("plan and check links", started);
    let started = Instant::now();
    let render = || {
        let started = Instant::now();
        let rendered = match Renderer::new(&options.root, &site.config) {
            Ok(renderer) => render::render_site(&site, &plan, &renderer, out),
            Err(diagnostics) => (diagnostics, 0),
        };
        timings::report("render pages", started);
        rendered
    };
    let index = || search::write_index(&site, &plan, out);
    // The index is built from the loaded site, not from the rendered pages: it runs beside
    // the rendering, both spreading their pages over the same rayon pool.
    let ((render_diagnostics, rendered), (search_diagnostics, indexed)) =
        rayon::join(render, index);
    timings::report("render and index", started);
    let mut files = rendered + indexed;
    let mut diagnostics = std::mem::take(&mut site.diagnostics);
    diagnostics.extend(render_diagnostics);
    diagnostics.extend(search_diagnostics);
    // The practice data is small beside the pages (a few JSON files per 64 questions).
    let (practice_diagnostics, written) = practice::write_data(&site, &plan, out);
    diagnostics.extend(practice_diagnostics);
    files += written;
    diagnostics::sort(&mut diagnostics);
    (site, diagnostics, files)
}

/// Builds the site into its output folder. The folder is replaced only when the build has no
/// errors; otherwise the previous output stays as it was.
pub fn build(options: &BuildOptions) -> Result<Report, BuildError> {
    let target = options
        .output
        .clone()
        .unwrap_or_else(|| options.root.join(content::DEFAULT_OUTPUT));
    let staging = Staging::create(&target, &options.root)?;
    let (site, diagnostics, files) = run(options, &staging);
    let mut report = Report {
        diagnostics,
        pages: site.pages.len(),
        files,
        output: None,
        notes: site.notes(),
        questions: practice::counts(&site),
    };
    if !report.has_errors() {
        let committed = staging.commit()?;
        report.output = Some(committed.path);
        report.diagnostics.extend(committed.leftover);
    }
    Ok(report)
}

/// Runs everything a build does and writes nothing.
pub fn check(options: &BuildOptions) -> Report {
    let (site, diagnostics, files) = run(options, &Discard);
    Report {
        diagnostics,
        pages: site.pages.len(),
        files,
        output: None,
        notes: site.notes(),
        questions: practice::counts(&site),
    }
}
