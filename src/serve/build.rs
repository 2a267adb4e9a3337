//! The site as `serve` keeps it: loaded once, then brought up to date change by change, with
//! the rendered files in memory. A change re-renders only the outputs it touched; when the site
//! has errors the files stay as they were (the last good version) and the touched outputs wait
//! until the errors are fixed.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

use crate::config::Config;
use crate::content::{self, LoadOptions, Site, Sources};
use crate::diagnostics::{self, Diagnostic};
use crate::markdown::Highlighter;
use crate::output::{Files, Memory};
use crate::plan::{self, Plan, Selection};
use crate::practice;
use crate::render::{self, Renderer};

use super::changes::Changes;
use super::touched::{self, Shape};

/// The site being served.
pub struct LiveBuild {
    root: PathBuf,
    drafts: bool,
    /// Replaces the config's `base_url`, so links point at the dev server.
    base_url: String,
    highlighter: Highlighter,
    site: Site,
    /// What the load stage read, so that a change re-reads only the files it changed.
    sources: Sources,
    /// The files `site` makes, planned again after every change.
    plan: Plan,
    /// Problems of reading `static/`, and output conflicts: the plan's.
    plan_problems: Vec<Diagnostic>,
    /// Problems of reading `static/`, kept while the static files are.
    static_problems: Vec<Diagnostic>,
    /// Broken links and anchors, checked against the plan.
    links: Vec<Diagnostic>,
    renderer: Result<Renderer, Vec<Diagnostic>>,
    /// Why the config file could not be read, while it cannot.
    config_problem: Option<Diagnostic>,
    /// Outputs touched by changes that have not been published yet (the site had errors).
    pending: Selection,
    /// Static files and content assets in the published files, to drop those that go away.
    copied: HashSet<String>,
    /// The practice data's files in the published files, to drop those a change leaves out
    /// (the set of a tag whose last question went away).
    practice_data: HashSet<String>,
}

