//! Notes written for GitHub, Obsidian, Hugo and Jekyll build as they are: fixture sites in
//! each style, built and inspected with an HTML parser.

use std::path::PathBuf;

use crate::common::*;
use awskb::BuildOptions;
use awskb::diagnostics::Diagnostic;
use scraper::Html;

struct Built {
    _site: tempfile::TempDir,
    out: PathBuf,
    diagnostics: Vec<Diagnostic>,
}

impl Built {
    fn page(&self, rel: &str) -> Html {
        html(&self.out.join(rel))
    }

    /// `line:column code message` of every diagnostic on `file`.
    fn problems(&self, file: &str) -> Vec<String> {
        self.diagnostics
            .iter()
            .filter(|d| d.file == std::path::Path::new(file))
            .map(|d| format!("{}:{} {} {}", d.line, d.column, d.code, d.message))
            .collect()
    }
}

fn build(fixture: &str) -> Built {
    let site = copy_fixture(fixture);
    let options = BuildOptions::new(site.path());
    let report = awskb::build(&options).unwrap();
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    Built {
        out: site.path().join("public"),
        _site: site,
        diagnostics: report.diagnostics,
    }
}

#[test]
fn github_anchors_and_heading_text_fragments_resolve() {
    let built = build("notes-github");
    let page = built.page("networking/index.html");
    assert_eq!(
        attrs(&page, ".content h2", "id"),
        [
            "billing--support",
            "idsips-options",
            "zone-apex-examplecom",
            "zone-apex-examplecom-1"
        ]
    );
    let links = built.page("links/index.html");
    assert_eq!(
        attrs(&links, ".content li a", "href")[1],
        "/networking/#billing--support",
        "Obsidian's heading text points at the heading's id"
    );
    // Only the genuine mistake is reported.
    assert_eq!(
        built.problems("content/links.md"),
        ["12:3 broken-link no heading or id `#no-such-heading` in content/networking.md"]
    );
}

#[test]
fn titles_from_the_first_heading_or_the_file_name() {
    let built = build("notes-github");
    let page = built.page("networking/index.html");
    assert_eq!(texts(&page, "h1"), ["Networking basics"], "printed once");
    assert!(texts(&page, "title")[0].starts_with("Networking basics"));
    let titles = |rel: &str| texts(&built.page(rel), "h1");
    assert_eq!(titles("ec2_storage/index.html"), ["EC2 storage"]);
    assert_eq!(
        titles("cross-stack references/index.html"),
        ["Cross-Stack References"]
    );
}

#[test]
fn hugo_shortcodes_become_html_and_links() {
    let built = build("notes-hugo");
    let page = built.page("services/lambda/index.html");
    assert_eq!(
        texts(&page, ".content .alert-warning .alert-title"),
        ["Timeouts"]
    );
    assert_eq!(
        texts(&page, ".content .alert-warning p:not(.alert-title)"),
        ["A function runs for at most 15 minutes."]
    );
    let hrefs = attrs(&page, ".content a", "href");
    assert!(hrefs.contains(&"/services/s3/".to_string()), "{hrefs:?}");
    assert!(
        hrefs.contains(&"/services/s3/#limits".to_string()),
        "{hrefs:?}"
    );
    assert!(hrefs.contains(&"https://www.youtube.com/watch?v=dQw4w9WgXcQ".to_string()));
    assert_eq!(
        attrs(&page, ".content figure img", "src"),
        ["/images/arch.png"]
    );
    assert_eq!(texts(&page, ".content figcaption"), ["The architecture"]);
    assert_eq!(texts(&page, ".content details summary"), ["Answer"]);
    assert_eq!(
        texts(&page, ".content details p"),
        ["B, because AWS Lambda scales."]
    );
    let code = texts(&page, ".content pre code");
    assert!(code[0].contains("return \"{{ not a tag }}\""), "{code:?}");
    let text = texts(&page, ".content p").join("\n");
    assert!(text.contains("Tab content stays."));
    for raw in ["{{", "{%", "tabs"] {
        assert!(!text.contains(raw), "`{raw}` reached the page: {text}");
    }
    let description = attrs(&page, "meta[name=description]", "content");
    assert!(!description[0].contains("{{"), "{description:?}");
    assert_eq!(
        built.problems("content/services/lambda.md"),
        [
            "29:1 shortcode unknown Hugo shortcode `tabs`: left out of the page (its content is kept)",
            "33:1 broken-link no Markdown file for `missing-page.md`",
            "35:19 liquid Jekyll Liquid tag `{% include note.html %}` is not run: left out of the page",
            "35:47 liquid Jekyll Liquid tag `{{ site.title }}` is not run: left out of the page",
        ]
    );
}

