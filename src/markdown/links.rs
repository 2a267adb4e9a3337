//! Link and image destinations: rewritten through the content model's resolver and recorded
//! for checking.

use pulldown_cmark::{Event, Tag};

use super::{Context, Link, LinkTarget, Rendered, Spanned};
use crate::diagnostics::Diagnostic;

/// Rewrites internal link and image destinations in place and records them in `out.links`; a
/// link that cannot be resolved at all becomes an error diagnostic at its position.
pub fn rewrite(
    events: &mut [Spanned],
    ctx: &Context,
    locate: &dyn Fn(usize) -> (usize, usize),
    out: &mut Rendered,
) {
    for (event, range) in events.iter_mut() {
        let dest = match event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        let written = dest.to_string();
        match ctx.links.resolve(&written) {
            LinkTarget::External => {}
            LinkTarget::Internal { href, path, anchor } => {
                let (line, column) = locate(range.start);
                *dest = href.into();
                out.links.push(Link {
                    path,
                    anchor,
                    written,
                    line,
                    column,
                });
            }
            LinkTarget::Missing(message) => {
                let (line, column) = locate(range.start);
                out.diagnostics.push(
                    Diagnostic::warning(ctx.file, line, column, "broken-link", message).with_help(
                        "fix the path; links to Markdown files are relative to the file that links",
                    ),
                );
            }
        }
    }
}
