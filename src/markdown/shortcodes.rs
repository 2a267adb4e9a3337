//! Hugo shortcodes and Jekyll Liquid tags, handled in the Markdown source before it is parsed.
//!
//! Notes taken from Hugo and Jekyll sites carry template tags that only those generators run.
//! The common shortcodes become the Markdown or HTML they stand for (`ref` a checked link,
//! `notice` a callout, `highlight` a code block, …); any other shortcode and every Liquid tag
//! is a warning at its position and is left out, so its raw text never reaches the page, its
//! description or the search index. Tags inside code are left alone: they are examples.
//!
//! The result is a new source text plus a map from its offsets back to the author's, so every
//! later diagnostic still points at the author's line and column.

use std::ops::Range;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use pulldown_cmark::{Event, Parser, Tag};
use serde_json::{Map, Value};

use super::{alert_open, escape};
use crate::diagnostics::Diagnostic;

/// A source text with its template tags replaced.
pub struct Expanded {
    pub body: String,
    /// Pieces of `body` in order: (start in `body`, start in the source, copied verbatim).
    /// Offsets inside a generated piece map to the start of the tag that made it.
    pieces: Vec<(usize, usize, bool)>,
}

impl Expanded {
    /// The offset in the author's source of `offset` in [`Expanded::body`].
    pub fn source_offset(&self, offset: usize) -> usize {
        let at = self.pieces.partition_point(|(out, _, _)| *out <= offset);
        match at.checked_sub(1).map(|i| self.pieces[i]) {
            Some((out, src, true)) => src + (offset - out),
            Some((_, src, false)) => src,
            None => offset,
        }
    }

    fn copy(&mut self, source: &str, range: Range<usize>) {
        if !range.is_empty() {
            self.pieces.push((self.body.len(), range.start, true));
            self.body.push_str(&source[range]);
        }
    }

    fn generate(&mut self, source_offset: usize, text: &str) {
        self.pieces.push((self.body.len(), source_offset, false));
        self.body.push_str(text);
    }

    /// Starts a new line unless the output is at the start of one (code fences and HTML
    /// blocks only open at a line start).
    fn line_start(&mut self, source_offset: usize) {
        if !self.body.is_empty() && !self.body.ends_with('\n') {
            self.generate(source_offset, "\n");
        }
    }
}

/// One template tag found in the source.
#[derive(Debug)]
struct Token {
    range: Range<usize>,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    /// `{{< name args >}}` or `{{% name args %}}`; `closed_by` is the index of its `{{< /name >}}`.
    /// A self-closing `{{< name />}}` never pairs.
    Open {
        name: String,
        args: Vec<(Option<String>, String)>,
        self_closing: bool,
        closed_by: Option<usize>,
    },
    Close {
        name: String,
        opened_by: Option<usize>,
    },
    /// `{{</* name */>}}`: the shortcode written out as text, as Hugo's documentation does.
    Escaped(String),
    /// A Liquid (or Go template) tag; `{% raw %}` and the site's base URL are dropped quietly.
    Liquid { quiet: bool },
    /// `{% raw %}…{% endraw %}`: everything between is copied without looking for tags.
    Raw { end: Range<usize> },
}

