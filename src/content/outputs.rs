//! Every file a build writes, and what asked for it, so that two never silently overwrite each
//! other (an alias `index.html` over the home page, a section `content/tags/` over the tag list).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::Site;
use crate::diagnostics::Diagnostic;

/// Files the build generates at fixed places in the output.
pub const GENERATED: &[&str] = &[
    "404.html",
    "sitemap.xml",
    "robots.txt",
    "atom.xml",
    "css/syntax.css",
];

/// The output file of a site path: `/aws/` -> `aws/index.html`, `/old.html` -> `old.html`.
pub fn output_file(path: &str) -> String {
    let rel = path.trim_start_matches('/');
    if rel.ends_with(".html") {
        rel.to_string()
    } else {
        format!("{rel}index.html")
    }
}

/// Who asked for an output file, and where in the author's files, if anywhere.
struct Claim {
    what: String,
    at: Option<(PathBuf, usize, usize)>,
}

/// Every output file the site's pages, taxonomies, aliases and content files make, plus the
/// generated ones: what `serve` compares to tell whether a change moved any output.
pub fn all(site: &Site) -> Vec<String> {
    claims(site).into_iter().map(|(rel, _)| rel).collect()
}

/// An error for every output file that two things want to write.
pub fn collisions(site: &Site) -> Vec<Diagnostic> {
    let mut claimed: HashMap<String, Claim> = HashMap::new();
    let mut diagnostics = Vec::new();
    for (rel, Claim { what, at }) in claims(site) {
        let Some(first) = claimed.get(&rel) else {
            claimed.insert(rel, Claim { what, at });
            continue;
        };
        let Some((file, line, column)) = at.clone().or_else(|| first.at.clone()) else {
            continue;
        };
        diagnostics.push(
            Diagnostic::error(
                file,
                line,
                column,
                "output-conflict",
                format!("{what} and {} both write `{rel}`", first.what),
            )
            .with_help("change the slug, alias or file name so each output file has one source, or turn a generated page off in awskb.toml (`search = false`, `playground = false`, `practice = false`)"),
        );
    }
    diagnostics
}

/// Every output file and who asks for it, in the order conflicts are reported.
fn claims(site: &Site) -> Vec<(String, Claim)> {
    let mut claims = Vec::new();
    let mut claim = |rel: String, what: String, at: Option<(PathBuf, usize, usize)>| {
        claims.push((rel, Claim { what, at }));
    };
    for generated in GENERATED {
        claim(
            generated.to_string(),
            format!("the generated {generated}"),
            None,
        );
    }
    if site.config.search {
        // Located at the config, so that a folder section at `/search/` (which has no file of
        // its own) is reported too.
        claim(
            output_file(crate::search::SEARCH_PATH),
            "the search page (`search = true` in the config)".into(),
            Some((PathBuf::from(crate::config::CONFIG_FILE), 0, 0)),
        );
    }
    if site.config.playground {
        claim(
            output_file(crate::render::PLAYGROUND_PATH),
            "the playground page (`playground = true` in the config)".into(),
            Some((PathBuf::from(crate::config::CONFIG_FILE), 0, 0)),
        );
    }
    // practice: the practice page (study mode) is generated like search and playground.
    if site.config.practice {
        claim(
            output_file(crate::practice::PRACTICE_PATH),
            "the practice page (`practice = true` in the config)".into(),
            Some((PathBuf::from(crate::config::CONFIG_FILE), 0, 0)),
        );
    }
    for page in &site.pages {
        let (line, column) = page
            .meta
            .key_positions
            .get("slug")
            .copied()
            .unwrap_or((0, 0));
        claim(
            output_file(&page.path),
            format!("the page {}", page.file.display()),
            page.source
                .as_ref()
                .map(|_| (page.file.clone(), line, column)),
        );
    }
    for taxonomy in &site.taxonomies {
        claim(
            output_file(&taxonomy.path),
            format!("the {} list", taxonomy.name),
            None,
        );
        for term in &taxonomy.terms {
            claim(
                output_file(&term.path),
                format!("the {} page of `{}`", taxonomy.name, term.name),
                None,
            );
        }
    }
    for (alias, target) in &site.aliases {
        let page = &site.pages[*target];
        let (line, column) = page.meta.position_of("aliases");
        claim(
            output_file(alias),
            format!("the alias `{alias}` of {}", page.file.display()),
            Some((page.file.clone(), line, column)),
        );
    }
    for asset in &site.assets {
        let file = Path::new(super::CONTENT_DIR).join(&asset.rel);
        claim(
            asset.output.clone(),
            format!("the file {}", file.display()),
            Some((file, 0, 0)),
        );
    }
    claims
}

#[cfg(test)]
mod tests {
    use super::output_file;

    #[test]
    fn output_files() {
        assert_eq!(output_file("/"), "index.html");
        assert_eq!(output_file("/aws/"), "aws/index.html");
        assert_eq!(output_file("/old/functions.html"), "old/functions.html");
    }
}
