//! Builds the fixture knowledge base and inspects the output with an HTML parser.

use std::path::{Path, PathBuf};

use crate::common::*;
use awskb::BuildOptions;
use awskb::diagnostics::Severity;

struct Built {
    _site: tempfile::TempDir,
    out: PathBuf,
    report: awskb::Report,
}

impl Built {
    fn file(&self, rel: &str) -> PathBuf {
        self.out.join(rel)
    }
    fn page(&self, rel: &str) -> scraper::Html {
        html(&self.file(rel))
    }
}

fn build_kb(configure: impl FnOnce(&Path, &mut BuildOptions)) -> Built {
    let site = copy_fixture("kb");
    let out = site.path().join("public");
    let mut options = BuildOptions::new(site.path());
    configure(site.path(), &mut options);
    let report = awskb::build(&options).unwrap();
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    Built {
        out: options.output.clone().unwrap_or(out),
        _site: site,
        report,
    }
}

fn kb() -> Built {
    build_kb(|_, _| {})
}

#[test]
fn pretty_urls_for_pages_sections_and_bundles() {
    let built = kb();
    for rel in [
        "index.html",
        "aws/index.html",
        "aws/step-functions/index.html",
        "aws/step-functions/introduction-aws-step-functions/index.html",
        "aws/lambda/index.html",
        "aws/lambda/diagram.svg",
        "aws/queues/index.html",
        "misc/index.html",
        "misc/note/index.html",
        "img/logo.svg",
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "atom.xml",
        "css/style.css",
        "css/syntax.css",
    ] {
        assert!(built.file(rel).is_file(), "{rel} missing");
    }
    assert!(
        !built.file("aws/sqs-old/index.html").exists(),
        "slug replaces the file name"
    );
}

#[test]
fn drafts_only_with_the_flag() {
    let built = kb();
    assert!(
        !built
            .file("aws/step-functions/draft-notes/index.html")
            .exists()
    );
    let with_drafts = build_kb(|_, options| options.drafts = true);
    assert!(
        with_drafts
            .file("aws/step-functions/draft-notes/index.html")
            .is_file()
    );
}

#[test]
fn front_matter_in_yaml_toml_and_json() {
    let built = kb();
    assert_eq!(
        texts(&built.page("aws/index.html"), "h1"),
        vec!["AWS"],
        "TOML"
    );
    assert_eq!(
        texts(&built.page("aws/lambda/index.html"), "h1"),
        vec!["AWS Lambda"],
        "JSON"
    );
    let page = built.page("aws/step-functions/index.html");
    assert_eq!(texts(&page, "h1"), vec!["Step Functions"], "YAML");
    assert_eq!(texts(&page, "p.lead"), vec!["Amazon Step Functions"]);
    assert_eq!(
        attrs(&page, "time", "datetime")[0],
        "2022-09-27T00:00:00+00:00"
    );
}

#[test]
fn bom_and_crlf_are_handled() {
    let built = build_kb(|root, _| {
        let text = "\u{feff}---\r\ntitle: Windows page\r\ntags: [AWS]\r\n---\r\n\r\n## Heading one\r\n\r\nText.\r\n";
        write(root, "content/misc/windows.md", text);
    });
    let page = built.page("misc/windows/index.html");
    assert_eq!(texts(&page, "h1"), vec!["Windows page"]);
    assert_eq!(attrs(&page, ".content h2", "id"), vec!["heading-one"]);
}

#[test]
fn heading_ids_are_unique_readable_and_anchored() {
    let built = kb();
    let page = built.page("aws/step-functions/index.html");
    let ids = attrs(&page, ".content h2, .content h3", "id");
    assert_eq!(
        ids,
        vec![
            "about",
            "alternatives",
            "practice",
            "questions",
            "q1",
            "q1-1"
        ]
    );
    assert_eq!(
        attrs(&page, ".content h2#about a.anchor", "href"),
        vec!["#about"]
    );
    let intro = built.page("aws/step-functions/introduction-aws-step-functions/index.html");
    assert_eq!(
        attrs(&intro, ".content h2", "id"),
        vec!["über-zustände", "errors"]
    );
}

#[test]
fn toc_is_a_tree_and_shown_when_asked() {
    let built = kb();
    let page = built.page("aws/step-functions/index.html");
    let top = texts(&page, "nav.toc > details > ol > li > a");
    assert_eq!(top, vec!["About", "Practice", "Questions"]);
    assert_eq!(
        texts(&page, "nav.toc > details > ol > li > ol > li > a"),
        vec!["Alternatives", "Q1", "Q1"]
    );
    let no_toc = built.page("misc/note/index.html");
    assert!(
        texts(&no_toc, "nav.toc").is_empty(),
        "toc is off unless toc: true"
    );
}

