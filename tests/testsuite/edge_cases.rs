//! Inputs that once went wrong: colliding outputs, odd file names, links in raw HTML, email
//! autolinks, draft sections, repeated ids, merged taxonomy spellings, sites without a full URL.

use std::path::Path;

use crate::common::*;
use awskb::BuildOptions;

fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "content/_index.md", "---\ntitle: Home\n---\n");
    for (rel, text) in files {
        write(dir.path(), rel, text);
    }
    dir
}

fn build(dir: &Path, base_url: &str) -> awskb::Report {
    let options = BuildOptions {
        base_url: Some(base_url.into()),
        ..BuildOptions::new(dir)
    };
    awskb::build(&options).unwrap()
}

fn codes(report: &awskb::Report) -> Vec<(&'static str, String, usize)> {
    report
        .diagnostics
        .iter()
        .map(|d| (d.code, d.file.display().to_string(), d.line))
        .collect()
}

#[test]
fn an_alias_may_not_overwrite_another_output() {
    let dir = site(&[(
        "content/a.md",
        "---\ntitle: A\naliases: [\"index.html\", \"/tags/\"]\n---\n",
    )]);
    let report = build(dir.path(), "/");
    let conflicts: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "output-conflict")
        .collect();
    assert_eq!(conflicts.len(), 2, "{:#?}", report.diagnostics);
    assert!(
        conflicts
            .iter()
            .all(|d| d.file == Path::new("content/a.md") && d.line == 3)
    );
    assert!(report.has_errors() && report.output.is_none());
}

#[test]
fn a_section_named_like_a_taxonomy_is_a_conflict() {
    let dir = site(&[
        ("content/tags/_index.md", "---\ntitle: My tags\n---\n"),
        ("content/p.md", "---\ntags: [x]\n---\n"),
    ]);
    let report = build(dir.path(), "/");
    assert!(
        codes(&report)
            .iter()
            .any(|(code, file, _)| *code == "output-conflict" && file == "content/tags/_index.md"),
        "{:#?}",
        report.diagnostics
    );
}

#[test]
fn odd_file_names_get_working_encoded_links() {
    let dir = site(&[
        ("content/front only.md", "---\ntitle: Spaced\n---\n"),
        ("content/a#b.md", "---\ntitle: Hash\n---\n"),
        (
            "content/links.md",
            "---\ntitle: Links\n---\n[s](../front%20only/) [h](../a%23b/) [m](front%20only.md)\n",
        ),
    ]);
    let report = build(dir.path(), "/");
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let out = dir.path().join("public");
    assert!(out.join("front only/index.html").is_file() && out.join("a#b/index.html").is_file());
    let page = html(&out.join("links/index.html"));
    assert_eq!(
        attrs(&page, ".content a", "href"),
        vec!["/front%20only/", "/a%23b/", "/front%20only/"]
    );
}

#[test]
fn links_in_raw_html_are_rewritten_and_checked() {
    let dir = site(&[
        ("content/a.md", "---\ntitle: A\n---\n## Target\n"),
        (
            "content/b.md",
            "---\ntitle: B\n---\n<p><a href=\"/a/#target\">ok</a> <img src=\"/missing.png\" alt=\"\"></p>\n",
        ),
    ]);
    let report = build(dir.path(), "https://example.org/kb/");
    let broken: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "broken-link")
        .collect();
    assert_eq!(broken.len(), 1, "{:#?}", report.diagnostics);
    assert!(broken[0].message.contains("/missing.png") && broken[0].line == 4);
    let page = html(&dir.path().join("public/b/index.html"));
    assert_eq!(attrs(&page, ".content a", "href"), vec!["/kb/a/#target"]);
}

#[test]
fn email_autolinks_are_left_alone() {
    let dir = site(&[(
        "content/a.md",
        "---\ntitle: A\n---\nWrite to <me@example.com>.\n",
    )]);
    let report = build(dir.path(), "/kb/");
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let page = html(&dir.path().join("public/a/index.html"));
    assert_eq!(
        attrs(&page, ".content a", "href"),
        vec!["mailto:me@example.com"]
    );
}

#[test]
fn a_draft_section_hides_its_folders_and_files() {
    let dir = site(&[
        (
            "content/secret/_index.md",
            "---\ntitle: Secret\ndraft: true\n---\n",
        ),
        ("content/secret/sub/p.md", "---\ntitle: P\n---\n"),
        ("content/secret/sub/plan.pdf", "pdf"),
    ]);
    let report = build(dir.path(), "/");
    assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    let out = dir.path().join("public");
    assert!(
        !out.join("secret").exists(),
        "nothing under a draft section is published"
    );
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!home.contains("secret"), "the home page does not link it");
}