#[test]
fn obsidian_wikilinks_resolve_by_name_anywhere() {
    let built = build("notes-obsidian");
    let home = built.page("home/index.html");
    assert_eq!(
        attrs(&home, ".content li a", "href"),
        [
            "/aws/lambda/",
            "/aws/lambda/",
            "/aws/billing/#billing--support",
            "/aws/billing/",
            "#diagrams",
            "Missing%20note",
        ]
    );
    assert_eq!(
        texts(&home, ".content li a")[1],
        "the function service",
        "the text after `|` is the link's text"
    );
    assert_eq!(attrs(&home, ".content img", "src"), ["/_atts/arch.png"]);
    assert_eq!(
        built.problems("content/Home.md"),
        [
            "4:41 ambiguous-link `[[Billing]]` could be any of aws/Billing.md, azure/Billing.md; linking to the first",
            "6:3 broken-link no note or file named `Missing note`",
        ]
    );
}

#[test]
fn bare_urls_emoji_and_natural_order() {
    let built = build("notes-github");
    let links = built.page("links/index.html");
    assert_eq!(
        attrs(&links, ".content p a", "href"),
        ["https://aws.amazon.com/ec2/"]
    );
    assert_eq!(
        texts(&links, ".content p").last().unwrap(),
        "Read https://aws.amazon.com/ec2/. 🚀 Done ✅"
    );
    let home = built.page("index.html");
    let chapters: Vec<String> = attrs(&home, ".listing a.card-title", "href")
        .into_iter()
        .filter(|href| href.starts_with("/chapter"))
        .collect();
    assert_eq!(chapters, ["/chapter_1/", "/chapter_2/", "/chapter_10/"]);
}

#[test]
fn at_most_twenty_problems_of_one_code_are_printed() {
    let site = tempfile::tempdir().unwrap();
    let links: String = (0..25)
        .map(|i| format!("[{i}](missing-{i}.md)\n\n"))
        .collect();
    write(site.path(), "content/many.md", links);
    let root = site.path().to_str().unwrap();
    let human = stderr(&awskb(&["check", "-r", root]));
    assert_eq!(human.matches("warning[broken-link]").count(), 20, "{human}");
    assert!(
        human.contains("... and 5 more [broken-link] problems not shown"),
        "{human}"
    );
    let json = stdout(&awskb(&["check", "-r", root, "--format", "json"]));
    let all: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(all["diagnostics"].as_array().unwrap().len(), 25);
}

#[test]
fn a_reload_renders_wikilinked_pages_again_only_when_their_targets_move() {
    use awskb::content::{self, LoadOptions};
    let site = copy_fixture("notes-obsidian");
    // Without its broken link (a page with one is always rendered again).
    let home = site.path().join("content/Home.md");
    let text = std::fs::read_to_string(&home).unwrap();
    std::fs::write(&home, text.replace("- [[Missing note]]\n", "")).unwrap();
    let config = awskb::config::Config::load(site.path()).unwrap();
    let highlighter = awskb::markdown::Highlighter::default();
    let (mut loaded, mut sources) =
        content::load(site.path(), config, &LoadOptions::default(), &highlighter);
    // A new note elsewhere moves no wikilink target: Home is not rendered again.
    write(site.path(), "content/azure/Other.md", "# Other\n");
    let reloaded = content::reload(
        &mut loaded,
        &mut sources,
        &["azure/Other.md".into()],
        &highlighter,
    );
    assert!(
        !reloaded.rendered.contains("/home/"),
        "{:?}",
        reloaded.rendered
    );
    // A second `Lambda.md` makes `[[Lambda]]` ambiguous: Home is rendered again and warns.
    write(site.path(), "content/Lambda.md", "# Lambda at the top\n");
    let reloaded = content::reload(
        &mut loaded,
        &mut sources,
        &["Lambda.md".into()],
        &highlighter,
    );
    assert!(
        reloaded.rendered.contains("/home/"),
        "{:?}",
        reloaded.rendered
    );
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.code == "ambiguous-link" && d.message.contains("Lambda.md, aws/Lambda.md"))
    );
}

