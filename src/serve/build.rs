//! The site as `serve` keeps it: loaded once, then brought up to date change by change, with
//! the rendered files in memory. A change re-renders only the outputs it touched; when the site
//! has errors the files stay as they were (the last good version) and the touched outputs wait
//! until the errors are fixed.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use crate::config::Config;
use crate::content::{self, LoadOptions, Site};
use crate::diagnostics::{self, Diagnostic};
use crate::markdown::Highlighter;
use crate::output::{Files, Memory};
use crate::render::{Renderer, Selection};

use super::changes::Changes;
use super::touched::Shape;

/// The site being served.
pub struct LiveBuild {
    root: PathBuf,
    drafts: bool,
    /// Replaces the config's `base_url`, so links point at the dev server.
    base_url: String,
    highlighter: Highlighter,
    site: Site,
    renderer: Result<Renderer, Vec<Diagnostic>>,
    /// Why the config file could not be read, while it cannot.
    config_problem: Option<Diagnostic>,
    /// Outputs touched by changes that have not been published yet (the site had errors).
    pending: Selection,
    /// Static files and content assets in the published files, to drop those that go away.
    copied: HashSet<String>,
}

/// What one rebuild did.
#[derive(Debug)]
pub struct Rebuilt {
    /// Output files whose bytes changed, appeared or went away, `/`-separated.
    pub changed: Vec<String>,
    /// Every problem the site has now, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

impl Rebuilt {
    /// Whether the site has errors (and so nothing was published).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

impl LiveBuild {
    /// Loads the site at `root` and renders all of it into `files`.
    pub fn start(
        root: &Path,
        drafts: bool,
        base_url: String,
        files: &RwLock<Files>,
    ) -> (LiveBuild, Rebuilt) {
        let highlighter = Highlighter::default();
        let (config, config_problem) = read_config(root, &base_url);
        let site = content::load(root, config, &LoadOptions { drafts }, &highlighter);
        let renderer = Renderer::new(root, &site.config);
        let mut build = LiveBuild {
            root: root.to_path_buf(),
            drafts,
            base_url,
            highlighter,
            site,
            renderer,
            config_problem: config_problem.err(),
            pending: Selection::all(),
            copied: HashSet::new(),
        };
        // The first version is published even with errors: there is no earlier one to keep,
        // and the pages that did render are better than none.
        let rebuilt = build.publish(files, true);
        (build, rebuilt)
    }

    /// Applies `changes` and publishes the outputs they touched into `files`, unless the site
    /// now has errors.
    pub fn apply(&mut self, changes: &Changes, files: &RwLock<Files>) -> Rebuilt {
        if changes.everything {
            self.reload_everything();
        } else {
            if !changes.templates.is_empty() {
                self.reload_templates(&changes.templates);
            }
            if !changes.content.is_empty() {
                self.reload_content(&changes.content);
            }
            if !changes.statics.is_empty() {
                self.pending.files = true;
            }
        }
        self.publish(files, false)
    }

    fn reload_everything(&mut self) {
        let (config, problem) = read_config(&self.root, &self.base_url);
        match problem {
            // Keep the site built with the last config that could be read.
            Err(problem) => self.config_problem = Some(problem),
            Ok(()) => {
                self.config_problem = None;
                self.site = content::load(
                    &self.root,
                    config,
                    &LoadOptions {
                        drafts: self.drafts,
                    },
                    &self.highlighter,
                );
                self.renderer = Renderer::new(&self.root, &self.site.config);
                self.pending = Selection::all();
            }
        }
    }

    fn reload_templates(&mut self, names: &[String]) {
        self.renderer = Renderer::new(&self.root, &self.site.config);
        match &self.renderer {
            Ok(renderer) => {
                for name in names {
                    let touched = renderer.selection_for_template(&self.site, name);
                    self.pending.extend(&touched);
                }
            }
            // Which outputs use which template is known again only once they all parse; the
            // fix then renders everything.
            Err(_) => self.pending = Selection::all(),
        }
    }