/// What one rebuild did.
#[derive(Debug)]
pub struct Rebuilt {
    /// Output files whose bytes changed, appeared or went away, `/`-separated.
    pub changed: Vec<String>,
    /// Every problem the site has now, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// The render was given up for a newer change: nothing was published, and the outputs
    /// this change touched are rendered with the next one.
    pub superseded: bool,
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
        let (site, sources) = content::load(
            root,
            config,
            &LoadOptions {
                drafts,
                output: None,
            },
            &highlighter,
        );
        let renderer = Renderer::unversioned(root, &site.config);
        let (statics, static_problems) = render::statics(root);
        let plan = Plan::new(&site, statics);
        let mut build = LiveBuild {
            root: root.to_path_buf(),
            drafts,
            base_url,
            highlighter,
            site,
            sources,
            plan,
            plan_problems: Vec::new(),
            static_problems,
            links: Vec::new(),
            renderer,
            config_problem: config_problem.err(),
            pending: Selection::all(),
            copied: HashSet::new(),
            practice_data: HashSet::new(),
        };
        build.replan(false);
        build.links = plan::check_links(&build.site, &build.plan);
        // The first version is published even with errors: there is no earlier one to keep,
        // and the pages that did render are better than none.
        let rebuilt = build.publish(files, true, &|| false);
        (build, rebuilt)
    }

    /// The site as loaded now.
    pub fn site(&self) -> &Site {
        &self.site
    }

    /// The files the site as loaded now makes.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// Plans the site's files again, reading `static/` again when `statics` changed. When
    /// the copied files change (a theme bundle is needed now, or no longer), they are copied
    /// again, which also takes away those left out.
    fn replan(&mut self, statics: bool) {
        let copied: Vec<String> = self
            .plan
            .copied_files()
            .into_iter()
            .map(String::from)
            .collect();
        let files = if statics {
            let (files, problems) = render::statics(&self.root);
            self.static_problems = problems;
            files
        } else {
            std::mem::take(&mut self.plan.statics)
        };
        self.plan = Plan::new(&self.site, files);
        if self.plan.copied_files() != copied {
            self.pending.files = true;
        }
        self.plan_problems = self.static_problems.clone();
        self.plan_problems.extend(plan::collisions(&self.plan));
    }

    /// Applies `changes` and publishes the outputs they touched into `files`, unless the site
    /// now has errors. `superseded` is asked before each file rendered: when it answers `true`
    /// the render is given up, nothing is published and the touched outputs stay pending, so
    /// the next call (with the newer change) renders them too.
    pub fn apply(
        &mut self,
        changes: &Changes,
        files: &RwLock<Files>,
        superseded: &(dyn Fn() -> bool + Sync),
    ) -> Rebuilt {
        if changes.everything {
            self.reload_everything();
        } else {
            if !changes.statics.is_empty() {
                self.replan(true);
                self.links = plan::check_links(&self.site, &self.plan);
                self.pending.files = true;
            }
            if !changes.templates.is_empty() {
                self.reload_templates(&changes.templates);
            }
            if !changes.content.is_empty() {
                self.reload_content(&changes.content);
            }
        }
        self.publish(files, false, superseded)
    }

    fn reload_everything(&mut self) {
        let (config, problem) = read_config(&self.root, &self.base_url);
        match problem {
            // Keep the site built with the last config that could be read.
            Err(problem) => self.config_problem = Some(problem),
            Ok(()) => {
                self.config_problem = None;
                let options = LoadOptions {
                    drafts: self.drafts,
                    output: None,
                };
                (self.site, self.sources) =
                    content::load(&self.root, config, &options, &self.highlighter);
                self.renderer = Renderer::unversioned(&self.root, &self.site.config);
                self.replan(true);
                self.links = plan::check_links(&self.site, &self.plan);
                self.pending = Selection::all();
            }
        }
    }

    fn reload_templates(&mut self, names: &[String]) {
        self.renderer = Renderer::unversioned(&self.root, &self.site.config);
        match &self.renderer {
            Ok(renderer) => {
                for name in names {
                    let touched = renderer.selection_for_template(&self.plan, name);
                    self.pending.extend(&touched);
                }
            }
            // Which outputs use which template is known again only once they all parse; the
            // fix then renders everything.
            Err(_) => self.pending = Selection::all(),
        }
    }

    fn reload_content(&mut self, changed: &[PathBuf]) {
        let (site, sources) = (&mut self.site, &mut self.sources);
        let touched = match content::edit(site, sources, changed, &self.highlighter) {
            Some(edited) => {
                self.replan(false);
                let (site, plan) = (&self.site, &self.plan);
                plan::recheck_links(site, plan, &edited.rendered, &mut self.links);
                touched::rendered_only(site, plan, &edited.rendered)
            }
            None => {
                let before = Shape::of(&self.site, &self.plan);
                let reloaded = content::reload(
                    &mut self.site,
                    &mut self.sources,
                    changed,
                    &self.highlighter,
                );
                self.replan(false);
                let (site, plan) = (&self.site, &self.plan);
                self.links = plan::check_links(site, plan);
                before.touched(&Shape::of(site, plan), &reloaded.rendered, site, plan)
            }
        };
        self.pending.extend(&touched);
        // A changed file that is not Markdown, or a Markdown file inside a page bundle, is an
        // asset copied as it is.
        let is_asset = |path: &PathBuf| {
            path.extension().is_none_or(|e| e != "md")
                || self.site.assets.iter().any(|asset| asset.rel == *path)
        };
        if changed.iter().any(is_asset) {
            self.pending.files = true;
        }
    }

    /// Renders the pending outputs and, when `force` or when the site has no errors, puts
    /// them into `files`.
    fn publish(
        &mut self,
        files: &RwLock<Files>,
        force: bool,
        superseded: &(dyn Fn() -> bool + Sync),
    ) -> Rebuilt {
        let mut diagnostics: Vec<Diagnostic> = self.site.diagnostics.clone();
        diagnostics.extend(self.config_problem.clone());
        diagnostics.extend(self.plan_problems.iter().cloned());
        diagnostics.extend(self.links.iter().cloned());
        let renderer = match &self.renderer {
            Ok(renderer) => renderer,
            Err(problems) => {
                diagnostics.extend(problems.iter().cloned());
                return unpublished(diagnostics);
            }
        };
        let failed = |d: &[Diagnostic]| d.iter().any(Diagnostic::is_error);
        // A save that changed nothing to render (the same text again) renders nothing.
        if (failed(&diagnostics) && !force) || self.pending == Selection::none() {
            return unpublished(diagnostics);
        }
        let pages = Memory::new(&self.root);
        let selection = Selection {
            files: false,
            ..self.pending.clone()
        };
        let rendered = render::render_until(
            &self.site, &self.plan, renderer, &pages, &selection, superseded,
        );
        let Ok((problems, _)) = rendered else {
            let mut rebuilt = unpublished(diagnostics);
            rebuilt.superseded = true;
            return rebuilt;
        };
        diagnostics.extend(problems);
        // The practice data holds every page's questions: a render of any page writes all of
        // it again (a few JSON files per 64 questions), after the pages.
        let rendered_pages = selection.pages.as_ref().is_none_or(|p| !p.is_empty());
        let data = rendered_pages.then(|| {
            let data = Memory::new(&self.root);
            let (problems, _) = practice::write_data(&self.site, &self.plan, &data);
            diagnostics.extend(problems);
            data.into_files()
        });
        let copies = self.pending.files.then(|| {
            let copies = Memory::new(&self.root);
            let only_files = Selection {
                files: true,
                ..Selection::none()
            };
            let (problems, _) =
                render::render_selected(&self.site, &self.plan, renderer, &copies, &only_files);
            diagnostics.extend(problems);
            diagnostics.extend(copies.refused().into_iter().map(|path| {
                let file = path.strip_prefix(&self.root).unwrap_or(&path).to_path_buf();
                Diagnostic::warning(
                    file,
                    0,
                    0,
                    "outside-site",
                    "leads outside the site through a symbolic link; `serve` does not serve it",
                )
                .with_help("`build` copies it; copy the file into the site to preview it")
            }));
            copies.into_files()
        });
        if failed(&diagnostics) && !force {
            return unpublished(diagnostics);
        }
        diagnostics::sort(&mut diagnostics);
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
        if let Some(data) = data {
            let left_out = self
                .practice_data
                .iter()
                .filter(|rel| !data.contains_key(*rel));
            gone.extend(left_out.cloned());
            self.practice_data = data.keys().cloned().collect();
            new.extend(data);
        }
        let replace = self.pending == Selection::all();
        // The search bundle is indexed apart, in the background; a full render keeps it.
        let indexed = self.plan.find(plan::Kind::SearchIndex).is_some();
        let keep = |rel: &str| indexed && plan::in_search_index(rel);
        let changed = store(files, new, replace, &gone, &keep);
        // A first version published with errors is rendered whole again next time, so its
        // errors stay reported (and its missing pages come) until they are fixed.
        self.pending = if failed(&diagnostics) {
            Selection::all()
        } else {
            Selection::none()
        };
        Rebuilt {
            changed,
            diagnostics,
            superseded: false,
        }
    }
}