/// Replaces the shortcodes and Liquid tags of `body`; `None` when it has none (most pages).
/// `params` are the page's front matter keys, for `param`; `locate` turns a source offset into
/// a file line and column.
pub fn expand(
    body: &str,
    params: &Map<String, Value>,
    file: &std::path::Path,
    locate: &dyn Fn(usize) -> (usize, usize),
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Expanded> {
    if !body.contains("{{") && !body.contains("{%") {
        return None;
    }
    let tokens = tokenize(body);
    if tokens.is_empty() {
        return None;
    }
    let mut out = Expanded {
        body: String::with_capacity(body.len()),
        pieces: Vec::new(),
    };
    let mut warn = |range: &Range<usize>, code: &'static str, message: String, help: &str| {
        let (line, column) = locate(range.start);
        let len = body[range.clone()]
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .count();
        diagnostics.push(
            Diagnostic::warning(file, line, column, code, message)
                .with_len(len)
                .with_help(help),
        );
    };
    let mut copied = 0;
    // A `highlight` or `{% raw %}` copies everything up to here verbatim.
    let mut verbatim_until = 0;
    for token in &tokens {
        if token.range.start < verbatim_until {
            continue;
        }
        out.copy(body, copied..token.range.start);
        copied = token.range.end;
        let at = token.range.start;
        let tag = &body[token.range.clone()];
        match &token.kind {
            Kind::Escaped(text) => out.generate(at, text),
            Kind::Liquid { quiet: true } => {}
            Kind::Liquid { quiet: false } => warn(
                &token.range,
                "liquid",
                format!("Jekyll Liquid tag `{tag}` is not run: left out of the page"),
                "awskb does not run Liquid; write what it stands for as Markdown",
            ),
            Kind::Raw { end } => {
                out.copy(body, token.range.end..end.start);
                copied = end.end;
                verbatim_until = end.end;
            }
            Kind::Close { opened_by, name } => match opened_by.map(|i| &tokens[i].kind) {
                Some(Kind::Open { name, .. }) => out.generate(at, closing(name)),
                _ => warn(
                    &token.range,
                    "shortcode",
                    format!("`{tag}` closes a `{name}` shortcode that was never opened"),
                    "remove it, or open the shortcode before it",
                ),
            },
            Kind::Open {
                name,
                args,
                closed_by,
                ..
            } => {
                let inner = closed_by.map(|close| token.range.end..tokens[close].range.start);
                match opening(name, args, params, inner.is_some()) {
                    Ok(Output::Text(text)) => out.generate(at, &text),
                    Ok(Output::Block(text)) => {
                        out.line_start(at);
                        out.generate(at, &text);
                    }
                    Ok(Output::Code(lang)) => {
                        let inner = inner.unwrap_or(token.range.end..token.range.end);
                        let text = &body[inner.clone()];
                        let start = inner.start + text.len() - text.trim_start_matches('\n').len();
                        let end = (inner.end - (text.len() - text.trim_end_matches('\n').len()))
                            .max(start);
                        out.line_start(at);
                        out.generate(at, &format!("```{lang}\n"));
                        out.copy(body, start..end);
                        out.generate(inner.end, "\n```\n");
                        // The closing tag is copied past too.
                        copied = closed_by.map_or(inner.end, |c| tokens[c].range.end);
                        verbatim_until = copied;
                    }
                    Err(problem) => {
                        let (message, help) = match problem {
                            Problem::Unknown => (
                                format!(
                                    "unknown Hugo shortcode `{name}`: left out of the page{}",
                                    if inner.is_some() {
                                        " (its content is kept)"
                                    } else {
                                        ""
                                    }
                                ),
                                "awskb knows ref, relref, figure, highlight, details, expand, param, youtube, vimeo, gist, notice, hint, alert, callout and admonition; write anything else as Markdown or HTML",
                            ),
                            Problem::Missing(what) => (
                                format!("shortcode `{name}` needs {what}: left out of the page"),
                                "write the shortcode as its theme documents it",
                            ),
                        };
                        warn(&token.range, "shortcode", message, help);
                    }
                }
            }
        }
    }
    out.copy(body, copied..body.len());
    Some(out)
}

/// What an opening tag becomes.
enum Output {
    /// Inline text (a URL, a link, a parameter's value).
    Text(String),
    /// HTML that must start a line.
    Block(String),
    /// A fenced code block in this language, made of the shortcode's inner text.
    Code(String),
}