#[test]
fn a_jekyll_404_and_sitemap_in_the_content_replace_the_generated_ones() {
    let built = build("notes-jekyll");
    let missing = built.page("404.html");
    assert_eq!(
        texts(&missing, "h1"),
        ["No runbook here"],
        "the site's own page"
    );
    let sitemap = std::fs::read_to_string(built.out.join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://runbooks.example.net/rotate-keys/</loc>")
            && !sitemap.contains("<lastmod>"),
        "the site's own sitemap: {sitemap}"
    );
    let robots = std::fs::read_to_string(built.out.join("robots.txt")).unwrap();
    assert!(
        robots.contains("Sitemap: https://runbooks.example.net/sitemap.xml"),
        "{robots}"
    );
    assert_eq!(
        built.problems("content/404.html"),
        ["0:0 replaces-generated the file content/404.html replaces the generated `404.html`"]
    );
    assert_eq!(
        built.problems("content/sitemap.xml"),
        [
            "0:0 replaces-generated the file content/sitemap.xml replaces the generated `sitemap.xml`"
        ]
    );
    // The generated pages are still there.
    let home = built.page("index.html");
    assert_eq!(attrs(&home, ".content a", "href"), ["/rotate-keys/"]);
}

#[test]
fn readme_index_and_folder_notes_are_the_folders_pages() {
    let built = build("notes-folders");
    let home = built.page("index.html");
    assert_eq!(
        texts(&home, "h1"),
        ["Cloud study notes"],
        "README.md is the home page"
    );
    assert_eq!(
        attrs(&home, ".header-nav a", "href"),
        [
            "/databases/",
            "/networking/",
            "/security/",
            "/tags/",
            "/categories/"
        ],
        "every folder with Markdown is a section, `_atts/` (images only) is not"
    );
    let section = |rel: &str| built.page(rel);
    // `index.md` beside other notes, Obsidian's `Databases/Databases.md`, `security.md` beside
    // `security/`: each is its folder's page and lists the folder's notes.
    for (rel, title, child) in [
        (
            "networking/index.html",
            "Networking",
            "/networking/subnets/",
        ),
        ("databases/index.html", "Databases", "/databases/dynamodb/"),
        ("security/index.html", "Security", "/security/iam/"),
    ] {
        let page = section(rel);
        assert_eq!(texts(&page, "h1"), [title], "{rel}");
        assert!(
            attrs(&page, "main a", "href").iter().any(|h| h == child),
            "{rel} lists {child}"
        );
    }
    assert!(
        built.out.join("_atts/diagram.png").is_file(),
        "its files are still copied"
    );
    // `guides.md` beside `guides/`, a folder of images only, stays an ordinary page.
    let guides = built.page("guides/index.html");
    assert_eq!(texts(&guides, "h1"), ["Console guide"]);
    assert_eq!(
        attrs(&guides, ".content img", "src"),
        ["/guides/console.png"]
    );
    assert!(built.diagnostics.is_empty(), "{:#?}", built.diagnostics);
}

#[test]
fn two_pages_for_one_folder_are_an_error_naming_both() {
    let site = copy_fixture("notes-folders");
    write(
        site.path(),
        "content/networking/README.md",
        "# Networking again\n",
    );
    let output = awskb(&["check", "-r", site.path().to_str().unwrap()]);
    assert!(!output.status.success());
    let text = stderr(&output);
    assert!(
        text.contains("content/networking/README.md:1:1: error[two-folder-pages]: content/networking/index.md and content/networking/README.md are both the page of the folder `content/networking/`"),
        "{text}"
    );
}

#[test]
fn relative_links_and_images_resolve_against_the_file_when_something_is_there() {
    let built = build("notes-relative");
    let lambda = built.page("aws/lambda/index.html");
    assert_eq!(
        attrs(&lambda, ".content img", "src"),
        ["/aws/images/arch.png", "/aws/images/flow.svg"],
        "a Markdown image and a raw HTML one, relative to content/aws/lambda.md"
    );
    assert_eq!(
        attrs(&lambda, ".content p a", "href"),
        ["/aws/files/role-policy.json", "/aws/sqs/"],
        "a file beside the source; a page by its URL (nothing at content/sqs/)"
    );
    let sqs = built.page("aws/sqs/index.html");
    assert_eq!(attrs(&sqs, ".content a", "href"), ["/aws/lambda/#limits"]);
    assert!(built.out.join("aws/images/arch.png").is_file());
    assert!(built.diagnostics.is_empty(), "{:#?}", built.diagnostics);
}

