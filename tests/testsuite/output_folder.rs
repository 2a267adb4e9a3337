//! The output folder as the command line treats it: refusals exit 2, and an interrupted build
//! leaves the previous output and nothing else.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

fn site_with_pages(count: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "content/_index.md",
        "---\ntitle: Home\n---\nHello.\n",
    );
    for i in 0..count {
        write(
            dir.path(),
            &format!("content/p{i}.md"),
            format!("---\ntitle: Page {i}\ntags: [t{i}]\n---\n## Part\n\nText {i}.\n"),
        );
    }
    dir
}

fn hidden_entries(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public"))
        .collect()
}

#[test]
fn a_file_given_as_output_is_refused_with_exit_2() {
    let site = site_with_pages(1);
    let file = site.path().join("out.txt");
    std::fs::write(&file, "keep").unwrap();
    let out = awskb(&[
        "build",
        "-r",
        site.path().to_str().unwrap(),
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("it is a file"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
}

#[test]
fn a_failed_build_does_not_create_the_output_s_parents() {
    let site = site_with_pages(1);
    write(
        site.path(),
        "content/bad.md",
        "---\ntitle: [unclosed\n---\n",
    );
    let target = site.path().join("deploy/here/public");
    let out = awskb(&[
        "build",
        "-r",
        site.path().to_str().unwrap(),
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!site.path().join("deploy").exists());
}

#[cfg(unix)]
#[test]
fn sigterm_during_a_build_leaves_the_previous_output_and_nothing_else() {
    let site = site_with_pages(800);
    let root = site.path().to_str().unwrap();
    let first = awskb(&["build", "-r", root]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let before = std::fs::read(site.path().join("public/p7/index.html")).unwrap();

    let mut child = Command::new(env!("CARGO_BIN_EXE_awskb"))
        .args(["build", "-r", root])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the build is writing its staging folder, then stop it as a service manager
    // would.
    let started = Instant::now();
    while hidden_entries(site.path())
        .iter()
        .all(|n| !n.contains("staging"))
    {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no staging folder appeared"
        );
        if child.try_wait().unwrap().is_some() {
            // The build finished before it could be interrupted: nothing to test on this machine.
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    if status.code() == Some(0) {
        // The signal arrived after the commit: the new output is complete.
        assert!(hidden_entries(site.path()).is_empty());
        return;
    }
    assert_eq!(status.code(), Some(130));
    assert!(
        hidden_entries(site.path()).is_empty(),
        "{:?}",
        hidden_entries(site.path())
    );
    assert_eq!(
        std::fs::read(site.path().join("public/p7/index.html")).unwrap(),
        before
    );
}
