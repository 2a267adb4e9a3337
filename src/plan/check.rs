//! What the plan finds wrong: two things that write one file, and links to nothing.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::{Claim, Kind, Plan, Planned, Source};
use crate::content::STATIC_DIR;
use crate::content::Site;
use crate::diagnostics::Diagnostic;

/// An error for every output file that two things want to write, and a warning for every
/// generated file a content file replaces.
pub fn collisions(plan: &Plan) -> Vec<Diagnostic> {
    let mut claimed: HashMap<&str, &Claim> = HashMap::new();
    let mut diagnostics = replacements(plan);
    diagnostics.extend(statics_over_pages(plan));
    diagnostics.extend(files_in_the_way(plan));
    diagnostics.extend(case_collisions(plan));
    for entry in plan.entries.iter().filter(|e| e.kind.claims()) {
        let Some(first) = claimed.get(entry.file.as_str()) else {
            claimed.insert(&entry.file, &entry.claim);
            continue;
        };
        let Some((file, line, column)) = entry.claim.at.clone().or_else(|| first.at.clone()) else {
            continue;
        };
        diagnostics.push(
            Diagnostic::error(
                file,
                line,
                column,
                "output-conflict",
                format!("{} and {} both write `{}`", entry.claim.what, first.what, entry.file),
            )
            .with_help("change the slug, alias or file name so each output file has one source, or turn a generated page off in awskb.toml (`search = false`, `playground = false`, `practice = false`)"),
        );
    }
    diagnostics
}

/// An error for each output file whose path differs from another's only in case
/// (`ec2/storage/index.html` and an alias's `EC2/Storage/index.html`): on a case-insensitive
/// file system (macOS, Windows) one overwrites the other.
fn case_collisions(plan: &Plan) -> Vec<Diagnostic> {
    let mut folded: HashMap<String, &Planned> = HashMap::new();
    let mut reported: HashSet<(&str, &str)> = HashSet::new();
    let mut diagnostics = Vec::new();
    for entry in plan.last_copies() {
        if entry.kind.is_folder() {
            continue;
        }
        let first = *folded.entry(entry.file.to_lowercase()).or_insert(entry);
        if first.file == entry.file || !reported.insert((&first.file, &entry.file)) {
            continue;
        }
        let (file, line, column) = conflict_at(entry, first);
        diagnostics.push(
            Diagnostic::error(
                file,
                line,
                column,
                "output-conflict",
                format!(
                    "{} writes `{}` and {} writes `{}`: they differ only in case, so on macOS and Windows one overwrites the other",
                    claimant(&entry.claim),
                    entry.file,
                    claimant(&first.claim),
                    first.file
                ),
            )
            .with_help("spell the slug, alias or file name with the same case as the other (URLs are lower-cased unless `lowercase_urls = false`)"),
        );
    }
    diagnostics
}

/// Who claims a file, and the line that does when it is not the whole file: `the alias
/// `/A/` of content/b.md (content/b.md:3)`.
fn claimant(claim: &Claim) -> String {
    match &claim.at {
        Some((file, line, _)) if *line > 0 => {
            format!("{} ({}:{line})", claim.what, file.display())
        }
        _ => claim.what.clone(),
    }
}

/// A warning for each file of the site's `static/` that takes the place of a rendered page
/// (`static/index.html` over the home page): it wins, as static files do, but not silently.
fn statics_over_pages(plan: &Plan) -> Vec<Diagnostic> {
    let rendered: HashMap<&str, &Planned> = plan
        .entries
        .iter()
        .filter(|entry| entry.template.is_some())
        .map(|entry| (entry.file.as_str(), entry))
        .collect();
    plan.entries
        .iter()
        .filter_map(|entry| {
            let Kind::Static(index) = entry.kind else {
                return None;
            };
            if !matches!(plan.statics[index].source, Source::File(_)) {
                return None;
            }
            let page = rendered.get(entry.file.as_str())?;
            let shown = Path::new(STATIC_DIR).join(&entry.file);
            let (file, line, column) = page.claim.at.clone().unwrap_or((shown.clone(), 0, 0));
            Some(
                Diagnostic::warning(
                    file,
                    line,
                    column,
                    "replaces-generated",
                    format!(
                        "the static file {} replaces {} at `{}`",
                        shown.display(),
                        page.claim.what,
                        entry.file
                    ),
                )
                .with_help("remove or rename the static file to publish the page"),
            )
        })
        .collect()
}

/// Where a conflict between `entry` and `other` is reported: at `entry`'s claim (a file and
/// line of the site), else at `other`'s, else at the output file itself.
fn conflict_at(entry: &Planned, other: &Planned) -> (std::path::PathBuf, usize, usize) {
    entry
        .claim
        .at
        .clone()
        .or_else(|| other.claim.at.clone())
        .unwrap_or_else(|| (entry.file.clone().into(), 0, 0))
}