#[test]
fn a_notes_folder_builds_in_place_without_its_output_or_tooling() {
    let site = copy_fixture("notes-in-place");
    let root = site.path().to_str().unwrap();
    let first = awskb(&["build", "-r", root]);
    assert!(first.status.success(), "{}", stderr(&first));
    let said = stderr(&first);
    assert_eq!(
        said.matches("info: no content/ folder: using the site folder itself")
            .count(),
        1,
        "{said}"
    );
    assert!(
        !said.contains("broken-link"),
        "tooling is not content: {said}"
    );
    let out = site.path().join("public");
    assert_eq!(
        texts(&html(&out.join("index.html")), "h1"),
        ["My AWS notes"]
    );
    assert_eq!(
        attrs(&html(&out.join("index.html")), ".content a", "href"),
        ["/aws/lambda/", "/aws/flow.png"]
    );
    assert!(out.join("aws/s3/index.html").is_file());
    assert!(out.join("aws/flow.png").is_file());
    for never in [
        "old-build",
        "node_modules",
        "templates",
        ".obsidian",
        "public",
    ] {
        assert!(!out.join(never).exists(), "{never} is not content");
    }
    // The output, now in the root with a note of its own, is never read back.
    write(&out, "stray.md", "# Stray\n\n[broken](nope.md)\n");
    let again = awskb(&["check", "-r", root]);
    assert!(again.status.success(), "{}", stderr(&again));
    let other = awskb(&["build", "-r", root, "-o", &format!("{root}/site")]);
    assert!(other.status.success(), "{}", stderr(&other));
    assert!(!site.path().join("site/public").exists());
    assert!(site.path().join("site/aws/lambda/index.html").is_file());
}

#[test]
fn content_dir_names_the_pages_folder_and_a_folder_without_notes_is_an_error() {
    let site = tempfile::tempdir().unwrap();
    write(site.path(), "awskb.toml", "content_dir = \"docs\"\n");
    write(site.path(), "docs/guide.md", "# Guide\n");
    write(site.path(), "README.md", "# Not a page\n");
    let report = awskb::build(&BuildOptions::new(site.path())).unwrap();
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    assert!(report.notes.is_empty());
    let out = site.path().join("public");
    assert!(out.join("guide/index.html").is_file());
    assert!(!out.join("README/index.html").exists() && !out.join("readme").exists());

    let empty = tempfile::tempdir().unwrap();
    write(empty.path(), "notes.txt", "no Markdown here");
    let output = awskb(&["check", "-r", empty.path().to_str().unwrap()]);
    assert!(!output.status.success());
    let said = stderr(&output);
    assert!(
        said.contains("error[no-content]: no `content` folder and no Markdown in"),
        "{said}"
    );
    assert!(said.contains("awskb init"), "{said}");
}

#[test]
fn the_command_line_names_the_language_trees_once() {
    let site = copy_fixture("notes-languages");
    let said = stderr(&awskb(&["check", "-r", site.path().to_str().unwrap()]));
    assert_eq!(
        said.matches("info: pages in fr besides en").count(),
        1,
        "{said}"
    );
}

