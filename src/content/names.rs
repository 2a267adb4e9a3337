//! Every Markdown file and copied file by its name, for Obsidian's `[[wikilinks]]`, which name
//! a note without its folder (`[[Lambda]]`, `[[aws/Lambda]]`, `![[diagram.png]]`).

use std::collections::HashMap;
use std::path::Path;

use super::{Asset, Page};

/// Files by lower-cased name (Markdown files without `.md`), as Obsidian matches them.
#[derive(Default)]
pub struct NameIndex {
    by_name: HashMap<String, Vec<Named>>,
}

struct Named {
    /// Path under `content/`, lower-cased and without `.md`, to match `folder/Note`.
    key: String,
    /// Path under `content/` as written, to list the candidates of an ambiguous name.
    file: String,
    /// Site path the name resolves to.
    path: String,
}

impl NameIndex {
    pub fn new(pages: &[Page], assets: &[Asset]) -> NameIndex {
        let mut index = NameIndex::default();
        for page in pages {
            if let Some(source) = &page.source {
                index.add(source, page.path.clone());
            }
        }
        for asset in assets {
            index.add(&asset.rel, format!("/{}", asset.output));
        }
        for named in index.by_name.values_mut() {
            named.sort_by(|a, b| {
                let depth = |n: &Named| n.file.matches('/').count();
                depth(a).cmp(&depth(b)).then_with(|| a.file.cmp(&b.file))
            });
        }
        index
    }

    fn add(&mut self, rel: &Path, path: String) {
        let file = rel.to_string_lossy().replace('\\', "/");
        let key = note_key(&file);
        let name = key.rsplit('/').next().unwrap_or(&key).to_string();
        self.by_name
            .entry(name)
            .or_default()
            .push(Named { key, file, path });
    }

    /// The site path of the file `name` names; `Err` with the files' paths when several match.
    pub fn find(&self, name: &str) -> Result<Option<&str>, Vec<String>> {
        let key = note_key(name.trim_start_matches('/'));
        let last = key.rsplit('/').next().unwrap_or(&key);
        let matches: Vec<&Named> = self
            .by_name
            .get(last)
            .into_iter()
            .flatten()
            .filter(|n| n.key == key || n.key.ends_with(&format!("/{key}")))
            .collect();
        match matches.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(&one.path)),
            many => Err(many.iter().map(|n| n.file.clone()).collect()),
        }
    }
}

/// `Folder/Note.md` -> `folder/note`; other files keep their extension.
fn note_key(name: &str) -> String {
    let lower = name.to_lowercase();
    match lower.strip_suffix(".md") {
        Some(stem) => stem.to_string(),
        None => lower,
    }
}