#[test]
fn a_repeated_explicit_id_is_a_warning_and_theme_ids_never_clash() {
    let dir = site(&[(
        "content/a.md",
        "---\ntitle: A\n---\n## Foo\n\n## Bar {#foo}\n\n## Main\n",
    )]);
    let report = build(dir.path(), "/");
    assert_eq!(
        codes(&report),
        vec![("duplicate-id", "content/a.md".to_string(), 6)]
    );
    let page = html(&dir.path().join("public/a/index.html"));
    let ids = attrs(&page, "[id]", "id");
    assert_eq!(ids.iter().filter(|id| *id == "main").count(), 1, "{ids:?}");
}

#[test]
fn merged_term_spellings_warn_unless_they_differ_only_in_case_or_spacing() {
    let dir = site(&[
        (
            "content/a.md",
            "---\ntitle: A\ntags: [C++, Step Functions]\n---\n",
        ),
        (
            "content/b.md",
            "---\ntitle: B\ntags: [\"C#\", step-functions]\n---\n",
        ),
    ]);
    let report = build(dir.path(), "/");
    let warnings: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "taxonomy")
        .collect();
    assert_eq!(warnings.len(), 1, "{:#?}", report.diagnostics);
    assert!(warnings[0].message.contains("merged"));
}

#[test]
fn without_a_full_base_url_there_is_no_sitemap_or_feed() {
    let dir = site(&[("content/a.md", "---\ntitle: A\ndate: 2024-01-01\n---\n")]);
    let report = build(dir.path(), "/docs/");
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let out = dir.path().join("public");
    assert!(!out.join("sitemap.xml").exists() && !out.join("atom.xml").exists());
    let robots = std::fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(!robots.contains("Sitemap"), "{robots}");
    let page = html(&out.join("a/index.html"));
    assert!(attrs(&page, "link[rel=alternate]", "href").is_empty());
    assert!(attrs(&page, "link[rel=canonical]", "href").is_empty());
}

#[test]
fn a_page_with_field_errors_still_has_its_links_checked() {
    let dir = site(&[
        (
            "content/a.md",
            "---\ntitle: A\nweight: heavy\n---\n[b](../b/) [gone](../gone/)\n",
        ),
        ("content/b.md", "---\ntitle: B\n---\n[a](../a/)\n"),
    ]);
    let report = build(dir.path(), "/");
    let found = codes(&report);
    assert!(
        found.contains(&("front-matter", "content/a.md".into(), 3)),
        "{found:?}"
    );
    let broken: Vec<_> = found
        .iter()
        .filter(|(code, _, _)| *code == "broken-link")
        .collect();
    assert_eq!(
        broken.len(),
        1,
        "only the really broken link, not the link to the page with the bad field: {found:?}"
    );
}

#[cfg(unix)]
#[test]
fn markdown_and_folders_linked_from_outside_the_site_are_not_content() {
    let outside = tempfile::tempdir().unwrap();
    write(
        outside.path(),
        "secret.md",
        "---\ntitle: Secret\n---\nroot:x:0:0 outside-marker\n",
    );
    write(
        outside.path(),
        "notes/more.md",
        "---\ntitle: More\n---\noutside-marker\n",
    );
    let dir = site(&[
        ("content/inside/real.md", "---\ntitle: Real\n---\nShared.\n"),
        ("content/p.md", "---\ntitle: P\n---\nA page.\n"),
    ]);
    let link = |target: &Path, rel: &str| {
        std::os::unix::fs::symlink(target, dir.path().join(rel)).unwrap();
    };
    link(&outside.path().join("secret.md"), "content/leak.md");
    link(&outside.path().join("notes"), "content/dir");
    // A link that stays inside the site is followed as before.
    link(&dir.path().join("content/inside"), "content/alias");
    let report = build(dir.path(), "/");
    let out = report
        .output
        .clone()
        .expect("warnings do not stop the build");
    let warnings: Vec<_> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "outside-site")
        .map(|d| (d.file.display().to_string(), d.message.clone()))
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(warnings.iter().any(|(file, message)| {
        file == "content/leak.md"
            && message.contains(
                &outside
                    .path()
                    .canonicalize()
                    .unwrap()
                    .join("secret.md")
                    .display()
                    .to_string(),
            )
    }));
    assert!(warnings.iter().any(|(file, _)| file == "content/dir"));
    assert!(!out.join("leak").exists() && !out.join("dir").exists());
    assert!(out.join("alias/real/index.html").is_file());
    assert!(out.join("p/index.html").is_file());
    let all = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .any(|e| std::fs::read_to_string(e.path()).is_ok_and(|t| t.contains("outside-marker")));
    assert!(!all, "a file from outside the site was published");
}