/// An error for each output file that needs a folder where another output is a file: an
/// alias `/robots.txt/` writes `robots.txt/index.html`, but `robots.txt` is a generated file.
fn files_in_the_way(plan: &Plan) -> Vec<Diagnostic> {
    let written = plan.last_copies();
    let files: HashMap<&str, &Planned> = written
        .iter()
        .filter(|entry| !entry.kind.is_folder())
        .map(|entry| (entry.file.as_str(), *entry))
        .collect();
    let mut diagnostics = Vec::new();
    for entry in &written {
        for folder in super::folders_of(&entry.file) {
            let Some(file) = files.get(folder) else {
                continue;
            };
            let (at, line, column) = conflict_at(entry, file);
            diagnostics.push(
                Diagnostic::error(
                    at,
                    line,
                    column,
                    "output-conflict",
                    format!(
                        "{} writes `{}`, which needs a folder `{folder}/` where {} writes the file `{folder}`",
                        entry.claim.what, entry.file, file.claim.what
                    ),
                )
                .with_help("change the slug, alias or file name so it does not put a folder where a file is"),
            );
        }
    }
    diagnostics
}

/// A warning at each content file that takes the place of a generated one.
fn replacements(plan: &Plan) -> Vec<Diagnostic> {
    plan.entries
        .iter()
        .filter(|entry| matches!(entry.kind, Kind::Asset(_)) && plan.replaced.contains(&entry.file))
        .filter_map(|entry| {
            let (file, line, column) = entry.claim.at.clone()?;
            Some(
                Diagnostic::warning(
                    file,
                    line,
                    column,
                    "replaces-generated",
                    format!(
                        "{} replaces the generated `{}`",
                        entry.claim.what, entry.file
                    ),
                )
                .with_help(
                    "remove or rename the file to get awskb's own; keep it to publish yours",
                ),
            )
        })
        .collect()
}

/// Checks every internal link of every page against the plan, and every anchor against the
/// target page's ids. Broken links are warnings (so `build` goes on and `check` fails).
pub fn check_links(site: &Site, plan: &Plan) -> Vec<Diagnostic> {
    let all: Vec<usize> = (0..site.pages.len()).collect();
    check_pages(site, plan, &all)
}

/// Brings the link problems of `site` up to date after the Markdown of the pages at `edited`
/// (site paths) was rendered again and nothing else changed: checks the links from those
/// pages and into them (their headings may have changed) and keeps the rest of `problems`.
pub fn recheck_links(
    site: &Site,
    plan: &Plan,
    edited: &HashSet<String>,
    problems: &mut Vec<Diagnostic>,
) {
    let recheck: Vec<usize> = (0..site.pages.len())
        .filter(|&i| {
            let page = &site.pages[i];
            edited.contains(&page.path)
                || page
                    .rendered
                    .links
                    .iter()
                    .any(|link| edited.contains(&link.path))
        })
        .collect();
    let fresh = check_pages(site, plan, &recheck);
    let rechecked: HashSet<&Path> = recheck
        .iter()
        .map(|&i| site.pages[i].file.as_path())
        .collect();
    problems.retain(|d| !rechecked.contains(d.file.as_path()));
    problems.extend(fresh);
}

/// [`check_links`] for the links of the pages at `indexes` in `site.pages`.
fn check_pages(site: &Site, plan: &Plan, indexes: &[usize]) -> Vec<Diagnostic> {
    // A page wins over anything else planned at its URL (that clash is reported apart).
    let mut targets: HashMap<&str, &Planned> = HashMap::new();
    for entry in &plan.entries {
        let slot = targets.entry(&entry.url).or_insert(entry);
        if matches!(entry.kind, Kind::Page(_)) {
            *slot = entry;
        }
    }
    let mut diagnostics = Vec::new();
    for page in indexes.iter().map(|&i| &site.pages[i]) {
        for link in &page.rendered.links {
            let problem = match targets.get(link.path.as_str()).map(|t| t.kind) {
                Some(Kind::Page(target)) => {
                    let target = &site.pages[target];
                    match &link.anchor {
                        Some(anchor) if !target.rendered.ids.contains(anchor) => Some((
                            format!("no heading or id `#{anchor}` in {}", target.file.display()),
                            suggest(anchor, &target.rendered.ids),
                        )),
                        _ => None,
                    }
                }
                Some(_) => None,
                None => Some((
                    format!("broken link `{}`: nothing at {}", link.written, link.path),
                    "link to an existing page, e.g. `../lambda/` relative to this page's URL, or to a Markdown file by its path".to_string(),
                )),
            };
            if let Some((message, help)) = problem {
                diagnostics.push(
                    Diagnostic::warning(&page.file, link.line, link.column, "broken-link", message)
                        .with_len(link.len)
                        .with_help(help),
                );
            }
        }
    }
    diagnostics
}

/// A hint naming the ids that exist, closest first by shared prefix.
fn suggest(anchor: &str, ids: &HashSet<String>) -> String {
    let mut known: Vec<&String> = ids.iter().collect();
    known.sort_by_key(|id| {
        (
            std::cmp::Reverse(
                id.chars()
                    .zip(anchor.chars())
                    .take_while(|(a, b)| a == b)
                    .count(),
            ),
            id.as_str(),
        )
    });
    let list: Vec<String> = known.iter().take(5).map(|id| format!("#{id}")).collect();
    if list.is_empty() {
        "the target page has no headings".into()
    } else {
        format!("ids on that page include {}", list.join(", "))
    }
}
