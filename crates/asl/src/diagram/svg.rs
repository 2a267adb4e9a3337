//! Writes a [`Layout`] as SVG. Every colour comes from CSS classes (see `diagram.css`), so one
//! drawing follows the page's light or dark theme; every state's group carries `data-state` so
//! a script can light it up.

use std::fmt::Write;

use super::graph::{EdgeKind, Marker};
use super::layered::Point;
use super::layout::{BADGE_WIDTH, BoxKind, EdgeRoute, Layout, NodeBox, PAD_X, Rect};

/// What the SVG is about, and how it is embedded.
pub(super) struct Frame<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// Prefix of the element ids, unique within the page.
    pub id: &'a str,
    /// A stylesheet to embed (for a standalone file); pages link theirs instead.
    pub style: Option<&'a str>,
}

/// First baseline of a box's name, and of the detail line below the name lines.
const NAME_BASELINE: f64 = 20.0;
const NAME_LINE: f64 = 16.0;
const DETAIL_BASELINE: f64 = 19.0;
const LABEL_BASELINE: f64 = 12.5;
const LABEL_LINE: f64 = 14.0;
const BADGE_HEIGHT: f64 = 15.0;

/// The SVG document for `layout`.
pub(super) fn write(layout: &Layout, frame: &Frame) -> String {
    let mut out = String::with_capacity(1024 + layout.nodes.len() * 600);
    let id = escape(frame.id);
    let (w, h) = (num(layout.width), num(layout.height));
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="asl-diagram" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{id}-title {id}-desc">"#
    );
    let _ = write!(
        out,
        r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(frame.title),
        escape(frame.description)
    );
    if let Some(style) = frame.style {
        // On its own the drawing follows the reader's colour scheme; in a page, the page's.
        // CSS never contains `]]>`; a CDATA section keeps `>` selectors readable.
        let _ = write!(
            out,
            r#"<style><![CDATA[.asl-diagram {{ color-scheme: light dark; }}
{style}]]></style><rect class="asl-background" width="{w}" height="{h}"/>"#
        );
    }
    let _ = write!(
        out,
        r#"<defs><marker id="{id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path class="asl-arrowhead" d="M0 0L10 5L0 10z"/></marker></defs>"#
    );
    out.push_str(r#"<g class="asl-containers">"#);
    for node in layout.nodes.iter().filter(|n| !n.lanes.is_empty()) {
        write_node(&mut out, node);
    }
    out.push_str(r#"</g><g class="asl-edges">"#);
    for edge in &layout.edges {
        write_edge(&mut out, layout, edge, &id);
    }
    out.push_str(r#"</g><g class="asl-nodes">"#);
    for node in layout.nodes.iter().filter(|n| n.lanes.is_empty()) {
        write_node(&mut out, node);
    }
    out.push_str(r#"</g><g class="asl-labels">"#);
    for edge in &layout.edges {
        write_label(&mut out, layout, edge);
    }
    out.push_str("</g></svg>");
    out
}

fn write_node(out: &mut String, node: &NodeBox) {
    let r = node.rect;
    match node.kind {
        BoxKind::Marker(marker) => {
            let class = match marker {
                Marker::Start => "asl-start",
                Marker::End => "asl-end",
                Marker::NoMatch => "asl-no-match",
            };
            let radius = if marker == Marker::NoMatch {
                6.0
            } else {
                r.height / 2.0
            };
            let _ = write!(
                out,
                r#"<g class="asl-marker {class}"><title>{}</title>"#,
                escape(&node.tooltip)
            );
            rect(out, "asl-box", r, radius);
            let text = node.lines.first().map_or("", String::as_str);
            let _ = write!(
                out,
                r#"<text class="asl-marker-text" x="{}" y="{}" text-anchor="middle">{}</text></g>"#,
                num(r.x + r.width / 2.0),
                num(r.y + r.height / 2.0 + 4.0),
                escape(text)
            );
        }
        BoxKind::State(type_name) => {
            let container = !node.lanes.is_empty();
            let _ = write!(
                out,
                r#"<g class="asl-state asl-{}{}" data-state="{}"><title>{}</title>"#,
                type_name.to_ascii_lowercase(),
                if container { " asl-container" } else { "" },
                escape(node.name.as_deref().unwrap_or_default()),
                escape(&node.tooltip)
            );
            rect(out, "asl-box", r, 8.0);
            for lane in &node.lanes {
                rect(out, "asl-lane", *lane, 6.0);
            }
            let (x, anchor) = if container {
                (r.x + PAD_X, "start")
            } else {
                (r.x + r.width / 2.0, "middle")
            };
            // A line break after each text, so that the box's text content (which a browser
            // and accessibility checkers read) has its words apart: "Charge lambda:invoke",
            // not "Chargelambda:invoke". Whitespace between SVG elements draws nothing.
            for (i, line) in node.lines.iter().enumerate() {
                let _ = writeln!(
                    out,
                    r#"<text class="asl-name" x="{}" y="{}" text-anchor="{anchor}">{}</text>"#,
                    num(x),
                    num(r.y + NAME_BASELINE + i as f64 * NAME_LINE),
                    escape(line)
                );
            }
            if let Some(detail) = &node.detail {
                let _ = writeln!(
                    out,
                    r#"<text class="asl-detail" x="{}" y="{}" text-anchor="{anchor}">{}</text>"#,
                    num(x),
                    num(r.y + DETAIL_BASELINE + node.lines.len() as f64 * NAME_LINE),
                    escape(detail)
                );
            }
            if let Some(badge) = &node.retry {
                let b = Rect {
                    x: r.right() - BADGE_WIDTH - 4.0,
                    y: r.y + 4.0,
                    width: BADGE_WIDTH,
                    height: BADGE_HEIGHT,
                };
                let _ = write!(
                    out,
                    r#"<g class="asl-retry"><title>Retry&#10;{}</title>"#,
                    escape(&badge.lines.join("\n"))
                );
                rect(out, "asl-retry-box", b, BADGE_HEIGHT / 2.0);
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{}" text-anchor="middle">↻{}</text></g>"#,
                    num(b.x + b.width / 2.0),
                    num(b.y + 11.0),
                    badge.attempts
                );
            }
            out.push_str("</g>");
        }
    }
}

fn rect(out: &mut String, class: &str, r: Rect, radius: f64) {
    let _ = write!(
        out,
        r#"<rect class="{class}" x="{}" y="{}" width="{}" height="{}" rx="{}"/>"#,
        num(r.x),
        num(r.y),
        num(r.width),
        num(r.height),
        num(radius)
    );
}

/// `data-from`/`data-to` naming an edge's states (markers have none), so a script can mark the
/// edge and its label as taken.
fn write_ends(out: &mut String, layout: &Layout, edge: &EdgeRoute) {
    for (attribute, node) in [("data-from", edge.from), ("data-to", edge.to)] {
        if let Some(name) = &layout.nodes[node].name {
            let _ = write!(out, r#" {attribute}="{}""#, escape(name));
        }
    }
}

fn write_edge(out: &mut String, layout: &Layout, edge: &EdgeRoute, id: &str) {
    let _ = write!(out, r#"<g class="asl-edge asl-edge-{}""#, edge.kind.class());
    write_ends(out, layout, edge);
    let dash = if edge.kind == EdgeKind::Catch {
        r#" stroke-dasharray="5 4""#
    } else {
        ""
    };
    let _ = write!(out, r#"><path d="{}"{dash}"#, path(&edge.points));
    if !edge.merged {
        let _ = write!(out, r#" marker-end="url(#{id}-arrow)""#);
    }
    out.push_str("/></g>");
}

fn write_label(out: &mut String, layout: &Layout, edge: &EdgeRoute) {
    let Some(label) = &edge.label else {
        return;
    };
    let _ = write!(
        out,
        r#"<g class="asl-edge-label asl-edge-{}""#,
        edge.kind.class()
    );
    write_ends(out, layout, edge);
    let _ = write!(out, r#"><title>{}</title>"#, escape(&label.full));
    rect(out, "asl-label-box", label.rect, 4.0);
    let x = label.rect.x + label.rect.width / 2.0;
    for (i, line) in label.lines.iter().enumerate() {
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
            num(x),
            num(label.rect.y + LABEL_BASELINE + i as f64 * LABEL_LINE),
            escape(line)
        );
    }
    out.push_str("</g>");
}

/// An SVG path through `points`: straight where a step is vertical or horizontal, otherwise an
/// S-curve that leaves and arrives vertically (steps that cross the gap between two layers).
fn path(points: &[Point]) -> String {
    let mut d = String::with_capacity(points.len() * 24);
    for (i, p) in points.iter().enumerate() {
        if i == 0 {
            let _ = write!(d, "M{} {}", num(p.x), num(p.y));
            continue;
        }
        let q = points[i - 1];
        if q.x == p.x || q.y == p.y {
            let _ = write!(d, "L{} {}", num(p.x), num(p.y));
        } else {
            let mid = num((q.y + p.y) / 2.0);
            let _ = write!(
                d,
                "C{} {mid} {} {mid} {} {}",
                num(q.x),
                num(p.x),
                num(p.x),
                num(p.y)
            );
        }
    }
    d
}

/// A coordinate with at most two decimals and no trailing zeros.
fn num(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let text = format!("{rounded:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// Text escaped for XML content and attribute values.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            // Characters XML 1.0 forbids.
            c if ((c as u32) < 0x20 && c != '\t') || c == '\u{fffe}' || c == '\u{ffff}' => {
                out.push('\u{fffd}')
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(1.0 / 3.0), "0.33");
        assert_eq!(num(-0.001), "0");
    }

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(
            escape("<script>\"a\" & 'b'\u{1}\r\u{ffff}"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;\u{fffd}&#13;\u{fffd}"
        );
    }

    #[test]
    fn paths_curve_only_across_gaps() {
        let points = [
            Point { x: 0.0, y: 0.0 },
            Point { x: 0.0, y: 10.0 },
            Point { x: 20.0, y: 30.0 },
        ];
        assert_eq!(path(&points), "M0 0L0 10C0 20 20 20 20 30");
    }
}