enum Problem {
    Unknown,
    Missing(&'static str),
}

/// The text an opening shortcode stands for; `paired` when a closing tag follows.
fn opening(
    name: &str,
    args: &[(Option<String>, String)],
    params: &Map<String, Value>,
    paired: bool,
) -> Result<Output, Problem> {
    let arg = |key: &str, position: usize| named(args, key).or_else(|| positional(args, position));
    Ok(match name {
        "ref" | "relref" => Output::Text(ref_target(&url_part(
            arg("path", 0).ok_or(Problem::Missing("a path"))?,
        ))),
        "figure" => {
            let src = arg("src", usize::MAX).ok_or(Problem::Missing("a `src`"))?;
            let alt = named(args, "alt")
                .or_else(|| named(args, "caption"))
                .unwrap_or("");
            let mut img = format!("<img src=\"{}\" alt=\"{}\">", escape(src), escape(alt));
            if let Some(link) = named(args, "link") {
                img = format!("<a href=\"{}\">{img}</a>", escape(link));
            }
            let caption = named(args, "caption")
                .or_else(|| named(args, "title"))
                .map(|c| format!("<figcaption>{}</figcaption>", escape(c)))
                .unwrap_or_default();
            Output::Block(format!("<figure>{img}{caption}</figure>\n"))
        }
        "highlight" if paired => Output::Code(arg("lang", 0).unwrap_or("").to_string()),
        "details" | "expand" if paired => {
            let summary = named(args, "summary")
                .or_else(|| named(args, "title"))
                .or_else(|| positional(args, 0))
                .unwrap_or("Details");
            let open = if named(args, "open").is_some_and(|v| v == "true") {
                " open"
            } else {
                ""
            };
            Output::Block(format!(
                "<details{open}><summary>{}</summary>\n\n",
                escape(summary)
            ))
        }
        "param" => {
            let key = arg("name", 0).ok_or(Problem::Missing("a parameter name"))?;
            Output::Text(
                param(params, key)
                    .ok_or(Problem::Missing("a parameter the page's front matter has"))?,
            )
        }
        "youtube" => {
            let id = url_part(arg("id", 0).ok_or(Problem::Missing("a video id"))?);
            Output::Text(format!(
                "[YouTube video](https://www.youtube.com/watch?v={id})"
            ))
        }
        "vimeo" => {
            let id = url_part(arg("id", 0).ok_or(Problem::Missing("a video id"))?);
            Output::Text(format!("[Vimeo video](https://vimeo.com/{id})"))
        }
        "gist" => {
            let user = url_part(arg("user", 0).ok_or(Problem::Missing("a user and a gist id"))?);
            let id = url_part(arg("id", 1).ok_or(Problem::Missing("a user and a gist id"))?);
            Output::Text(format!(
                "[Gist {user}/{id}](https://gist.github.com/{user}/{id})"
            ))
        }
        "notice" | "hint" | "alert" | "callout" | "admonition" if paired => {
            let kind = ["type", "theme", "color", "style", "context"]
                .iter()
                .find_map(|key| named(args, key))
                .or_else(|| positional(args, 0))
                .unwrap_or("note");
            let title = named(args, "title")
                .or_else(|| positional(args, 1))
                .map_or_else(|| capitalised(kind), str::to_string);
            Output::Block(format!("{}\n\n", alert_open(callout_class(kind), &title)))
        }
        _ => return Err(Problem::Unknown),
    })
}

/// The text a closing shortcode stands for (nothing for an unknown one: its opening tag was
/// the warning, and its content is kept).
fn closing(name: &str) -> &'static str {
    match name {
        "details" | "expand" => "\n\n</details>\n",
        "notice" | "hint" | "alert" | "callout" | "admonition" => "\n\n</div>\n",
        _ => "",
    }
}

/// A `ref` path as a link destination the link checker resolves: Markdown paths as they are,
/// a path without an extension as its Markdown file (`aws/lambda` -> `aws/lambda.md`).
/// Characters that would end a Markdown link's address or start markup in it.
const NOT_IN_URL: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'\'')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'(')
    .add(b')')
    .add(b'[')
    .add(b']')
    .add(b'\\');

/// A shortcode argument that becomes part of a URL in the Markdown, percent-encoded where it
/// would otherwise end the link or become raw HTML (`{{< ref "<script>…" >}}`).
fn url_part(text: &str) -> String {
    utf8_percent_encode(text, NOT_IN_URL).to_string()
}

fn ref_target(path: &str) -> String {
    let (path, fragment) = match path.split_once('#') {
        Some((path, fragment)) => (path, format!("#{fragment}")),
        None => (path, String::new()),
    };
    let file_name = path.rsplit('/').next().unwrap_or(path);
    if path.is_empty() || path.ends_with('/') || file_name.contains('.') {
        format!("{path}{fragment}")
    } else {
        format!("{path}.md{fragment}")
    }
}