#[test]
fn language_suffixes_are_trees_of_their_own_linked_to_their_translations() {
    let built = build("notes-languages");
    assert!(built.diagnostics.is_empty(), "{:#?}", built.diagnostics);
    let english = built.page("aws/lambda/index.html");
    let french = built.page("fr/aws/lambda/index.html");
    assert_eq!(attrs(&english, "html", "lang"), ["en"]);
    assert_eq!(attrs(&french, "html", "lang"), ["fr"]);
    assert_eq!(texts(&french, "h1"), ["Lambda (fr)"]);
    assert_eq!(
        attrs(&english, ".translations a", "href"),
        ["/fr/aws/lambda/"]
    );
    assert_eq!(attrs(&english, ".translations a", "hreflang"), ["fr"]);
    assert_eq!(attrs(&english, ".translations a", "lang"), ["fr"]);
    assert_eq!(attrs(&french, ".translations a", "hreflang"), ["en"]);
    assert_eq!(attrs(&french, ".translations a", "href"), ["/aws/lambda/"]);
    // Navigation, listings and the pager stay in the page's language.
    let links = |doc: &Html, selector: &str| attrs(doc, selector, "href");
    for (doc, inside) in [(&english, false), (&french, true)] {
        for href in links(doc, ".sidebar a, .header-nav a, .pager a") {
            if href.starts_with("/tags/") || href.starts_with("/categories/") {
                continue;
            }
            assert_eq!(href.starts_with("/fr/"), inside, "{href}");
        }
    }
    assert_eq!(links(&french, ".pager a"), ["/fr/aws/", "/fr/aws/iam/"]);
    let french_section = built.page("fr/aws/index.html");
    assert_eq!(
        links(&french_section, ".listing a"),
        ["/fr/aws/lambda/", "/fr/aws/iam/"]
    );
    assert_eq!(
        links(&french_section, ".translations a"),
        ["/aws/"],
        "a folder awskb made a section of in French is a translation of the English one"
    );
    let english_section = built.page("aws/index.html");
    assert_eq!(
        links(&english_section, ".listing a"),
        ["/aws/lambda/", "/aws/s3/"]
    );
    assert_eq!(
        texts(&built.page("fr/index.html"), "h1"),
        ["Notes sur le cloud"]
    );
    // Suffixes that are not language codes are part of the name.
    assert!(built.out.join("notes.v2/index.html").is_file());
    assert!(built.out.join("file.test/index.html").is_file());
    assert!(!built.out.join("v2").exists() && !built.out.join("test").exists());
}

#[test]
fn urls_are_lower_case_and_links_written_with_the_file_names_case_find_them() {
    let built = build("notes-languages");
    let home = built.page("index.html");
    assert!(built.out.join("guides/setup/index.html").is_file());
    assert_eq!(
        attrs(&home, ".content a", "href"),
        ["/aws/lambda/", "/guides/setup/"],
        "the link written `/Guides/Setup/` is rewritten to the real URL"
    );

    let site = copy_fixture("notes-languages");
    write(
        site.path(),
        "awskb.toml",
        "title = \"Notes\"\nlowercase_urls = false\n",
    );
    let report = awskb::build(&BuildOptions::new(site.path())).unwrap();
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let out = site.path().join("public");
    assert!(out.join("Guides/Setup/index.html").is_file());
    assert_eq!(
        attrs(&html(&out.join("index.html")), ".content a", "href"),
        ["/aws/lambda/", "/Guides/Setup/"]
    );
}

#[test]
fn obsidian_embeds_show_the_note_or_its_section_and_cycles_are_warnings() {
    let built = build("notes-embeds");
    let home = built.page("home/index.html");
    let embeds = scraper::Selector::parse(".content .embed").unwrap();
    let blocks: Vec<_> = home.select(&embeds).collect();
    assert_eq!(blocks.len(), 2, "{}", home.html());
    let text = |i: usize| blocks[i].text().collect::<String>();
    assert!(text(0).contains("Functions on demand") && text(0).contains("Per request"));
    assert!(text(1).contains("Fifteen minutes") && !text(1).contains("Per request"));
    let source = scraper::Selector::parse(".embed-source a").unwrap();
    let sources: Vec<_> = home
        .select(&source)
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(sources, ["/aws/lambda/", "/aws/lambda/#limits"]);
    // A link inside the note resolves as on the note's own page.
    assert!(
        attrs(&home, ".embed a", "href").contains(&"/aws/s3/".to_string()),
        "{:?}",
        attrs(&home, ".embed a", "href")
    );
    assert_eq!(attrs(&home, ".content img", "src"), ["/diagram.png"]);
    assert_eq!(
        built.problems("content/loops/Self.md"),
        [
            "3:1 embed-cycle `![[Self]]` embeds content/loops/Self.md, which is already being embedded here; shown as a link"
        ]
    );
    for (file, other) in [("Ping", "Pong"), ("Pong", "Ping")] {
        assert_eq!(
            built.problems(&format!("content/loops/{file}.md")),
            [format!(
                "3:1 embed-cycle `![[{other}]]` embeds content/loops/{other}.md, which is already being embedded here; shown as a link"
            )],
            "{file}"
        );
    }
    assert_eq!(
        attrs(
            &built.page("loops/self/index.html"),
            ".embed-link a",
            "href"
        ),
        ["/loops/self/"]
    );
}

