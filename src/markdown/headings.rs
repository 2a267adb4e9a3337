//! Heading ids, anchor links and the table of contents.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
use serde::Serialize;

use super::{Context, Rendered, Spanned, escape};
use crate::diagnostics::Diagnostic;
use crate::slug::heading_id;

/// One entry of a page's table of contents; entries nest by heading level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// A heading of a page, whatever its level.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// Where the heading's title lies in the page's plain text ([`super::Rendered::text`],
    /// unpacked).
    pub text: Range<usize>,
}

/// Gives every heading a unique id (its `{#id}` if written, else GitHub's id for its text;
/// repeats get `-1`, `-2`, …), appends a visible anchor link, and records the TOC entries and every
/// heading's id in `out.headings` (their `text` ranges are filled in by the caller).
pub fn assign_ids<'a>(
    events: Vec<Spanned<'a>>,
    ctx: &Context,
    locate: &dyn Fn(usize) -> (usize, usize),
    out: &mut Rendered,
) -> Vec<Spanned<'a>> {
    let mut result = Vec::with_capacity(events.len());
    let mut flat: Vec<(u8, String, String)> = Vec::new();
    let mut used: HashSet<String> = out.ids.clone();
    let mut suffixes: HashMap<String, usize> = HashMap::new();
    let mut iter = events.into_iter();
    while let Some((event, range)) = iter.next() {
        let Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) = event
        else {
            result.push((event, range));
            continue;
        };
        let mut inner = Vec::new();
        let mut title = String::new();
        for (event, range) in iter.by_ref() {
            match &event {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => title.push_str(t),
                _ => {}
            }
            inner.push((event, range));
        }
        let title = title.trim().to_string();
        let id = match id {
            Some(explicit) => {
                if used.contains(explicit.as_ref()) {
                    let (line, column) = locate(range.start);
                    out.diagnostics.push(
                        Diagnostic::warning(
                            ctx.file,
                            line,
                            column,
                            "duplicate-id",
                            format!("the id `{explicit}` is used twice on this page"),
                        )
                        .with_help(
                            "links to it reach only the first; give this heading another `{#id}`",
                        ),
                    );
                }
                explicit.to_string()
            }
            None => unique(&used, &mut suffixes, &heading_id(&title)),
        };
        used.insert(id.clone());
        out.ids.insert(id.clone());
        let n = level_number(level);
        out.headings.push(Heading {
            level: n,
            id: id.clone(),
            text: 0..0,
        });
        if (ctx.config.toc_min_level..=ctx.config.toc_max_level).contains(&n) {
            flat.push((n, id.clone(), title.clone()));
        }

        let mut open = format!("<h{n} id=\"{}\"", escape(&id));
        if !classes.is_empty() {
            let classes: Vec<&str> = classes.iter().map(|c| c.as_ref()).collect();
            open.push_str(&format!(" class=\"{}\"", escape(&classes.join(" "))));
        }
        for (key, value) in &attrs {
            open.push_str(&format!(
                " {}=\"{}\"",
                escape(key),
                escape(value.as_deref().unwrap_or(""))
            ));
        }
        open.push('>');
        result.push((Event::Html(open.into()), range.clone()));
        result.extend(inner);
        let close = format!(
            "<a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this section: {}\">#</a></h{n}>\n",
            escape(&id),
            escape(&title)
        );
        result.push((Event::Html(close.into()), range));
    }
    out.toc = nest(flat);
    result
}

/// `base` if unused, else `base-1`, `base-2`, …; an empty id becomes `section`. `suffixes`
/// remembers the last suffix tried for each base, so n repeats of one heading cost O(n), not
/// O(n²).
fn unique(used: &HashSet<String>, suffixes: &mut HashMap<String, usize>, base: &str) -> String {
    let base = if base.is_empty() { "section" } else { base };
    if !used.contains(base) {
        return base.to_string();
    }
    let next = suffixes.entry(base.to_string()).or_insert(0);
    loop {
        *next += 1;
        let candidate = format!("{base}-{next}");
        if !used.contains(&candidate) {
            return candidate;
        }
    }
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Turns a flat list of (level, id, title) into a tree: each entry holds the deeper entries
/// that follow it. A page that skips a level (h2 then h4) still nests the h4 under the h2.
fn nest(flat: Vec<(u8, String, String)>) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    for (level, id, title) in flat {
        let entry = TocEntry {
            level,
            id,
            title,
            children: Vec::new(),
        };
        let mut siblings = &mut roots;
        while siblings.last().is_some_and(|last| last.level < level) {
            siblings = &mut siblings.last_mut().expect("checked above").children;
        }
        siblings.push(entry);
    }
    roots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nests_by_level() {
        let toc = nest(vec![
            (2, "a".into(), "A".into()),
            (3, "b".into(), "B".into()),
            (4, "c".into(), "C".into()),
            (2, "d".into(), "D".into()),
            (4, "e".into(), "E".into()),
        ]);
        assert_eq!(toc.len(), 2);
        assert_eq!(toc[0].children[0].children[0].id, "c");
        assert_eq!(toc[1].children[0].id, "e");
    }

    #[test]
    fn unique_suffixes() {
        let mut used = HashSet::from(["q-2".to_string()]);
        let mut suffixes = HashMap::new();
        let mut take = |used: &mut HashSet<String>, base: &str| {
            let id = unique(used, &mut suffixes, base);
            used.insert(id.clone());
            id
        };
        let ids: Vec<String> = (0..3).map(|_| take(&mut used, "q")).collect();
        assert_eq!(ids, ["q", "q-1", "q-3"], "an id already taken is skipped");
        assert_eq!(take(&mut used, ""), "section");
    }
}