    fn reload_content(&mut self, changed: &[PathBuf]) {
        let before = Shape::of(&self.site);
        let reloaded = content::reload(&mut self.site, changed, &self.highlighter);
        let after = Shape::of(&self.site);
        let touched = before.touched(&after, &reloaded.rendered, &self.site);
        self.pending.extend(&touched);
        // A changed file that is not Markdown is an asset copied as it is.
        if changed
            .iter()
            .any(|path| path.extension().is_none_or(|e| e != "md"))
        {
            self.pending.files = true;
        }
    }

    /// Renders the pending outputs and, when `force` or when the site has no errors, puts
    /// them into `files`.
    fn publish(&mut self, files: &RwLock<Files>, force: bool) -> Rebuilt {
        let mut diagnostics: Vec<Diagnostic> = self.site.diagnostics.clone();
        diagnostics.extend(self.config_problem.clone());
        let renderer = match &self.renderer {
            Ok(renderer) => renderer,
            Err(problems) => {
                diagnostics.extend(problems.iter().cloned());
                diagnostics::sort(&mut diagnostics);
                return Rebuilt {
                    changed: Vec::new(),
                    diagnostics,
                };
            }
        };
        let failed = |d: &[Diagnostic]| d.iter().any(Diagnostic::is_error);
        if failed(&diagnostics) && !force {
            diagnostics::sort(&mut diagnostics);
            return Rebuilt {
                changed: Vec::new(),
                diagnostics,
            };
        }
        let pages = Memory::new(&self.root);
        let selection = Selection {
            files: false,
            ..self.pending.clone()
        };
        let (problems, _) =
            crate::render::render_selected(&self.site, renderer, &pages, &selection);
        diagnostics.extend(problems);
        let copies = self.pending.files.then(|| {
            let copies = Memory::new(&self.root);
            let only_files = Selection {
                files: true,
                ..Selection::none()
            };
            let (problems, _) =
                crate::render::render_selected(&self.site, renderer, &copies, &only_files);
            diagnostics.extend(problems);
            copies.into_files()
        });
        diagnostics::sort(&mut diagnostics);
        if failed(&diagnostics) && !force {
            return Rebuilt {
                changed: Vec::new(),
                diagnostics,
            };
        }
        let mut new = pages.into_files();
        let mut gone: Vec<String> = Vec::new();
        if let Some(copies) = copies {
            gone = self
                .copied
                .iter()
                .filter(|rel| !copies.contains_key(*rel))
                .cloned()
                .collect();
            self.copied = copies.keys().cloned().collect();
            new.extend(copies);
        }
        let replace = self.pending == Selection::all();
        let changed = store(files, new, replace, &gone);
        self.pending = Selection::none();
        Rebuilt {
            changed,
            diagnostics,
        }
    }
}

/// The config at `root` with `base_url` replaced; the defaults and the problem when it cannot
/// be read.
fn read_config(root: &Path, base_url: &str) -> (Config, Result<(), Diagnostic>) {
    let (mut config, problem) = match Config::load(root) {
        Ok(config) => (config, Ok(())),
        Err(problem) => (Config::default(), Err(problem)),
    };
    config.base_url = base_url.to_string();
    (config, problem)
}

/// Puts `new` into `files` (all of them when `replace`, dropping every file not in `new`; else
/// on top, dropping `gone`) and returns the files whose bytes changed.
fn store(files: &RwLock<Files>, new: Files, replace: bool, gone: &[String]) -> Vec<String> {
    let mut changed: Vec<String> = {
        let current = files.read().unwrap_or_else(|e| e.into_inner());
        let mut changed: Vec<String> = new
            .iter()
            .filter(|(rel, bytes)| current.get(*rel) != Some(bytes))
            .map(|(rel, _)| rel.clone())
            .collect();
        if replace {
            changed.extend(
                current
                    .keys()
                    .filter(|rel| !new.contains_key(*rel))
                    .cloned(),
            );
        } else {
            changed.extend(
                gone.iter()
                    .filter(|rel| current.contains_key(*rel))
                    .cloned(),
            );
        }
        changed
    };
    let mut current = files.write().unwrap_or_else(|e| e.into_inner());
    if replace {
        *current = new;
    } else {
        for rel in gone {
            current.remove(rel);
        }
        current.extend(new);
    }
    changed.sort();
    changed
}
