//! The command line contract: exit codes, and bad input reported with file, line and column.

use std::path::Path;

use crate::common::*;

/// A minimal valid site in a temporary folder.
fn small_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "content/_index.md",
        "---\ntitle: Home\n---\nHello.\n",
    );
    write(
        dir.path(),
        "content/a.md",
        "---\ntitle: A\n---\n## One\n\n[home](../)\n",
    );
    dir
}

fn run(root: &Path, args: &[&str]) -> std::process::Output {
    let mut all: Vec<&str> = args.to_vec();
    let root = root.to_str().unwrap();
    all.extend(["-r", root]);
    awskb(&all)
}

#[test]
fn build_and_check_succeed_on_a_valid_site() {
    let site = small_site();
    let out = run(site.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(site.path().join("public/a/index.html").is_file());
    assert!(stderr(&out).contains("Built 2 pages"));
    let out = run(site.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn every_command_has_help() {
    for args in [
        vec!["--help"],
        vec!["build", "--help"],
        vec!["check", "--help"],
        vec!["init", "--help"],
    ] {
        let out = awskb(&args);
        assert_eq!(out.status.code(), Some(0));
        assert!(String::from_utf8_lossy(&out.stdout).contains("Usage:"));
    }
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(awskb(&["build", "--no-such-flag"]).status.code(), Some(2));
    assert_eq!(awskb(&["serve-me"]).status.code(), Some(2));
    let out = awskb(&["build", "-r", "/definitely/not/here"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("not a folder"));
}

#[test]
fn malformed_yaml_points_at_the_line_in_the_file() {
    let site = small_site();
    write(
        site.path(),
        "content/bad.md",
        "---\ntitle: Bad\ntags: [a, b\nweight: 1\n---\nbody\n",
    );
    let out = run(site.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let line = err
        .lines()
        .find(|l| l.starts_with("content/bad.md:"))
        .unwrap_or_else(|| panic!("{err}"));
    let number: usize = line.split(':').nth(1).unwrap().parse().unwrap();
    assert!(
        (3..=5).contains(&number),
        "line {number} should be inside the front matter, in file lines: {err}"
    );
    assert!(line.contains("error[front-matter]"), "{line}");
    assert!(
        !site.path().join("public").exists(),
        "a failed first build writes nothing"
    );
}

#[test]
fn type_errors_name_the_key_and_its_line() {
    let site = small_site();
    write(
        site.path(),
        "content/heavy.md",
        "---\ntitle: Heavy\nweight: heavy\n---\n",
    );
    let out = run(site.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("content/heavy.md:3:1: error[front-matter]: `weight` must be a whole number"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn all_problems_are_reported_not_just_the_first() {
    let site = small_site();
    write(site.path(), "content/one.md", "---\ndraft: maybe\n---\n");
    write(site.path(), "content/two.md", "+++\ntitle = \n+++\n");
    write(
        site.path(),
        "content/three.md",
        "---\ntitle: ok\n---\n[x](missing/)\n",
    );
    let out = run(site.path(), &["check"]);
    let err = stderr(&out);
    assert!(
        err.contains("content/one.md:2:1: error[front-matter]"),
        "{err}"
    );
    assert!(err.contains("content/two.md:2:"), "{err}");
    assert!(
        err.contains("content/three.md:4:1: warning[broken-link]"),
        "{err}"
    );
    assert!(err.contains("2 error(s), 1 warning(s)"), "{err}");
}

#[test]
fn broken_links_warn_in_build_and_fail_check() {
    let site = small_site();
    write(
        site.path(),
        "content/b.md",
        "---\ntitle: B\n---\nSee [a](../a/#nope) and [z](../z/).\n",
    );
    let out = run(site.path(), &["build"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("content/b.md:4:5: warning[broken-link]: no heading or id `#nope`"),
        "{err}"
    );
    assert!(
        err.contains("content/b.md:4:25: warning[broken-link]"),
        "{err}"
    );
    assert!(
        err.contains("See [a](../a/#nope)"),
        "the excerpt shows the source line: {err}"
    );
    let out = run(site.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let json = run(site.path(), &["check", "--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    let diagnostics: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let first = &diagnostics["diagnostics"][0];
    assert_eq!(
        (
            first["file"].as_str(),
            first["line"].as_u64(),
            first["severity"].as_str()
        ),
        (Some("content/b.md"), Some(4), Some("warning"))
    );
}

#[test]
fn two_pages_with_one_url_name_both_files() {
    let site = small_site();
    write(
        site.path(),
        "content/a/index.md",
        "---\ntitle: Also A\n---\n",
    );
    let out = run(site.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("error[duplicate-url]")
            && err.contains("content/a.md")
            && err.contains("content/a/index.md"),
        "{err}"
    );
}

#[test]
fn unknown_template_points_at_the_key() {
    let site = small_site();
    write(
        site.path(),
        "content/t.md",
        "---\ntitle: T\ntemplate: fancy.html\n---\n",
    );
    let out = run(site.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/t.md:3:1: error[template]: unknown template `fancy.html`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn template_syntax_errors_point_into_the_template() {
    let site = small_site();
    write(
        site.path(),
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title \n{% endblock content %}\n",
    );
    let out = run(site.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.lines()
            .any(|l| l.starts_with("templates/page.html:") && l.contains("error[template]")),
        "{err}"
    );
}

#[test]
fn config_errors_point_into_awskb_toml() {
    let site = small_site();
    write(
        site.path(),
        "awskb.toml",
        "title = \"x\"\n[markdown]\ntoc_depth = 3\n",
    );
    let out = run(site.path(), &["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("awskb.toml:3:1: error[config]"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn non_utf8_files_are_a_clear_error() {
    let site = small_site();
    write(
        site.path(),
        "content/latin1.md",
        b"---\ntitle: caf\xe9\n---\n".as_slice(),
    );
    let out = run(site.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("content/latin1.md:2:11: error[not-utf8]"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_reported_not_followed_forever() {
    let site = small_site();
    std::fs::create_dir_all(site.path().join("content/loop")).unwrap();
    std::os::unix::fs::symlink(
        site.path().join("content"),
        site.path().join("content/loop/back"),
    )
    .unwrap();
    let out = run(site.path(), &["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[symlink-loop]"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = small_site();
    assert_eq!(run(site.path(), &["build"]).status.code(), Some(0));
    let index = site.path().join("public/a/index.html");
    let before = std::fs::read(&index).unwrap();
    write(
        site.path(),
        "content/a.md",
        "---\ntitle: Changed\nweight: x\n---\n",
    );
    assert_eq!(run(site.path(), &["build"]).status.code(), Some(1));
    assert_eq!(std::fs::read(&index).unwrap(), before);
    let names: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .all(|n| !n.contains("awskb-staging") && !n.contains("awskb-old")),
        "{names:?}"
    );
}

#[test]
fn dangerous_output_folders_are_refused() {
    let site = small_site();
    let root = site.path().to_str().unwrap().to_string();
    for target in [
        root.clone(),
        format!("{root}/content"),
        format!("{root}/.."),
        "/".to_string(),
    ] {
        let out = awskb(&["build", "-r", &root, "-o", &target]);
        assert_eq!(out.status.code(), Some(2), "{target}: {}", stderr(&out));
        assert!(stderr(&out).contains("refusing"), "{}", stderr(&out));
    }
    assert!(site.path().join("content/a.md").is_file());
    write(site.path(), "docs/notes.txt", "mine");
    let out = awskb(&["build", "-r", &root, "-o", &format!("{root}/docs")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("was not created by awskb"));
    assert_eq!(
        std::fs::read_to_string(site.path().join("docs/notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn init_creates_a_site_that_builds_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("my-kb");
    let out = awskb(&["init", site.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let check = run(&site, &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
    assert_eq!(run(&site, &["build"]).status.code(), Some(0));
    assert!(site.join("public/services/lambda/index.html").is_file());
    let again = awskb(&["init", site.to_str().unwrap()]);
    assert_eq!(
        again.status.code(),
        Some(2),
        "init refuses a non-empty folder"
    );
}