/// A front matter value by name, as Hugo's `param` finds it: a top-level key or one under
/// `params`, dots walking into maps.
fn param(params: &Map<String, Value>, key: &str) -> Option<String> {
    let lookup = |map: &Map<String, Value>| {
        let mut parts = key.split('.');
        let mut value = map.get(parts.next()?)?;
        for part in parts {
            value = value.get(part)?;
        }
        Some(match value {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        })
    };
    lookup(params).or_else(|| lookup(params.get("params")?.as_object()?))
}

/// The alert class (as GitHub alerts use) for the kind names of the common Hugo themes.
fn callout_class(kind: &str) -> &'static str {
    match kind.to_ascii_lowercase().as_str() {
        "tip" | "hint" | "success" | "check" | "done" => "tip",
        "warning" | "warn" | "attention" | "orange" | "yellow" => "warning",
        "danger" | "error" | "caution" | "failure" | "bug" | "red" => "caution",
        "important" | "primary" => "important",
        _ => "note",
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn named<'a>(args: &'a [(Option<String>, String)], key: &str) -> Option<&'a str> {
    args.iter()
        .find(|(k, _)| k.as_deref() == Some(key))
        .map(|(_, v)| v.as_str())
}

fn positional(args: &[(Option<String>, String)], position: usize) -> Option<&str> {
    args.iter()
        .filter(|(k, _)| k.is_none())
        .nth(position)
        .map(|(_, v)| v.as_str())
}

/// Every template tag outside code, in order, with shortcodes paired with their closing tags.
fn tokenize(body: &str) -> Vec<Token> {
    let code = code_ranges(body);
    let mut code = code.iter().peekable();
    let mut tokens = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut from = 0;
    while let Some(found) = body[from..].find('{') {
        let start = from + found;
        from = start + 1;
        while code.peek().is_some_and(|r| r.end <= start) {
            code.next();
        }
        if code.peek().is_some_and(|r| r.start <= start) {
            continue;
        }
        let Some(token) = token_at(body, start) else {
            continue;
        };
        from = token.range.end;
        if let Kind::Raw { end } = &token.kind {
            from = end.end;
        }
        let index = tokens.len();
        let token = match token.kind {
            Kind::Close { name, .. } => {
                let opened_by = open.iter().rposition(
                    |&i| matches!(&tokens[i], Token { kind: Kind::Open { name: n, .. }, .. } if *n == name),
                );
                let opened_by = opened_by.map(|at| {
                    let i = open[at];
                    open.truncate(at);
                    if let Kind::Open { closed_by, .. } = &mut tokens[i].kind {
                        *closed_by = Some(index);
                    }
                    i
                });
                Token {
                    range: token.range,
                    kind: Kind::Close { name, opened_by },
                }
            }
            Kind::Open { self_closing, .. } => {
                if !self_closing {
                    open.push(index);
                }
                token
            }
            _ => token,
        };
        tokens.push(token);
    }
    tokens
}

/// The tag starting at `start` (which holds a `{`), if one does.
fn token_at(body: &str, start: usize) -> Option<Token> {
    let rest = &body[start..];
    if let Some(inner) = rest.strip_prefix("{{") {
        let after = inner.trim_start();
        if let Some(delimiter) = after.chars().next().filter(|c| *c == '<' || *c == '%') {
            return shortcode(body, start, delimiter);
        }
        // `{{ site.title }}`, `{{ page.x | filter }}`: one line at most.
        let line = &inner[..inner.find('\n').unwrap_or(inner.len())];
        let end = line.find("}}")?;
        let expression = line[..end].trim().trim_matches('-').trim();
        if !is_template_expression(expression) {
            return None;
        }
        let quiet = matches!(expression, "site.baseurl" | "site.url" | "base.url");
        return Some(Token {
            range: start..start + 2 + end + 2,
            kind: Kind::Liquid { quiet },
        });
    }
    let inner = rest.strip_prefix("{%")?;
    let line = &inner[..inner.find('\n').unwrap_or(inner.len())];
    let end = line.find("%}")?;
    let statement = line[..end].trim().trim_matches('-').trim();
    let range = start..start + 2 + end + 2;
    if statement == "raw" {
        let close = body[range.end..].find("{% endraw %}").map(|at| {
            let at = range.end + at;
            at..at + "{% endraw %}".len()
        })?;
        return Some(Token {
            range,
            kind: Kind::Raw { end: close },
        });
    }
    let word = statement.split_whitespace().next()?;
    word.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_')
        .then_some(Token {
            range,
            kind: Kind::Liquid { quiet: false },
        })
}

