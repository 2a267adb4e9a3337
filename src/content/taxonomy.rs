//! Taxonomies (tags, categories, …) and their terms.

use std::collections::BTreeMap;

use super::Page;
use super::sections::reading_key;
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::slug::slugify;

/// One taxonomy, such as `tags`, with its terms sorted by slug.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub name: String,
    /// `/tags/`.
    pub path: String,
    pub terms: Vec<Term>,
}

/// One term: `Step Functions` and `step functions` are the same term (same slug); it is shown
/// with the spelling most pages use.
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    /// `/tags/step-functions/`.
    pub path: String,
    /// Indexes into `Site::pages`, in reading order.
    pub pages: Vec<usize>,
}

impl Taxonomy {
    /// The term a page's written value belongs to (`terms` are sorted by slug: a page with
    /// thousands of terms looks each up in logarithmic time).
    pub fn term(&self, written: &str) -> Option<&Term> {
        let slug = slugify(written);
        let at = self
            .terms
            .binary_search_by(|t| t.slug.as_str().cmp(&slug))
            .ok()?;
        Some(&self.terms[at])
    }
}

/// What one slug gathered: each spelling with its count and first page, and the pages.
type Collected = (BTreeMap<String, (usize, usize)>, Vec<usize>);

/// Collects the terms of every configured taxonomy. A term that slugifies to nothing is a
/// warning at the page's taxonomy key.
pub fn build(config: &Config, pages: &[Page], diagnostics: &mut Vec<Diagnostic>) -> Vec<Taxonomy> {
    let mut taxonomies = Vec::new();
    for name in &config.taxonomies {
        let name_of_taxonomy = name.as_str();
        let mut by_slug: BTreeMap<String, Collected> = BTreeMap::new();
        for (index, page) in pages.iter().enumerate() {
            let Some(values) = page.meta.taxonomies.get(name) else {
                continue;
            };
            for value in values {
                let slug = slugify(value);
                if slug.is_empty() {
                    let (line, column) = page.meta.position_of(name);
                    diagnostics.push(
                        Diagnostic::warning(
                            &page.file,
                            line,
                            column,
                            "taxonomy",
                            format!(
                                "{name} term `{value}` has no letters or digits and is ignored"
                            ),
                        )
                        .with_help("use a term with letters or digits"),
                    );
                    continue;
                }
                let (spellings, term_pages) = by_slug.entry(slug).or_default();
                spellings.entry(value.clone()).or_insert((0, index)).0 += 1;
                // Pages come in order, so a page seen before is the last one.
                if term_pages.last() != Some(&index) {
                    term_pages.push(index);
                }
            }
        }
        let taxonomy_path = format!("/{}/", slugify(name));
        let terms = by_slug
            .into_iter()
            .map(|(slug, (spellings, mut term_pages))| {
                let name = spellings
                    .iter()
                    .max_by(|a, b| a.1.0.cmp(&b.1.0).then_with(|| b.0.cmp(a.0)))
                    .map(|(s, _)| s.clone())
                    .unwrap_or_default();
                warn_on_merged_spellings(name_of_taxonomy, &name, &spellings, pages, diagnostics);
                term_pages.sort_by_cached_key(|&i| reading_key(&pages[i]));
                Term {
                    path: format!("{taxonomy_path}{slug}/"),
                    name,
                    slug,
                    pages: term_pages,
                }
            })
            .collect();
        taxonomies.push(Taxonomy {
            name: name.clone(),
            path: taxonomy_path,
            terms,
        });
    }
    taxonomies
}

/// Spellings that differ only in case, spaces, `-` or `_` are one term on purpose; others that
/// share a slug (`C++` and `C#` are both `c`) are merged too, but the author should know.
fn warn_on_merged_spellings(
    taxonomy: &str,
    chosen: &str,
    spellings: &BTreeMap<String, (usize, usize)>,
    pages: &[Page],
    diagnostics: &mut Vec<Diagnostic>,
) {
    let loose = |text: &str| -> String {
        text.chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
            .flat_map(char::to_lowercase)
            .collect()
    };
    for (spelling, (_, first_page)) in spellings {
        if loose(spelling) == loose(chosen) {
            continue;
        }
        let page = &pages[*first_page];
        let (line, column) = page.meta.position_of(taxonomy);
        diagnostics.push(
            Diagnostic::warning(&page.file, line, column, "taxonomy", format!("{taxonomy} term `{spelling}` is merged into `{chosen}`: both have the slug `{}`", slugify(chosen)))
                .with_help("spell the term differently (e.g. `C-Sharp`) if it is not the same term"),
        );
    }
}