#[test]
fn a_term_page_sees_its_taxonomy_without_the_list_of_every_term() {
    // Every term has a page: a copy of the whole list in each costs memory and time with the
    // square of the number of terms.
    let dir = site(&[
        (
            "content/a.md",
            "---\ntitle: A\ntags: [one, two, Two, three]\n---\n",
        ),
        (
            "templates/taxonomy_term.html",
            "{{ taxonomy.name }}:{{ taxonomy.count }}:{% if taxonomy.terms is defined %}list{% endif %}:{{ term.name }}",
        ),
    ]);
    let report = build(dir.path(), "/");
    let out = report.output.clone().unwrap();
    let two = std::fs::read_to_string(out.join("tags/two/index.html")).unwrap();
    assert_eq!(two, "tags:3::Two");
    // The page lists its three terms once each.
    let links = attrs(&html(&out.join("a/index.html")), "a.term", "href");
    assert_eq!(links, ["/tags/one/", "/tags/two/", "/tags/three/"]);
}

#[test]
fn a_static_file_over_a_page_is_a_warning_naming_both() {
    let dir = site(&[("static/index.html", "<p>static home</p>")]);
    let report = build(dir.path(), "/");
    let warning = report
        .diagnostics
        .iter()
        .find(|d| d.code == "replaces-generated")
        .unwrap_or_else(|| panic!("{:#?}", report.diagnostics));
    assert!(
        warning.message.contains("static/index.html"),
        "{}",
        warning.message
    );
    assert!(
        warning.message.contains("content/_index.md"),
        "{}",
        warning.message
    );
    let out = report.output.clone().unwrap();
    assert_eq!(
        std::fs::read_to_string(out.join("index.html")).unwrap(),
        "<p>static home</p>"
    );
}

#[test]
fn an_alias_that_needs_a_folder_where_a_generated_file_is_is_a_conflict() {
    let dir = site(&[(
        "content/a.md",
        "---\ntitle: A\naliases: [\"/css/syntax.css\", \"robots.txt\"]\n---\n",
    )]);
    let report = build(dir.path(), "/");
    assert!(report.has_errors());
    let found = codes(&report);
    let conflicts = found.iter().filter(|c| c.0 == "output-conflict");
    assert_eq!(conflicts.clone().count(), 2, "{found:#?}");
    assert!(conflicts.clone().all(|c| c.1 == "content/a.md" && c.2 == 3));
    assert!(!found.iter().any(|c| c.0 == "io"), "{found:#?}");
}

#[test]
fn a_circular_include_is_located_at_the_include() {
    let dir = site(&[
        ("content/p.md", "---\ntitle: P\ntemplate: a.html\n---\n"),
        ("templates/a.html", "one\n{% include \"b.html\" %}\n"),
        ("templates/b.html", "x\n\n  {% include \"a.html\" %}\n"),
    ]);
    let report = build(dir.path(), "/");
    let error = report
        .diagnostics
        .iter()
        .find(|d| d.message.contains("Circular include"))
        .unwrap_or_else(|| panic!("{:#?}", report.diagnostics));
    assert_eq!(
        (error.file.display().to_string(), error.line, error.column),
        ("templates/b.html".to_string(), 3, 3)
    );
}

#[cfg(target_os = "linux")]
#[test]
fn names_that_are_not_utf8_are_warned_about_and_left_out() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = site(&[("content/ok.md", "---\ntitle: OK\n---\n")]);
    let content = dir.path().join("content");
    std::fs::write(
        content.join(OsStr::from_bytes(b"bad-\xff.md")),
        "---\ntitle: Bad\n---\n",
    )
    .unwrap();
    std::fs::create_dir(content.join(OsStr::from_bytes(b"dir-\xfe"))).unwrap();
    std::fs::write(content.join(OsStr::from_bytes(b"dir-\xfe/p.md")), "x").unwrap();
    std::fs::create_dir_all(dir.path().join("static")).unwrap();
    std::fs::write(
        dir.path().join(OsStr::from_bytes(b"static/x-\xff.css")),
        "x",
    )
    .unwrap();
    let report = build(dir.path(), "/");
    let warned: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "not-utf8-name")
        .map(|d| d.file.display().to_string())
        .collect();
    assert_eq!(
        warned,
        [
            "content/bad-\u{FFFD}.md",
            "content/dir-\u{FFFD}",
            "static/x-\u{FFFD}.css"
        ]
    );
    let out = report.output.clone().unwrap();
    assert!(out.join("ok/index.html").is_file());
    let names: Vec<String> = walkdir::WalkDir::new(&out)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().display().to_string())
        .filter(|p| p.contains('\u{FFFD}'))
        .collect();
    assert!(names.is_empty(), "{names:?}");
}
