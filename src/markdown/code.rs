//! Fenced code blocks -> highlighted HTML at build time.

use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};

use super::highlight::Highlighted;
use super::{Context, Spanned, asl_block, escape};
use crate::diagnostics::Diagnostic;

/// The language of the blocks drawn in the browser by Mermaid.
const MERMAID: &str = "mermaid";

/// Whether any code block is a `mermaid` one: the site then needs the Mermaid bundle.
pub fn has_mermaid(events: &[Spanned]) -> bool {
    events.iter().any(|(event, _)| {
        matches!(event, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if language(info) == MERMAID)
    })
}

/// Replaces each code block by one HTML event: `<pre class="highlight" data-lang="…">` with
/// highlighted spans, or escaped plain text. An unknown language is a warning at the fence.
/// A `mermaid` block becomes `<pre class="mermaid">` with its source, for the browser to draw.
pub fn highlight_blocks<'a>(
    events: Vec<Spanned<'a>>,
    ctx: &Context,
    locate: &dyn Fn(usize) -> (usize, usize),
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Spanned<'a>> {
    let mut result = Vec::with_capacity(events.len());
    let mut iter = events.into_iter();
    while let Some((event, range)) = iter.next() {
        let Event::Start(Tag::CodeBlock(kind)) = event else {
            result.push((event, range));
            continue;
        };
        let mut code = String::new();
        for (event, _) in iter.by_ref() {
            match event {
                Event::End(TagEnd::CodeBlock) => break,
                Event::Text(t) => code.push_str(&t),
                _ => {}
            }
        }
        let lang = match &kind {
            CodeBlockKind::Fenced(info) => language(info),
            CodeBlockKind::Indented => String::new(),
        };
        if lang == MERMAID {
            // Drawn in the reader's browser by static/js/mermaid-init.js; the source stays
            // readable without JavaScript.
            let html = format!("<pre class=\"mermaid\">{}</pre>\n", escape(&code));
            result.push((Event::Html(html.into()), range));
            continue;
        }
        let fence = locate(range.start);
        let (highlight_as, machine) = if lang == "asl" {
            let info = match &kind {
                CodeBlockKind::Fenced(info) => info.as_ref(),
                CodeBlockKind::Indented => "",
            };
            let machine = asl_block::check(&code, info, ctx.file, fence, diagnostics);
            (asl_block::highlight_language(&code).to_string(), machine)
        } else {
            (lang.clone(), None)
        };
        let highlighted = if ctx.config.highlight {
            ctx.highlighter.highlight(&code, &highlight_as)
        } else {
            Highlighted::Plain
        };
        let body = match highlighted {
            Highlighted::Html(html) => html,
            Highlighted::Plain => escape(&code),
            Highlighted::Unknown => {
                let (line, column) = fence;
                diagnostics.push(
                    Diagnostic::warning(ctx.file, line, column, "unknown-language", format!("no syntax highlighting for language `{lang}`"))
                        .with_len(3 + lang.chars().count())
                        .with_help("the block is shown as plain text; use a known name such as `python`, `bash`, `hcl` or `text`"),
                );
                escape(&code)
            }
        };
        let lang_attr = if lang.is_empty() {
            String::new()
        } else {
            format!(" data-lang=\"{}\"", escape(&lang))
        };
        // Focusable so a keyboard can scroll a block wider than the page (WCAG 2.1.1).
        let mut html = format!(
            "<pre class=\"highlight\"{lang_attr}><code tabindex=\"0\">{body}</code></pre>\n"
        );
        if let (Some(machine), CodeBlockKind::Fenced(info)) = (&machine, &kind) {
            html = asl_block::figure(machine, info, fence.0, &html);
        }
        result.push((Event::Html(html.into()), range));
    }
    result
}

/// The language token of an info string such as `python title="x"` or `rust,linenos`.
fn language(info: &str) -> String {
    info.split(|c: char| c.is_whitespace() || c == ',' || c == '{')
        .next()
        .unwrap_or("")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::language;

    #[test]
    fn language_is_the_first_token() {
        assert_eq!(language("asl title=\"Order flow\""), "asl");
        assert_eq!(language("rust,linenos"), "rust");
        assert_eq!(language(""), "");
    }
}