/// Whether `{{ text }}` is a Liquid or Go template expression (`site.x`, `page.title | upcase`,
/// `.Site.Title`) rather than prose such as CloudFormation's `{{resolve:ssm:name}}`.
fn is_template_expression(text: &str) -> bool {
    let head = text.split('|').next().unwrap_or("").trim();
    let mut chars = head.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '.')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'))
}

/// The longest shortcode tag looked for, in bytes.
const MAX_TAG_LEN: usize = 4096;

/// A Hugo shortcode tag starting at `start` with `{{<` or `{{%` (spaces allowed after `{{`).
fn shortcode(body: &str, start: usize, delimiter: char) -> Option<Token> {
    let open_len = body[start..].find(delimiter)? + 1;
    let inner_start = start + open_len;
    let closing = if delimiter == '<' { ">}}" } else { "%}}" };
    // A tag is short: looking no further than this keeps many unclosed `{{<` linear.
    let mut limit = (inner_start + MAX_TAG_LEN).min(body.len());
    while !body.is_char_boundary(limit) {
        limit -= 1;
    }
    let rest = &body[inner_start..limit];
    let trimmed = rest.trim_start();
    if let Some(comment) = trimmed.strip_prefix("/*") {
        // `{{</* name */>}}` stands for the text `{{< name >}}`.
        let end = comment.find("*/")?;
        let text = comment[..end].trim();
        let after = &comment[end + 2..];
        let close = after.trim_start().strip_prefix(closing)?;
        let end = limit - close.len();
        return Some(Token {
            range: start..end,
            kind: Kind::Escaped(format!("{{{{{delimiter} {text} {closing}")),
        });
    }
    let end = rest.find(closing)?;
    let inner = rest[..end].trim();
    let range = start..inner_start + end + closing.len();
    if let Some(name) = inner.strip_prefix('/') {
        return Some(Token {
            range,
            kind: Kind::Close {
                name: name.trim().to_string(),
                opened_by: None,
            },
        });
    }
    let self_closing = inner.ends_with('/');
    let inner = inner.trim_end_matches('/').trim();
    let name_end = inner.find(char::is_whitespace).unwrap_or(inner.len());
    let name = &inner[..name_end];
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'))
    {
        return None;
    }
    Some(Token {
        range,
        kind: Kind::Open {
            name: name.to_string(),
            args: arguments(&inner[name_end..]),
            self_closing,
            closed_by: None,
        },
    })
}

/// Shortcode arguments: `"quoted"`, `` `raw` ``, bare words and `key=value` pairs.
fn arguments(text: &str) -> Vec<(Option<String>, String)> {
    let mut args = Vec::new();
    let mut chars = text.trim().chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let mut key = None;
        let mut value = String::new();
        loop {
            match chars.peek().copied() {
                Some(quote @ ('"' | '`')) => {
                    chars.next();
                    while let Some(c) = chars.next() {
                        match c {
                            '\\' if quote == '"' => value.extend(chars.next()),
                            c if c == quote => break,
                            c => value.push(c),
                        }
                    }
                }
                Some('=') if key.is_none() => {
                    chars.next();
                    key = Some(std::mem::take(&mut value));
                }
                Some(c) if !c.is_whitespace() => {
                    chars.next();
                    value.push(c);
                }
                _ => break,
            }
        }
        args.push((key, value));
    }
    args
}