#[test]
fn index_md_with_company_is_the_folders_page_and_alone_a_page_bundle() {
    let site = tempfile::tempdir().unwrap();
    // Hugo would make `vpc/index.md` a leaf bundle and `vpc/subnets.md` one of its files;
    // awskb (like GitHub and mdBook) makes `subnets.md` a page of the folder `vpc/`.
    write(site.path(), "content/vpc/index.md", "# VPC\n\nNetworks.\n");
    write(
        site.path(),
        "content/vpc/subnets.md",
        "# Subnets\n\nRanges.\n",
    );
    write(
        site.path(),
        "content/s3/index.md",
        "# S3\n\n![arch](arch.png)\n",
    );
    write(site.path(), "content/s3/arch.png", "PNG");
    let report = awskb::build(&BuildOptions::new(site.path())).unwrap();
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let out = site.path().join("public");
    let vpc = html(&out.join("vpc/index.html"));
    assert_eq!(texts(&vpc, "h1"), ["VPC"]);
    assert_eq!(attrs(&vpc, ".listing a", "href"), ["/vpc/subnets/"]);
    let subnets = html(&out.join("vpc/subnets/index.html"));
    assert_eq!(
        attrs(&subnets, ".breadcrumbs a", "href"),
        ["/", "/vpc/"],
        "the sibling note is a page of the folder's section"
    );
    // Alone in its folder, `index.md` is a page whose files are copied beside it.
    let s3 = html(&out.join("s3/index.html"));
    assert_eq!(attrs(&s3, ".content img", "src"), ["/s3/arch.png"]);
    assert!(out.join("s3/arch.png").is_file());
    let home = html(&out.join("index.html"));
    assert_eq!(
        attrs(&home, ".header-nav a", "href")[0],
        "/vpc/",
        "only vpc/ is a section"
    );
    assert!(!attrs(&home, ".header-nav a", "href").contains(&"/s3/".to_string()));
}

#[test]
fn embeds_nest_at_most_eight_deep() {
    let site = tempfile::tempdir().unwrap();
    for n in 0..10 {
        write(
            site.path(),
            &format!("content/n{n}.md"),
            format!("# Note {n}\n\nText {n}.\n\n![[n{}]]\n", n + 1),
        );
    }
    write(site.path(), "content/n10.md", "# Note 10\n\nThe end.\n");
    let report = awskb::build(&BuildOptions::new(site.path())).unwrap();
    let depth: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "embed-depth")
        .map(|d| format!("{}:{}:{}", d.file.display(), d.line, d.column))
        .collect();
    assert_eq!(depth, ["content/n8.md:5:1", "content/n9.md:5:1"]);
    let first = html(&site.path().join("public/n0/index.html"));
    let text = texts(&first, ".content").concat();
    assert!(
        text.contains("Text 8.") && !text.contains("Text 9."),
        "{text}"
    );
}

/// Builds the site of `files` (path, text) in a temp dir; the report's problems stay for the
/// caller to inspect.
fn build_files(files: &[(&str, &str)]) -> (tempfile::TempDir, awskb::Report) {
    let site = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        write(site.path(), rel, text);
    }
    let report = awskb::build(&BuildOptions::new(site.path())).unwrap();
    (site, report)
}