#[test]
fn markdown_extensions() {
    let built = kb();
    let page = built.page("aws/lambda/index.html");
    assert_eq!(
        texts(&page, ".content table th"),
        vec!["Resource", "Default"]
    );
    assert_eq!(texts(&page, ".content del"), vec!["Deprecated runtime"]);
    assert_eq!(
        attrs(&page, ".content li input[type=checkbox]", "type").len(),
        2
    );
    assert_eq!(attrs(&page, ".content li input[checked]", "type").len(), 1);
    assert_eq!(texts(&page, ".content .footnote-definition").len(), 1);
    let intro = built.page("aws/step-functions/introduction-aws-step-functions/index.html");
    assert_eq!(
        texts(&intro, ".content div.alert.alert-warning p.alert-title"),
        vec!["Warning"]
    );
}

#[test]
fn answer_blocks_pass_through_as_details() {
    let built = kb();
    let page = built.page("aws/step-functions/index.html");
    assert_eq!(
        texts(&page, ".content details > summary"),
        vec!["Explanation"]
    );
    assert_eq!(texts(&page, ".content details mark"), vec!["3"]);
    assert_eq!(
        attrs(&page, ".content details a", "href"),
        vec!["/kb/aws/lambda/#limits"],
        "Markdown inside the answer is rendered"
    );
}

#[test]
fn code_is_highlighted_with_classes_and_unknown_languages_warn() {
    let built = kb();
    let page = built.page("aws/lambda/index.html");
    assert_eq!(
        attrs(&page, "pre.highlight", "data-lang"),
        vec!["hcl", "python", "klingon"]
    );
    let hcl = scraper::Selector::parse("pre.highlight[data-lang=hcl] span").unwrap();
    assert!(page.select(&hcl).any(|s| {
        s.value()
            .attr("class")
            .is_some_and(|c| c.starts_with("hl-"))
    }));
    let klingon = scraper::Selector::parse("pre.highlight[data-lang=klingon] span").unwrap();
    assert_eq!(
        page.select(&klingon).count(),
        0,
        "unknown language is plain text"
    );
    let warning = built
        .report
        .diagnostics
        .iter()
        .find(|d| d.code == "unknown-language")
        .expect("a warning");
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.file, Path::new("content/aws/lambda/index.md"));
    assert_eq!((warning.line, warning.column), (32, 1));
    let css = std::fs::read_to_string(built.file("css/syntax.css")).unwrap();
    assert!(css.contains("prefers-color-scheme: dark") && css.contains("pre.highlight .hl-"));
}

#[test]
fn links_resolve_and_rewrite_under_the_base_path() {
    let built = kb();
    let page = built.page("aws/step-functions/index.html");
    let hrefs = attrs(&page, ".content a:not(.anchor)", "href");
    assert!(hrefs.contains(&"/kb/aws/lambda/".to_string()), "{hrefs:?}");
    assert!(
        hrefs.contains(&"/kb/aws/step-functions/introduction-aws-step-functions/".to_string()),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&"https://airflow.apache.org/".to_string()),
        "external links stay"
    );
    let intro = built.page("aws/step-functions/introduction-aws-step-functions/index.html");
    let hrefs = attrs(&intro, ".content a:not(.anchor)", "href");
    assert_eq!(
        hrefs,
        vec!["/kb/aws/step-functions/", "/kb/aws/lambda/#limits"],
        ".md links become URLs and keep the anchor"
    );
    let lambda = built.page("aws/lambda/index.html");
    assert_eq!(
        attrs(&lambda, ".content img", "src"),
        vec!["/kb/aws/lambda/diagram.svg"]
    );
    assert!(
        attrs(&built.page("index.html"), "link[rel=stylesheet]", "href")
            .iter()
            .all(|h| h.starts_with("/kb/css/"))
    );
}

#[test]
fn broken_links_and_anchors_are_warnings_with_positions() {
    let built = kb();
    let broken: Vec<_> = built
        .report
        .diagnostics
        .iter()
        .filter(|d| d.code == "broken-link")
        .collect();
    let at = |file: &str| {
        broken
            .iter()
            .find(|d| d.file == Path::new(file))
            .unwrap_or_else(|| panic!("no broken link in {file}: {broken:#?}"))
    };
    let sqs = at("content/aws/lambda/index.md");
    assert_eq!((sqs.line, sqs.severity), (41, Severity::Warning));
    assert!(sqs.message.contains("../sqs/"), "{}", sqs.message);
    let anchor = at("content/misc/note.md");
    assert_eq!((anchor.line, anchor.column), (9, 61));
    assert!(anchor.message.contains("#q9"), "{}", anchor.message);
    assert!(
        anchor.help.as_deref().unwrap_or("").contains("#q1"),
        "the hint names ids that exist"
    );
    assert_eq!(
        broken.len(),
        2,
        "valid links and anchors are not reported: {broken:#?}"
    );
}

#[test]
fn taxonomies_merge_spellings_and_link_terms() {
    let built = kb();
    let tags = built.page("tags/index.html");
    let names = texts(&tags, ".term-cloud a");
    assert!(
        names.iter().any(|n| n.starts_with("Step Functions")),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|n| n.starts_with("step functions")),
        "one term for both spellings: {names:?}"
    );
    let term = built.page("tags/step-functions/index.html");
    let pages = texts(&term, "ul.cards .card-title");
    assert_eq!(
        pages,
        vec!["Introduction to AWS Step Functions", "Step Functions"]
    );
    assert!(
        built.file("services/lambda/index.html").is_file(),
        "custom taxonomy from config"
    );
    let page = built.page("aws/lambda/index.html");
    assert_eq!(
        attrs(&page, "ul.terms a.term-tags", "href"),
        vec!["/kb/tags/aws/", "/kb/tags/serverless/"]
    );
}