/// Byte ranges of code blocks and inline code spans, in order.
fn code_ranges(body: &str) -> Vec<Range<usize>> {
    Parser::new_ext(body, super::options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(_)) | Event::Code(_) => Some(range),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(body: &str) -> (String, Vec<String>) {
        let mut params = Map::new();
        params.insert("service".into(), Value::String("Lambda".into()));
        let mut diagnostics = Vec::new();
        let locate = |offset: usize| crate::diagnostics::line_col(body, offset);
        let expanded = expand(
            body,
            &params,
            std::path::Path::new("a.md"),
            &locate,
            &mut diagnostics,
        );
        let text = expanded.map_or(body.to_string(), |e| e.body);
        let problems = diagnostics
            .iter()
            .map(|d| format!("{}:{} {} {}", d.line, d.column, d.code, d.message))
            .collect();
        (text, problems)
    }

    #[test]
    fn arguments_quoted_named_and_bare() {
        assert_eq!(
            arguments(r#" info "A \"big\" title" src=`x y` open=true "#),
            vec![
                (None, "info".to_string()),
                (None, "A \"big\" title".to_string()),
                (Some("src".to_string()), "x y".to_string()),
                (Some("open".to_string()), "true".to_string()),
            ]
        );
    }

    #[test]
    fn refs_become_link_destinations() {
        let (text, problems) =
            run(r#"[Lambda]({{< ref "aws/lambda" >}}) and [S3]({{< relref "s3.md#limits" >}})"#);
        assert_eq!(text, "[Lambda](aws/lambda.md) and [S3](s3.md#limits)");
        assert!(problems.is_empty());
    }

    #[test]
    fn callouts_details_and_code() {
        let body = "{{% notice warning \"Cost\" %}}\nMind the **bill**.\n{{% /notice %}}\n\n\
                    {{< details summary=\"Answer\" >}}B{{< /details >}}\n\n\
                    {{< highlight json >}}\n{\"a\": \"{{ x }}\"}\n{{< /highlight >}}\n";
        let (text, problems) = run(body);
        assert!(
            text.contains("<div class=\"alert alert-warning\""),
            "{text}"
        );
        assert!(text.contains("<p class=\"alert-title\">Cost</p>"), "{text}");
        assert!(text.contains("Mind the **bill**.\n\n\n</div>"), "{text}");
        assert!(
            text.contains("<details><summary>Answer</summary>\n\nB\n\n</details>"),
            "{text}"
        );
        assert!(
            text.contains("```json\n{\"a\": \"{{ x }}\"}\n```\n"),
            "{text}"
        );
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn unknown_shortcodes_and_liquid_warn_and_vanish() {
        let body = "Intro {{< tabs >}}\nKept\n{{< /tabs >}} `{{< inside code >}}`\n\
                    {% include note.html %} {{ site.title }} [x]({{ site.baseurl }}/a/) {{resolve:ssm:p}}";
        let (text, problems) = run(body);
        assert_eq!(
            text,
            "Intro \nKept\n `{{< inside code >}}`\n  [x](/a/) {{resolve:ssm:p}}"
        );
        assert_eq!(
            problems,
            vec![
                "1:7 shortcode unknown Hugo shortcode `tabs`: left out of the page (its content is kept)",
                "4:1 liquid Jekyll Liquid tag `{% include note.html %}` is not run: left out of the page",
                "4:25 liquid Jekyll Liquid tag `{{ site.title }}` is not run: left out of the page",
            ]
        );
    }

    #[test]
    fn escaped_params_and_links() {
        let (text, problems) = run(
            "{{</* notice */>}} {{< param service >}} {{< youtube abc >}} {{< gist me 42 >}} {{< param nope >}}",
        );
        assert_eq!(
            text,
            "{{< notice >}} Lambda [YouTube video](https://www.youtube.com/watch?v=abc) \
             [Gist me/42](https://gist.github.com/me/42) "
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
    }

    #[test]
    fn offsets_map_back_to_the_source() {
        let body = "{{< youtube abc >}} [x](y)";
        let mut diagnostics = Vec::new();
        let expanded = expand(
            body,
            &Map::new(),
            std::path::Path::new("a.md"),
            &|o| (1, o + 1),
            &mut diagnostics,
        )
        .unwrap();
        let link = expanded.body.find("[x]").unwrap();
        assert_eq!(expanded.source_offset(link), body.find("[x]").unwrap());
        assert_eq!(
            expanded.source_offset(3),
            0,
            "generated text points at its tag"
        );
    }
}