#[test]
fn links_and_headings_inside_an_embed_belong_to_the_embedded_note() {
    let (site, report) = build_files(&[
        (
            "content/guide.md",
            "---\ntoc: true\n---\n# Guide\n\n## Limits\n\nOur own limits.\n\n![[Lambda]]\n\n![[Lambda#Limits]]\n",
        ),
        (
            "content/aws/Lambda.md",
            "# Lambda\n\nSee [the limits](#limits) and [[#Limits|these]].\n\n## Limits\n\nFifteen minutes.\n",
        ),
    ]);
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let guide = html(&site.path().join("public/guide/index.html"));
    let in_embed = attrs(&guide, ".embed p:not(.embed-source) a", "href");
    assert_eq!(
        in_embed,
        ["/aws/lambda/#limits", "/aws/lambda/#limits"],
        "same-note fragments lead to the note's own page"
    );
    let ids = attrs(&guide, "[id]", "id");
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "ids repeat: {ids:?}");
    assert_eq!(
        attrs(&guide, ".content > h2", "id"),
        ["limits"],
        "the page keeps its own heading's id"
    );
    assert_eq!(
        attrs(&guide, ".toc a", "href"),
        ["#limits"],
        "embedded headings stay out of the page's table of contents"
    );
    // Every anchor link of an embedded heading reaches a heading of this page.
    for href in attrs(&guide, ".embed a.anchor", "href") {
        assert!(ids.contains(&href[1..].to_string()), "{href} in {ids:?}");
    }
}

#[test]
fn a_bundle_that_exists_only_in_translation_is_a_page() {
    let (site, report) = build_files(&[
        ("content/aws/lambda.md", "# Lambda\n\nFunctions.\n"),
        ("content/aws/lambda.fr.md", "# Lambda (fr)\n\nFonctions.\n"),
        (
            "content/aws/s3/index.fr.md",
            "# S3 (fr)\n\n![schéma](arch.png)\n",
        ),
        ("content/aws/s3/arch.png", "PNG"),
    ]);
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let out = site.path().join("public");
    let s3 = html(&out.join("fr/aws/s3/index.html"));
    assert_eq!(texts(&s3, "h1"), ["S3 (fr)"]);
    assert_eq!(attrs(&s3, ".content img", "src"), ["/fr/aws/s3/arch.png"]);
    assert!(
        !out.join("aws/s3").exists(),
        "no English section for a folder without English pages"
    );
    let french_aws = html(&out.join("fr/aws/index.html"));
    assert_eq!(
        attrs(&french_aws, ".listing a", "href"),
        ["/fr/aws/lambda/", "/fr/aws/s3/"]
    );
}

#[test]
fn a_language_suffix_counts_only_when_the_site_confirms_it() {
    let files = [
        ("content/js/socket.io.md", "# Socket.IO\n\nEvents.\n"),
        ("content/js/Object.is.md", "# Object.is\n\nSameness.\n"),
        ("content/dotnet/LINQ.cs.md", "# LINQ\n\nQueries.\n"),
        ("content/aws/lambda.md", "# Lambda\n\nFunctions.\n"),
        ("content/aws/lambda.fr.md", "# Lambda (fr)\n\nFonctions.\n"),
        ("content/aws/iam.fr.md", "# IAM (fr)\n\nRôles.\n"),
    ];
    let (site, report) = build_files(&files);
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let out = site.path().join("public");
    for page in [
        "js/socket.io",
        "js/object.is",
        "dotnet/linq.cs",
        "aws/lambda",
    ] {
        assert!(out.join(page).join("index.html").is_file(), "{page}");
    }
    assert!(!out.join("io").exists() && !out.join("is").exists() && !out.join("cs").exists());
    // `fr` is confirmed by `lambda.fr.md` beside `lambda.md`, so `iam.fr.md` is French too.
    assert!(out.join("fr/aws/lambda/index.html").is_file());
    assert!(out.join("fr/aws/iam/index.html").is_file());

    // The config names languages a site has no pair for yet.
    let mut with_config = files.to_vec();
    with_config.push(("awskb.toml", "title = \"T\"\nlanguages = [\"cs\"]\n"));
    let (site, report) = build_files(&with_config);
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let out = site.path().join("public");
    assert!(out.join("cs/dotnet/linq/index.html").is_file());
    assert!(out.join("js/socket.io/index.html").is_file());
}