#[test]
fn sections_list_pages_in_order_with_breadcrumbs_and_pager() {
    let built = kb();
    let aws = built.page("aws/index.html");
    assert_eq!(
        texts(&aws, "section.listing ul.cards .card-title"),
        vec!["Step Functions", "AWS Lambda", "Simple Queue Service"]
    );
    let lambda = built.page("aws/lambda/index.html");
    assert_eq!(
        texts(&lambda, "nav.breadcrumbs li"),
        vec!["Fixture KB", "AWS", "AWS Lambda"]
    );
    assert_eq!(
        attrs(&lambda, "nav.pager a[rel=next]", "href"),
        vec!["/kb/aws/queues/"]
    );
    // The reading order runs through the whole tree: the Step Functions subsection (listed
    // before AWS's own pages) ends just before Lambda.
    assert_eq!(
        attrs(&lambda, "nav.pager a[rel=prev]", "href"),
        vec!["/kb/aws/step-functions/introduction-aws-step-functions/"]
    );
    let section = built.page("aws/step-functions/index.html");
    assert_eq!(
        attrs(&section, "nav.pager a", "href"),
        vec![
            "/kb/aws/",
            "/kb/aws/step-functions/introduction-aws-step-functions/"
        ],
        "section pages have a previous and a next too"
    );
    assert_eq!(
        attrs(&lambda, "nav.sidebar a[aria-current=page]", "href"),
        vec!["/kb/aws/lambda/"]
    );
    let misc = built.page("misc/index.html");
    assert_eq!(
        texts(&misc, "h1"),
        vec!["Misc"],
        "a folder without _index.md is a section"
    );
}

#[test]
fn aliases_redirect() {
    let built = kb();
    for rel in ["lambda/index.html", "old/functions.html"] {
        let page = built.page(rel);
        let refresh = attrs(&page, "meta[http-equiv=refresh]", "content");
        assert_eq!(refresh, vec!["0; url=/kb/aws/lambda/"], "{rel}");
    }
}

#[test]
fn site_files_use_the_base_url() {
    let built = kb();
    let sitemap = std::fs::read_to_string(built.file("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.org/kb/aws/lambda/</loc>"),
        "{sitemap}"
    );
    assert!(sitemap.contains("<lastmod>2024-01-15</lastmod>"));
    let robots = std::fs::read_to_string(built.file("robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://example.org/kb/sitemap.xml"));
    let feed = std::fs::read_to_string(built.file("atom.xml")).unwrap();
    let doc = scraper::Html::parse_fragment(&feed);
    let ids = texts(&doc, "entry > id");
    assert_eq!(ids[0], "https://example.org/kb/aws/lambda/", "newest first");
    assert!(ids.contains(&"https://example.org/kb/misc/note/".to_string()));
    let page = built.page("aws/lambda/index.html");
    assert_eq!(
        attrs(&page, "link[rel=canonical]", "href"),
        vec!["https://example.org/kb/aws/lambda/"]
    );
}

#[test]
fn base_url_flag_overrides_config() {
    let built = build_kb(|_, options| options.base_url = Some("/docs/".into()));
    let page = built.page("aws/step-functions/index.html");
    assert!(attrs(&page, ".content a", "href").contains(&"/docs/aws/lambda/".to_string()));
}

#[test]
fn site_templates_and_static_override_the_theme() {
    let built = build_kb(|root, _| {
        write(
            root,
            "templates/custom.html",
            "{% extends \"base.html\" %}{% block content %}<p id=\"custom\">{{ page.title }} / {{ page.extra.awsTag }}</p>{% endblock content %}",
        );
        write(
            root,
            "templates/404.html",
            "<p id=\"lost\">Lost in {{ site.title }}</p>",
        );
        write(root, "static/css/style.css", "body { color: red }");
        write(
            root,
            "content/aws/step-functions/custom.md",
            "---\ntitle: Custom\nawsTag: SFN\ntemplate: custom.html\n---\n",
        );
    });
    let page = built.page("aws/step-functions/custom/index.html");
    assert_eq!(texts(&page, "#custom"), vec!["Custom / SFN"]);
    assert_eq!(
        std::fs::read_to_string(built.file("css/style.css")).unwrap(),
        "body { color: red }"
    );
    assert_eq!(
        texts(&built.page("404.html"), "#lost"),
        vec!["Lost in Fixture KB"]
    );
    assert_eq!(
        texts(&built.page("aws/lambda/index.html"), "h1"),
        vec!["AWS Lambda"],
        "other pages keep the theme"
    );
}

#[test]
fn the_demo_content_builds_without_warnings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let report = awskb::check(&BuildOptions::new(root));
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    assert!(report.pages >= 9);
}