/// A rebuild that published nothing, with its problems sorted.
fn unpublished(mut diagnostics: Vec<Diagnostic>) -> Rebuilt {
    diagnostics::sort(&mut diagnostics);
    Rebuilt {
        changed: Vec::new(),
        diagnostics,
        superseded: false,
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

/// Puts `new` into `files` (all of them when `replace`, dropping every file not in `new` that
/// `keep` does not keep; else on top, dropping `gone`) and returns the files whose bytes
/// changed.
fn store(
    files: &RwLock<Files>,
    new: Files,
    replace: bool,
    gone: &[String],
    keep: &dyn Fn(&str) -> bool,
) -> Vec<String> {
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
                    .filter(|rel| !new.contains_key(*rel) && !keep(rel))
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
        current.retain(|rel, _| keep(rel));
        current.extend(new);
    } else {
        for rel in gone {
            current.remove(rel);
        }
        current.extend(new);
    }
    changed.sort();
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site in a temporary folder, edited step by step; after every step the files `serve`
    /// holds must be exactly those of a fresh build of the site as it is now.
    struct Fixture {
        dir: tempfile::TempDir,
        live: LiveBuild,
        files: RwLock<Files>,
    }

    const BASE: &str = "http://127.0.0.1:1111/";

    impl Fixture {
        /// A site of `files` that builds without errors.
        fn new(files: &[(&str, &str)]) -> Fixture {
            let dir = tempfile::tempdir().unwrap();
            for (path, text) in files {
                write(dir.path(), path, text);
            }
            let (fixture, first) = Fixture::start(dir);
            assert!(!first.has_errors(), "{:#?}", first.diagnostics);
            fixture
        }

        /// Serves the site in `dir` as it is, errors and all.
        fn start(dir: tempfile::TempDir) -> (Fixture, Rebuilt) {
            let store = RwLock::new(Files::new());
            let (live, first) = LiveBuild::start(dir.path(), false, BASE.into(), &store);
            let fixture = Fixture {
                dir,
                live,
                files: store,
            };
            (fixture, first)
        }

        fn root(&self) -> &Path {
            self.dir.path()
        }

        /// Applies the change of `paths` and checks the result against a fresh build.
        fn step(&mut self, paths: &[&str]) -> Rebuilt {
            let changes = Changes::sort(
                self.root(),
                &self.live.site().layout,
                paths.iter().map(|p| self.root().join(p)),
            );
            let rebuilt = self.live.apply(&changes, &self.files, &|| false);
            if !rebuilt.has_errors() {
                self.assert_fresh();
            }
            rebuilt
        }

        /// Writes `text` to `rel` and applies the change.
        fn edit(&mut self, rel: &str, text: &str) -> Rebuilt {
            write(self.root(), rel, text);
            self.step(&[rel])
        }

        fn assert_fresh(&self) {
            let fresh = RwLock::new(Files::new());
            LiveBuild::start(self.root(), false, BASE.into(), &fresh);
            let fresh = fresh.into_inner().unwrap();
            let live = self.files.read().unwrap();
            let mut missing: Vec<&String> =
                fresh.keys().filter(|k| !live.contains_key(*k)).collect();
            let mut extra: Vec<&String> = live.keys().filter(|k| !fresh.contains_key(*k)).collect();
            let mut stale: Vec<&String> = fresh
                .iter()
                .filter(|(k, v)| live.get(*k).is_some_and(|l| l != *v))
                .map(|(k, _)| k)
                .collect();
            missing.sort();
            extra.sort();
            stale.sort();
            assert!(
                missing.is_empty() && extra.is_empty() && stale.is_empty(),
                "missing {missing:?}, extra {extra:?}, stale {stale:?}"
            );
        }

        fn file(&self, rel: &str) -> String {
            String::from_utf8(self.files.read().unwrap()[rel].to_vec()).unwrap()
        }
    }

    fn write(root: &Path, path: &str, text: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn page(title: &str, extra: &str, body: &str) -> String {
        format!("---\ntitle: {title}\n{extra}---\n\n{body}\n")
    }

    /// The SQS page of [`site`] with another body.
    fn sqs(body: &str) -> String {
        page(
            "SQS",
            "weight: 2\ntags: [messaging]\ndate: 2024-01-01\n",
            body,
        )
    }

    fn site() -> Fixture {
        Fixture::new(&[
            ("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n"),
            ("content/aws/_index.md", "---\ntitle: AWS\n---\nServices.\n"),
            (
                "content/aws/lambda.md",
                &page(
                    "Lambda",
                    "weight: 1\ntags: [compute]\ndate: 2024-01-02\n",
                    "## Limits\n\nSee [SQS](sqs.md#about).",
                ),
            ),
            ("content/aws/sqs.md", &sqs("## About\n\nQueues.")),
            ("content/other/note.md", &page("Note", "", "A note.")),
        ])
    }

    #[test]
    fn an_edit_of_the_text_renders_the_page_and_the_feeds_only() {
        let mut site = site();
        let rebuilt = site.edit(
            "content/aws/sqs.md",
            &sqs("## About\n\nQueues, now with FIFO."),
        );
        assert!(rebuilt.changed.contains(&"aws/sqs/index.html".to_string()));
        assert!(
            rebuilt
                .changed
                .iter()
                .all(|f| f == "aws/sqs/index.html" || f.ends_with(".xml")),
            "{:?}",
            rebuilt.changed
        );
        assert!(site.file("aws/sqs/index.html").contains("now with FIFO"));
        // Saving the same text again changes nothing.
        assert!(site.step(&["content/aws/sqs.md"]).changed.is_empty());
    }

    #[test]
    fn in_place_notes_rebuild_on_edits_and_never_on_their_output() {
        let mut site = Fixture::new(&[
            ("README.md", "# Notes\n\nSee [SQS](aws/sqs.md).\n"),
            ("aws/sqs.md", "# SQS\n\nQueues.\n"),
        ]);
        assert!(site.live.site().layout.in_place());
        let rebuilt = site.edit("aws/sqs.md", "# SQS\n\nQueues, now with FIFO.\n");
        assert!(rebuilt.changed.contains(&"aws/sqs/index.html".to_string()));
        // What a build writes into the root is not content, whatever it holds.
        write(site.root(), "public/.awskb-output", "");
        write(
            site.root(),
            "public/stray.md",
            "# Stray\n\n[broken](nope.md)\n",
        );
        let quiet = site.step(&["public/stray.md", "public/index.html"]);
        assert!(quiet.changed.is_empty(), "{:?}", quiet.changed);
        assert!(quiet.diagnostics.is_empty(), "{:#?}", quiet.diagnostics);
        // A new note in a new folder is.
        let added = site.edit("gcp/pubsub.md", "# Pub/Sub\n");
        assert!(added.changed.contains(&"gcp/pubsub/index.html".to_string()));
    }

    #[test]
    fn an_edit_of_an_embedded_note_renders_the_pages_that_show_it() {
        let mut site = Fixture::new(&[
            ("content/home.md", "# Home\n\n![[sqs]]\n"),
            ("content/aws/sqs.md", "# SQS\n\nQueues.\n"),
        ]);
        assert!(site.file("home/index.html").contains("Queues."));
        let rebuilt = site.edit("content/aws/sqs.md", "# SQS\n\nQueues, now with FIFO.\n");
        assert!(rebuilt.changed.contains(&"home/index.html".to_string()));
        assert!(site.file("home/index.html").contains("now with FIFO"));
    }

    #[test]
    fn edits_that_lists_show_reach_the_section_siblings_and_terms() {
        let mut site = site();
        let rebuilt = site.edit(
            "content/aws/sqs.md",
            &page(
                "Simple Queue Service",
                "weight: 0\ntags: [messaging, serverless]\ndate: 2024-01-01\n",
                "## About\n\nQueues.",
            ),
        );
        for file in [
            "aws/index.html",
            "aws/lambda/index.html",
            "tags/serverless/index.html",
        ] {
            assert!(rebuilt.changed.contains(&file.to_string()), "{file}");
        }
        assert!(
            site.file("aws/lambda/index.html")
                .contains("Simple Queue Service")
        );
    }

    #[test]
    fn creating_renaming_and_deleting_pages_and_folders() {
        let mut site = site();
        write(
            site.root(),
            "content/aws/s3/index.md",
            &page("S3", "tags: [storage]\n", "Buckets."),
        );
        write(site.root(), "content/aws/s3/bucket.svg", "<svg/>");
        site.step(&["content/aws/s3"]);
        assert!(site.file("aws/s3/bucket.svg").contains("svg"));
        // A second note beside index.md makes index.md the folder's page, and back.
        site.edit("content/aws/s3/notes.md", "first");
        assert!(site.file("aws/s3/notes/index.html").contains("first"));
        std::fs::remove_file(site.root().join("content/aws/s3/notes.md")).unwrap();
        site.step(&["content/aws/s3/notes.md"]);
        assert!(site.file("aws/s3/bucket.svg").contains("svg"));
        // A rename moves the page the other page links to by its file.
        std::fs::rename(
            site.root().join("content/aws/sqs.md"),
            site.root().join("content/aws/queues.md"),
        )
        .unwrap();
        let rebuilt = site.step(&["content/aws/sqs.md", "content/aws/queues.md"]);
        assert!(rebuilt.changed.contains(&"aws/sqs/index.html".to_string()));
        assert!(
            !site
                .files
                .read()
                .unwrap()
                .contains_key("aws/sqs/index.html")
        );
        assert!(
            rebuilt
                .diagnostics
                .iter()
                .any(|d| d.file.ends_with("lambda.md") && d.code == "broken-link")
        );
        // Fixing the link renders the page that links.
        site.edit(
            "content/aws/lambda.md",
            &page(
                "Lambda",
                "weight: 1\ntags: [compute]\ndate: 2024-01-02\n",
                "## Limits\n\nSee [SQS](queues.md#about).",
            ),
        );
        assert!(
            site.file("aws/lambda/index.html")
                .contains("/aws/queues/#about")
        );
        std::fs::remove_dir_all(site.root().join("content/other")).unwrap();
        site.step(&["content/other"]);
        assert!(
            !site
                .files
                .read()
                .unwrap()
                .contains_key("other/note/index.html")
        );
    }

    #[test]
    fn a_slug_change_moves_the_links_to_the_page() {
        let mut site = site();
        site.edit(
            "content/aws/sqs.md",
            &page(
                "SQS",
                "slug: queues\nweight: 2\ntags: [messaging]\ndate: 2024-01-01\n",
                "## About\n\nQueues.",
            ),
        );
        assert!(
            site.file("aws/lambda/index.html")
                .contains("/aws/queues/#about")
        );
    }

    #[test]
    fn errors_keep_the_last_good_version_until_fixed() {
        let mut site = site();
        let before = site.file("aws/sqs/index.html");
        let broken = site.edit("content/aws/sqs.md", "---\ntitle: [SQS\n---\nBroken.\n");
        assert!(broken.has_errors());
        assert!(broken.changed.is_empty());
        assert_eq!(site.file("aws/sqs/index.html"), before);
        // Another page edited meanwhile is published with the fix, not lost.
        assert!(
            site.edit(
                "content/other/note.md",
                &page("Note", "", "An edited note.")
            )
            .has_errors()
        );
        let fixed = site.edit("content/aws/sqs.md", &sqs("## About\n\nFixed."));
        assert!(!fixed.has_errors());
        assert!(
            site.file("other/note/index.html")
                .contains("An edited note.")
        );
        assert!(site.file("aws/sqs/index.html").contains("Fixed."));
    }

    #[test]
    fn templates_static_files_drafts_and_config() {
        let mut site = site();
        let rebuilt = site.edit("templates/page.html", "{% extends \"base.html\" %}{% block content %}<article class=\"mine\">{{ page.content | safe }}</article>{% endblock content %}");
        assert!(rebuilt.changed.contains(&"aws/sqs/index.html".to_string()));
        // Sections extend page.html; term pages and the 404 page do not.
        assert!(rebuilt.changed.contains(&"aws/index.html".to_string()));
        assert!(
            !rebuilt
                .changed
                .contains(&"tags/compute/index.html".to_string())
        );
        assert!(!rebuilt.changed.contains(&"404.html".to_string()));
        // A template that does not parse is an error; the fix renders again.
        assert!(
            site.edit("templates/page.html", "{% block content %}")
                .has_errors()
        );
        std::fs::remove_file(site.root().join("templates/page.html")).unwrap();
        site.step(&["templates/page.html"]);

        let rebuilt = site.edit("static/css/site.css", "body { color: red }");
        assert_eq!(rebuilt.changed, ["css/site.css"]);
        std::fs::remove_file(site.root().join("static/css/site.css")).unwrap();
        let rebuilt = site.step(&["static/css/site.css"]);
        assert_eq!(rebuilt.changed, ["css/site.css"]);

        site.edit(
            "content/other/note.md",
            &page("Note", "draft: true\n", "A note."),
        );
        assert!(
            !site
                .files
                .read()
                .unwrap()
                .contains_key("other/note/index.html")
        );

        site.edit("awskb.toml", "title = \"Renamed\"\n");
        assert!(site.file("index.html").contains("Renamed"));
        let broken = site.edit("awskb.toml", "title = 3\n");
        assert!(broken.has_errors());
        assert!(site.file("index.html").contains("Renamed"));
    }
    #[test]
    fn editing_the_theme_stylesheet_changes_no_page() {
        let mut site = site();
        // static/css/style.css overrides the theme's: only it changes, so pages swap it in.
        let rebuilt = site.edit("static/css/style.css", "body { color: red }");
        assert_eq!(rebuilt.changed, ["css/style.css"]);
    }

    #[test]
    fn deleting_the_index_md_of_a_section_with_weight() {
        let mut site = Fixture::new(&[
            ("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n"),
            (
                "content/aws/_index.md",
                "---\nweight: 1\n---\nServices intro text.\n",
            ),
            ("content/aws/lambda.md", &page("Lambda", "", "Functions.")),
        ]);
        assert!(site.file("aws/index.html").contains("Services intro text."));
        std::fs::remove_file(site.root().join("content/aws/_index.md")).unwrap();
        site.step(&["content/aws/_index.md"]);
    }

    #[test]
    fn deleting_an_index_md_without_front_matter() {
        // Same as above but the section file has no front matter at all.
        let mut site = Fixture::new(&[
            ("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n"),
            ("content/aws/_index.md", "Services intro text.\n"),
            ("content/aws/lambda.md", &page("Lambda", "", "Functions.")),
        ]);
        assert!(site.file("aws/index.html").contains("Services intro text."));
        std::fs::remove_file(site.root().join("content/aws/_index.md")).unwrap();
        site.step(&["content/aws/_index.md"]);
    }

    #[test]
    fn a_term_spelling_change_reaches_pages_of_other_sections() {
        let mut site = site();
        // lambda (in aws/) is tagged `compute`; note (in other/) now writes `Compute`: with one
        // page each, the term is shown as `Compute`, also on the lambda page.
        site.edit(
            "content/other/note.md",
            &page("Note", "tags: [Compute]\n", "A note."),
        );
    }

    #[test]
    fn render_errors_of_a_first_version_stay_reported() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(
            root,
            "content/_index.md",
            "---\ntitle: Home\n---\nWelcome.\n",
        );
        write(
            root,
            "content/a.md",
            "---\ntitle: A\nextra:\n  x: {y: 1}\n---\nA.\n",
        );
        write(root, "content/b.md", "---\ntitle: B\n---\nB.\n");
        write(
            root,
            "templates/page.html",
            "{% extends \"base.html\" %}{% block content %}{{ page.extra.x.y }}{% endblock content %}",
        );
        let (mut site, first) = Fixture::start(dir);
        assert!(first.has_errors(), "b.md has no extra.x: a render error");
        let rebuilt = site.edit(
            "content/a.md",
            "---\ntitle: A\nextra:\n  x: {y: 2}\n---\nA edited.\n",
        );
        assert!(
            rebuilt.has_errors(),
            "b.md still fails, but: {:#?}",
            rebuilt.diagnostics
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_static_symlink_out_of_the_site_is_left_out_with_a_warning() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("lib.js"), "lib").unwrap();
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "content/_index.md",
            "---\ntitle: Home\n---\nWelcome.\n",
        );
        std::fs::create_dir_all(dir.path().join("static")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("lib.js"),
            dir.path().join("static/lib.js"),
        )
        .unwrap();
        let (mut site, first) = Fixture::start(dir);
        assert!(first.diagnostics.iter().any(|d| d.code == "outside-site"));
        assert!(!site.files.read().unwrap().contains_key("lib.js"));
        let rebuilt = site.edit("static/site.css", "body{}");
        assert!(
            site.files.read().unwrap().contains_key("site.css"),
            "not published: {:?}",
            rebuilt
                .diagnostics
                .iter()
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_practice_data_follows_the_questions_of_an_edited_page() {
        let mut site = site();
        let question = "## About\n\n### Which queue keeps the order of messages?\n\n- [ ] Standard\n- [x] FIFO\n";
        let rebuilt = site.edit("content/aws/sqs.md", &sqs(question));
        assert!(
            rebuilt.changed.contains(&"practice/q/0.json".to_string()),
            "{:?}",
            rebuilt.changed
        );
        assert!(site.file("practice/q/0.json").contains("FIFO"));
        // The set of `messaging`, the one tag with a question.
        assert!(site.file("practice/sets/0.json").starts_with('['));
        // Without its last question the tag's set goes away (the step checks that nothing
        // is left over against a fresh build).
        let rebuilt = site.edit("content/aws/sqs.md", &sqs("## About\n\nQueues."));
        assert!(
            rebuilt
                .changed
                .contains(&"practice/sets/0.json".to_string())
        );
        assert!(
            !site
                .files
                .read()
                .unwrap()
                .contains_key("practice/sets/0.json")
        );
    }

    #[test]
    fn a_render_superseded_by_a_newer_save_publishes_both_with_the_newer() {
        let mut site = site();
        let before = site.file("aws/lambda/index.html");
        let lambda = page(
            "Lambda",
            "weight: 1\ntags: [compute]\ndate: 2024-01-02\n",
            "## Limits\n\nFirst save.",
        );
        write(site.root(), "content/aws/lambda.md", &lambda);
        let changes = Changes::sort(
            site.root(),
            &site.live.site().layout,
            [site.root().join("content/aws/lambda.md")],
        );
        // The newer save arrives while the first file renders: the render is given up at the
        // next checkpoint.
        let checkpoints = std::sync::atomic::AtomicUsize::new(0);
        let newer = || checkpoints.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= 1;
        let rebuilt = site.live.apply(&changes, &site.files, &newer);
        assert!(rebuilt.superseded);
        assert!(rebuilt.changed.is_empty());
        assert_eq!(site.file("aws/lambda/index.html"), before);
        // The next rebuild applies the newer save and what the superseded one left.
        let rebuilt = site.edit("content/aws/sqs.md", &sqs("## About\n\nSecond save."));
        assert!(!rebuilt.superseded);
        assert!(site.file("aws/lambda/index.html").contains("First save."));
        assert!(site.file("aws/sqs/index.html").contains("Second save."));
    }

    #[test]
    fn hidden_files_in_static_are_served() {
        let mut site = site();
        site.edit("static/.well-known/security.txt", "Contact: mailto:x@y.z");
    }
}