#[test]
fn the_language_trees_are_named_once_and_a_new_sibling_confirms_a_suffix_on_reload() {
    use awskb::content::{self, LoadOptions};
    let (site, _) = build_files(&[
        ("content/js/socket.io.md", "# Socket.IO\n"),
        ("content/aws/iam.md", "# IAM\n"),
    ]);
    let config = awskb::config::Config::load(site.path()).unwrap();
    let highlighter = awskb::markdown::Highlighter::default();
    let (mut loaded, mut sources) =
        content::load(site.path(), config, &LoadOptions::default(), &highlighter);
    assert_eq!(loaded.language_note(), None);
    let paths = |site: &content::Site| -> Vec<String> {
        let mut paths: Vec<String> = site
            .pages
            .iter()
            .filter(|p| p.source.is_some())
            .map(|p| p.path.clone())
            .collect();
        paths.sort();
        paths
    };
    assert_eq!(paths(&loaded), ["/aws/iam/", "/js/socket.io/"]);
    // `iam.fr.md` beside `iam.md` makes `fr` a language: a French tree, and no other page moves.
    write(site.path(), "content/aws/iam.fr.md", "# IAM (fr)\n");
    content::reload(
        &mut loaded,
        &mut sources,
        &[PathBuf::from("aws/iam.fr.md")],
        &highlighter,
    );
    assert_eq!(
        paths(&loaded),
        ["/aws/iam/", "/fr/aws/iam/", "/js/socket.io/"]
    );
    assert_eq!(
        loaded.language_note().as_deref(),
        Some(
            "pages in fr besides en: language trees /fr/ (by the file names' suffixes, `page.fr.md`)"
        )
    );
    // A page read before moves too: `socket.md` beside `socket.io.md` confirms `io`.
    write(site.path(), "content/js/socket.md", "# Socket\n");
    content::reload(
        &mut loaded,
        &mut sources,
        &[PathBuf::from("js/socket.md")],
        &highlighter,
    );
    assert_eq!(
        paths(&loaded),
        ["/aws/iam/", "/fr/aws/iam/", "/io/js/socket/", "/js/socket/"]
    );
}

#[test]
fn outputs_that_differ_only_in_case_are_a_conflict() {
    let (_site, report) = build_files(&[
        (
            "content/ec2/storage.md",
            "---\ntitle: Storage\n---\n\nDisks.\n",
        ),
        (
            "content/old.md",
            "---\ntitle: Old\naliases: [\"/EC2/Storage/\"]\n---\n\nMoved.\n",
        ),
        ("content/about.md", "# About\n\nUs.\n"),
        ("static/About/index.html", "<p>old about</p>"),
    ]);
    let conflicts: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "output-conflict")
        .map(|d| format!("{}:{} {}", d.file.display(), d.line, d.message))
        .collect();
    assert_eq!(conflicts.len(), 2, "{conflicts:#?}");
    assert!(
        conflicts
            .iter()
            .any(|c| c.contains("ec2/storage/index.html")
                && c.contains("EC2/Storage/index.html")
                && c.contains("content/old.md")
                && c.contains("content/ec2/storage.md")),
        "{conflicts:#?}"
    );
    assert!(
        conflicts.iter().any(|c| c.contains("About/index.html")
            && c.contains("static file About/index.html")
            && c.contains("content/about.md")),
        "{conflicts:#?}"
    );
}

#[test]
fn language_trees_share_taxonomies_and_links_lead_to_the_default_language_unless_named() {
    let (site, report) = build_files(&[
        (
            "content/aws/lambda.md",
            "---\ntags: [compute]\n---\n# Lambda\n\nFunctions.\n",
        ),
        (
            "content/aws/lambda.fr.md",
            "---\ntags: [compute]\n---\n# Lambda (fr)\n\nFonctions.\n",
        ),
        ("content/aws/iam.md", "# IAM\n\nRoles.\n"),
        (
            "content/aws/iam.fr.md",
            "# IAM (fr)\n\n[a](lambda.md) [b](/aws/lambda/) [[Lambda]] [c](lambda.fr.md) [d](/fr/aws/lambda/) [[lambda.fr]] [e](../lambda/)\n",
        ),
    ]);
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let out = site.path().join("public");
    let iam = html(&out.join("fr/aws/iam/index.html"));
    assert_eq!(
        attrs(&iam, ".content p a", "href"),
        [
            "/aws/lambda/",
            "/aws/lambda/",
            "/aws/lambda/",
            "/fr/aws/lambda/",
            "/fr/aws/lambda/",
            "/fr/aws/lambda/",
            "/fr/aws/lambda/"
        ]
    );
    let term = html(&out.join("tags/compute/index.html"));
    assert_eq!(
        attrs(&term, ".cards a.card-title", "href"),
        ["/aws/lambda/", "/fr/aws/lambda/"],
        "one term page for every language"
    );
}
