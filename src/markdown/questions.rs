//! Exam questions written as plain Markdown, recognised at build time.
//!
//! A question is a heading, the question in zero or more paragraphs, a list of options, and
//! the answer, in one of the forms people write in their notes:
//! - an ordered or lettered (`A. …`) list and a `<details>` block whose answer is a `<mark>`
//!   (`<mark>3</mark>`) or a line `Answer: 2`, `Correct answer: B`, `Answers: 1, 3`;
//! - a task list, `- [x]` marking the right option(s);
//! - a lettered list followed by verdict headings (`### A. … — ✅ Correct`) whose text explains
//!   each option;
//! - the explicit form: a heading with the class `question` (`### … {#stable-id .question}`),
//!   a task list whose options may hold a `> why` quote each, and an optional `<details>`;
//! - and, without headings, the items of a numbered list, each a question with its options and
//!   `<details>` answer nested under it.
//!
//! The pass leaves the author's Markdown as written (the page reads the same without
//! JavaScript) and wraps each question in a `<div class="question">` whose parts carry `data-`
//! markers; `questions.js` turns it into a form. The model ([`Question`]) also feeds the
//! practice page.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};
use serde::Serialize;

use super::{Context, Rendered, Spanned, escape};
use crate::diagnostics::Diagnostic;

/// One answerable question of a page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    /// The id of its heading (set once heading ids are assigned): with the page's URL it
    /// names the question in the reader's progress and on the practice page.
    pub id: String,
    /// Which heading of the page (0-based, in document order) introduces it; `None` for a
    /// question in an item of a numbered list, whose id is `question-N`.
    #[serde(skip)]
    pub heading: Option<usize>,
    /// The question as HTML, and as plain text (for lists of missed questions).
    pub stem: String,
    pub stem_text: String,
    pub options: Vec<AnswerOption>,
    /// Several options are right: checkboxes instead of radio buttons.
    pub multiple: bool,
    /// The explanation as HTML (the `<details>` block or the verdict sections), maybe empty.
    pub explanation: String,
    #[serde(skip)]
    pub line: usize,
}

/// One option of a question.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerOption {
    /// How the author numbered it (`3`, `B`), or its position for unnumbered lists.
    pub label: String,
    pub html: String,
    pub correct: bool,
    /// Why this option is right or wrong, as HTML, when the author says so.
    pub why: String,
}

/// A top-level block of the page: its events `range` and what kind of block it is.
struct Block {
    range: Range<usize>,
    kind: Kind,
}

enum Kind {
    Heading {
        level: u8,
        text: String,
        explicit: bool,
    },
    Paragraph(String),
    List {
        start: Option<u64>,
    },
    Html(String),
    Other,
}

/// Finds the questions in `events`, wraps each in marked-up `<div>`s, and returns them with
/// the diagnostics of question blocks whose answer cannot be read.
pub fn recognise<'a>(
    events: Vec<Spanned<'a>>,
    ctx: &Context,
    locate: &dyn Fn(usize) -> (usize, usize),
    out: &mut Rendered,
) -> (Vec<Spanned<'a>>, Vec<Question>) {
    let blocks = blocks_in(&events, 0..events.len());
    let headings_before = heading_ordinals(&events);
    let mut found: Vec<(Parts, Question)> = Vec::new();
    let mut report = |found: Found, at: usize, found_list: &mut Vec<(Parts, Question)>| match found
    {
        Found::Question(parts, mut question) => {
            question.line = locate(events[at].1.start).0;
            found_list.push((parts, question));
            true
        }
        Found::Unreadable { message, help } => {
            let (line, column) = locate(events[at].1.start);
            out.diagnostics.push(
                Diagnostic::warning(ctx.file, line, column, "question", message).with_help(help),
            );
            false
        }
        Found::Nothing => false,
    };
    let mut i = 0;
    while i < blocks.len() {
        let start = blocks[i].range.start;
        let answer = question_at(&blocks, i, &events);
        let end_block = match &answer {
            Found::Question(parts, _) => parts.end_block,
            _ => i + 1,
        };
        let answer = match answer {
            Found::Question(parts, mut question) => {
                question.heading = Some(headings_before[start]);
                Found::Question(parts, question)
            }
            other => other,
        };
        if !report(answer, start, &mut found)
            && let Kind::List { start: Some(_) } = blocks[i].kind
        {
            // A numbered list whose items are questions (`1. Which …?` with lettered options
            // and an answer nested under each).
            for (item, number) in items(&events, blocks[i].range.clone()) {
                let answer = nested_question(&events, item.clone(), number, &mut out.ids);
                report(answer, item.start, &mut found);
            }
        }
        i = end_block;
    }
    if found.is_empty() {
        return (events, Vec::new());
    }
    // Markers, by event index: (index, html) inserted before that event.
    let mut inserts: Vec<(usize, String)> = Vec::new();
    for (parts, question) in &found {
        let answer: Vec<String> = question
            .options
            .iter()
            .enumerate()
            .filter(|(_, o)| o.correct)
            .map(|(i, _)| i.to_string())
            .collect();
        let labels: Vec<&str> = question.options.iter().map(|o| o.label.as_str()).collect();
        let id = parts
            .id
            .as_ref()
            .map(|id| format!(" id=\"{}\"", escape(id)))
            .unwrap_or_default();
        inserts.push((
            parts.start,
            format!(
                "<div class=\"question\"{id} data-question data-answer=\"{}\" data-labels=\"{}\"{}>\n",
                answer.join(" "),
                escape(&labels.join(" ")),
                if question.multiple {
                    " data-multiple"
                } else {
                    ""
                }
            ),
        ));
        inserts.push((parts.stem, "<div data-question-stem>\n".into()));
        inserts.push((parts.list.start, "</div>\n".into()));
        inserts.push((parts.list.start, "<div data-question-options>\n".into()));
        inserts.push((parts.list.end, "</div>\n".into()));
        if let Some(explanation) = &parts.explanation {
            inserts.push((
                explanation.start,
                "<div data-question-explanation>\n".into(),
            ));
            inserts.push((explanation.end, "</div>\n".into()));
        }
        inserts.push((
            parts.explanation.as_ref().map_or(parts.list.end, |e| e.end),
            "</div>\n".into(),
        ));
    }
    // Stable sort: markers at one index keep the order pushed (closing before opening).
    inserts.sort_by_key(|(index, _)| *index);
    let mut result = Vec::with_capacity(events.len() + inserts.len());
    let mut pending = inserts.into_iter().peekable();
    for (index, (event, range)) in events.into_iter().enumerate() {
        while let Some((_, html)) = pending.next_if(|(at, _)| *at == index) {
            result.push((Event::Html(html.into()), range.start..range.start));
        }
        result.push((event, range));
    }
    for (_, html) in pending {
        result.push((Event::Html(html.into()), 0..0));
    }
    (
        result,
        found.into_iter().map(|(_, question)| question).collect(),
    )
}

/// Where a question's parts lie, as event indexes and ranges.
struct Parts {
    /// Where the question (its heading, or its list item's content) starts.
    start: usize,
    stem: usize,
    list: Range<usize>,
    explanation: Option<Range<usize>>,
    /// The first block after the question (among the blocks it was found in).
    end_block: usize,
    /// The id of a question without a heading.
    id: Option<String>,
}

enum Found {
    Question(Parts, Question),
    Unreadable { message: String, help: String },
    Nothing,
}

/// The question that starts at the heading `blocks[at]`, if there is one.
fn question_at(blocks: &[Block], at: usize, events: &[Spanned]) -> Found {
    let Kind::Heading {
        level,
        text: heading_text,
        explicit,
    } = &blocks[at].kind
    else {
        return Found::Nothing;
    };
    let body = question_body(blocks, at + 1, events, *level, heading_text, *explicit);
    match body {
        Found::Question(mut parts, question) => {
            parts.start = blocks[at].range.start;
            parts.stem = blocks[at].range.end;
            Found::Question(parts, question)
        }
        other => other,
    }
}

/// The question whose stem starts at `blocks[next]` (after its heading, if it has one): stem
/// paragraphs, the options list, the answer.
fn question_body(
    blocks: &[Block],
    next: usize,
    events: &[Spanned],
    level: u8,
    heading_text: &str,
    explicit: bool,
) -> Found {
    let first = next;
    let mut next = next;
    let mut stem_text = String::new();
    while let Some(Kind::Paragraph(text)) = blocks.get(next).map(|b| &b.kind) {
        stem_text.push_str(text);
        stem_text.push(' ');
        next += 1;
    }
    let asks = explicit || asks_a_question(heading_text, &stem_text);
    let Some(Kind::List { start }) = blocks.get(next).map(|b| &b.kind) else {
        return if explicit {
            unreadable("this question has no list of options", EXPLICIT_HELP)
        } else {
            Found::Nothing
        };
    };
    let list = next;
    let mut options = options_of(&events[blocks[list].range.clone()], *start);
    let mut end_block = list + 1;
    let mut explanation = None;
    let mut answered = options.iter().any(|o| o.correct);
    // Whether the answer is written out (not only ticked), which makes it a question even
    // when nothing else says so.
    let mut written = false;
    let details = details_after(blocks, end_block);
    if let Some(details) = &details {
        let blocks_range = details.clone();
        explanation =
            Some(blocks[blocks_range.start].range.start..blocks[blocks_range.end - 1].range.end);
        end_block = blocks_range.end;
        let raw = raw_text(&events[explanation.clone().unwrap()]);
        match written_answer(&raw) {
            Some(labels) => {
                let mut missing = Vec::new();
                for label in &labels {
                    match options
                        .iter_mut()
                        .find(|o| o.label.eq_ignore_ascii_case(label))
                    {
                        Some(option) => option.correct = true,
                        None => missing.push(label.clone()),
                    }
                }
                if !missing.is_empty() {
                    let have: Vec<&str> = options.iter().map(|o| o.label.as_str()).collect();
                    return unreadable(
                        &format!(
                            "the answer names option {} but the options are {}",
                            missing.join(", "),
                            have.join(", ")
                        ),
                        "correct the answer in the <details> block, or the list of options",
                    );
                }
                answered = true;
                written = true;
            }
            None if answered => {}
            None if asks => {
                return unreadable(
                    "cannot read this question's answer",
                    "write it in the <details> block as `<mark>3</mark>` or `Answer: 3` (several: `Answers: 1, 3`), naming the options as they are numbered or lettered",
                );
            }
            None => return Found::Nothing,
        }
    } else if !answered {
        // Verdict headings: `### A. … — ✅ Correct`, each followed by why.
        let (verdicts, end) = verdicts_after(blocks, end_block, level);
        if !verdicts.is_empty() {
            for (label, correct, range) in verdicts {
                let Some(option) = options.iter_mut().find(|o| o.label == label) else {
                    return unreadable(
                        &format!(
                            "a verdict heading names option {label}, which is not in the list"
                        ),
                        "give each verdict heading the letter of an option in the list",
                    );
                };
                option.correct = correct;
                option.why = render(&events[range]);
            }
            explanation = Some(blocks[end_block].range.start..blocks[end - 1].range.end);
            end_block = end;
            answered = options.iter().any(|o| o.correct);
            written = true;
        }
    }
    if !answered || !(asks || written) {
        return if explicit {
            unreadable("this question marks no option as right", EXPLICIT_HELP)
        } else {
            Found::Nothing
        };
    }
    let right = options.iter().filter(|o| o.correct).count();
    let list_start = blocks[list].range.start;
    let stem_events = &events[blocks[first].range.start.min(list_start)..list_start];
    let stem = if stem_events.is_empty() {
        // The heading itself asks the question.
        escape(heading_text)
    } else {
        render(stem_events)
    };
    let stem_text = if stem_text.trim().is_empty() {
        heading_text.to_string()
    } else {
        stem_text.trim().to_string()
    };
    let question = Question {
        id: String::new(),
        heading: None,
        multiple: right > 1
            || asks_for_several(heading_text)
            || asks_for_several(&raw_text(stem_events)),
        stem,
        stem_text,
        options,
        explanation: explanation
            .clone()
            .map(|r| render(&events[r]))
            .unwrap_or_default(),
        line: 0,
    };
    Found::Question(
        Parts {
            start: list_start,
            stem: list_start,
            list: blocks[list].range.clone(),
            explanation,
            end_block,
            id: None,
        },
        question,
    )
}

/// The items of the list whose events are `list`: each item's content (without its own
/// start and end) and its number.
fn items(events: &[Spanned], list: Range<usize>) -> Vec<(Range<usize>, u64)> {
    let first = match &events[list.start].0 {
        Event::Start(Tag::List(Some(start))) => *start,
        _ => 1,
    };
    let mut items = Vec::new();
    let mut depth = 0;
    let mut open = 0;
    for (i, (event, _)) in events
        .iter()
        .enumerate()
        .take(list.end - 1)
        .skip(list.start + 1)
    {
        match event {
            Event::Start(Tag::Item) if depth == 0 => {
                open = i + 1;
                depth += 1;
            }
            Event::End(TagEnd::Item) if depth == 1 => {
                depth -= 1;
                items.push((open..i, first + items.len() as u64));
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            _ => {}
        }
    }
    items
}

/// A question written as an item of a numbered list (`1. Which …?`, its options a nested
/// lettered or task list, its answer a nested `<details>`). Its id is `question-N` (made
/// unique among `ids`, where it is added).
fn nested_question(
    events: &[Spanned],
    item: Range<usize>,
    number: u64,
    ids: &mut std::collections::HashSet<String>,
) -> Found {
    let blocks = blocks_in(events, item.clone());
    if blocks.is_empty() {
        return Found::Nothing;
    }
    match question_body(&blocks, 0, events, 7, "", false) {
        Found::Question(mut parts, question) if parts.end_block == blocks.len() => {
            let base = format!("question-{number}");
            let id = (1..)
                .map(|n| {
                    if n == 1 {
                        base.clone()
                    } else {
                        format!("{base}-{n}")
                    }
                })
                .find(|id| !ids.contains(id))
                .expect("an unused id exists");
            ids.insert(id.clone());
            parts.start = item.start;
            parts.stem = item.start;
            parts.id = Some(id.clone());
            Found::Question(parts, Question { id, ..question })
        }
        Found::Question(..) => Found::Nothing,
        other => other,
    }
}

const EXPLICIT_HELP: &str = "a `{.question}` heading is followed by the question, then a task list whose right options are `- [x]` (a `> why` under an option explains it)";

fn unreadable(message: &str, help: &str) -> Found {
    Found::Unreadable {
        message: message.into(),
        help: help.into(),
    }
}

/// Whether a heading and the paragraphs after it ask a question: a `Q1` or `Question 3`
/// heading, or text ending in a question mark or asking to choose.
fn asks_a_question(heading: &str, stem: &str) -> bool {
    let heading = heading.trim();
    let lower = heading.to_lowercase();
    let numbered = ["question", "q"].iter().any(|word| {
        lower
            .strip_prefix(word)
            .map(|rest| rest.trim_start_matches([' ', '.', ':', '#', '-']))
            .is_some_and(|rest| {
                rest.starts_with(|c: char| c.is_ascii_digit())
                    || (rest.is_empty() && *word == "question")
            })
    });
    let stem = stem.trim();
    numbered
        || heading.ends_with('?')
        || stem.ends_with('?')
        || stem.to_lowercase().contains("(choose")
}

/// "(Choose two.)", "Select TWO", "(Choose 3)": the question wants several options.
fn asks_for_several(text: &str) -> bool {
    let lower = text.to_lowercase();
    ["choose", "select"].iter().any(|verb| {
        lower.match_indices(verb).any(|(at, _)| {
            let after = lower[at + verb.len()..].trim_start();
            ["two", "three", "four", "2", "3", "4", "all that apply"]
                .iter()
                .any(|n| after.starts_with(n))
        })
    })
}

/// The options of the list in `events` (its whole range): each item's HTML without a nested
/// `> why` quote, its label, whether a task marker says it is right, and the quote as `why`.
fn options_of(events: &[Spanned], start: Option<u64>) -> Vec<AnswerOption> {
    let mut options = Vec::new();
    let mut depth = 0;
    let mut item: Option<(Vec<Event>, Vec<Event>, bool)> = None;
    let mut quote_depth = None;
    for (event, _) in &events[1..events.len() - 1] {
        match event {
            Event::Start(Tag::Item) if depth == 0 => {
                item = Some((Vec::new(), Vec::new(), false));
                depth += 1;
                continue;
            }
            Event::End(TagEnd::Item) if depth == 1 => {
                depth -= 1;
                if let Some((body, why, checked)) = item.take() {
                    let position = options.len();
                    options.push(option(body, why, checked, start, position));
                }
                continue;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            _ => {}
        }
        let Some((body, why, checked)) = item.as_mut() else {
            continue;
        };
        match event {
            Event::TaskListMarker(done) if depth == 1 => *checked = *done,
            Event::Start(Tag::BlockQuote(_)) if depth == 2 && quote_depth.is_none() => {
                quote_depth = Some(depth);
            }
            Event::End(TagEnd::BlockQuote(_)) if quote_depth == Some(depth + 1) => {
                quote_depth = None;
            }
            _ if quote_depth.is_some() => why.push(event.clone()),
            _ => body.push(event.clone()),
        }
    }
    // A lettered list (`A. …`, `**A.** …`, `(A) …`) is numbered by its letters.
    let letters: Vec<Option<String>> = options.iter().map(|o| letter_of(&o.html)).collect();
    let lettered = !options.is_empty()
        && letters
            .iter()
            .enumerate()
            .all(|(i, l)| l.as_deref() == Some(&((b'A' + i as u8) as char).to_string()));
    if lettered {
        for (option, letter) in options.iter_mut().zip(letters) {
            option.label = letter.unwrap_or_default();
        }
    }
    options
}

fn option(
    body: Vec<Event>,
    why: Vec<Event>,
    checked: bool,
    start: Option<u64>,
    position: usize,
) -> AnswerOption {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, body.into_iter());
    let mut why_html = String::new();
    pulldown_cmark::html::push_html(&mut why_html, why.into_iter());
    AnswerOption {
        label: (start.unwrap_or(1) + position as u64).to_string(),
        html: html.trim().to_string(),
        correct: checked,
        why: why_html.trim().to_string(),
    }
}

/// The letter an option's HTML starts with (`A. `, `<strong>A.</strong> `, `(A) `, `A) `).
fn letter_of(html: &str) -> Option<String> {
    let text = strip_tags(html);
    let text = text.trim_start().trim_start_matches('(');
    let mut chars = text.chars();
    let letter = chars.next().filter(|c| c.is_ascii_uppercase())?;
    let rest: String = chars.take(2).collect();
    (rest.starts_with(". ") || rest.starts_with(") ") || rest == "." || rest == ")")
        .then(|| letter.to_string())
}

/// The blocks of a `<details>` element that starts at `blocks[at]`, if one does.
fn details_after(blocks: &[Block], at: usize) -> Option<Range<usize>> {
    let Some(Kind::Html(first)) = blocks.get(at).map(|b| &b.kind) else {
        return None;
    };
    if !first.trim_start().to_lowercase().starts_with("<details") {
        return None;
    }
    let mut depth = 0i32;
    for (i, block) in blocks.iter().enumerate().skip(at) {
        if let Kind::Html(html) = &block.kind {
            let lower = html.to_lowercase();
            depth += lower.matches("<details").count() as i32;
            depth -= lower.matches("</details>").count() as i32;
            if depth <= 0 {
                return Some(at..i + 1);
            }
        }
    }
    None
}

/// Verdict headings after a question's options: `(letter, correct, events of its text)` for
/// each, and the first block after them.
fn verdicts_after(
    blocks: &[Block],
    at: usize,
    question_level: u8,
) -> (Vec<(String, bool, Range<usize>)>, usize) {
    let mut verdicts = Vec::new();
    let mut i = at;
    while let Some(Kind::Heading { level, text, .. }) = blocks.get(i).map(|b| &b.kind) {
        let Some((letter, correct)) = verdict(text) else {
            break;
        };
        let level = *level;
        let mut end = i + 1;
        while let Some(block) = blocks.get(end) {
            if let Kind::Heading { level: next, .. } = block.kind
                && (next <= level || next <= question_level)
            {
                break;
            }
            end += 1;
        }
        let range = blocks[i].range.end
            ..blocks
                .get(end - 1)
                .map_or(blocks[i].range.end, |b| b.range.end);
        verdicts.push((letter, correct, range));
        i = end;
    }
    (verdicts, i)
}

/// `A. Lambda — ✅ Correct` -> (`A`, true); `B. … ❌ Incorrect` -> (`B`, false).
fn verdict(heading: &str) -> Option<(String, bool)> {
    let letter = letter_of(heading)?;
    let lower = heading.to_lowercase();
    let correct = if heading.contains('✅') || lower.trim_end().ends_with(" correct") {
        true
    } else if heading.contains('❌') || lower.trim_end().ends_with("incorrect") {
        false
    } else {
        return None;
    };
    Some((letter, correct))
}

/// The option labels an answer block names: the text of its `<mark>`, else what follows
/// `Answer:`, `Answers:` or `Correct answer(s):`. `None` when it names none.
fn written_answer(raw: &str) -> Option<Vec<String>> {
    let lower = raw.to_lowercase();
    if let Some(open) = lower.find("<mark") {
        let after = &raw[open..];
        let text_start = after.find('>')? + 1;
        let text_end = after.to_lowercase().find("</mark>")?;
        return labels(&strip_tags(&after[text_start..text_end.max(text_start)]));
    }
    let plain = strip_tags(raw);
    let lower = plain.to_lowercase();
    for key in ["correct answers", "correct answer", "answers", "answer"] {
        if let Some(at) = lower.find(key) {
            let rest = plain[at + key.len()..].trim_start_matches([' ', '*', '_']);
            if let Some(rest) = rest.strip_prefix(':') {
                let line = rest
                    .trim_start_matches([' ', '*', '_'])
                    .lines()
                    .next()
                    .unwrap_or("");
                return labels(line);
            }
        }
    }
    None
}

/// `3`, `B`, `1, 3`, `A and C`, `B & D` -> the labels; `None` if anything else is there.
fn labels(text: &str) -> Option<Vec<String>> {
    let mut found = Vec::new();
    for token in text
        .split([',', '&', '/', ' ', '\u{a0}'])
        .map(|t| t.trim_matches(|c: char| c == '.' || c == '*' || c == '_' || c == '(' || c == ')'))
        .filter(|t| !t.is_empty())
    {
        if token.eq_ignore_ascii_case("and") {
            continue;
        }
        let is_number = token.chars().all(|c| c.is_ascii_digit()) && token.len() <= 3;
        let is_letter = token.len() == 1 && token.chars().all(|c| c.is_ascii_uppercase());
        // `BC`, `ACE`: letters run together, as exam collections often write them.
        let is_letters =
            (2..=5).contains(&token.len()) && token.chars().all(|c| ('A'..='H').contains(&c));
        if is_number || is_letter {
            found.push(token.to_string());
        } else if is_letters && found.is_empty() {
            found.extend(token.chars().map(String::from));
        } else if found.is_empty() {
            return None;
        } else {
            // `Answer: 3 because …`: the labels end where prose begins.
            break;
        }
    }
    (!found.is_empty()).then_some(found)
}

/// Text without tags, for reading answers and letters.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Raw HTML and text of `events`, in order.
fn raw_text(events: &[Spanned]) -> String {
    let mut raw = String::new();
    for (event, _) in events {
        match event {
            Event::Html(t) | Event::InlineHtml(t) | Event::Text(t) | Event::Code(t) => {
                raw.push_str(t)
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => raw.push('\n'),
            _ => {}
        }
    }
    raw
}

fn render(events: &[Spanned]) -> String {
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.iter().map(|(e, _)| e.clone()));
    html.trim().to_string()
}

/// For each event index, how many headings start before it.
fn heading_ordinals(events: &[Spanned]) -> Vec<usize> {
    let mut seen = 0;
    events
        .iter()
        .map(|(event, _)| {
            let before = seen;
            if matches!(event, Event::Start(Tag::Heading { .. })) {
                seen += 1;
            }
            before
        })
        .collect()
}

/// The blocks of `events[within]` (the page's top-level blocks, or those of a list item), with
/// their ranges in `events`. Inline content outside a paragraph (a tight list item's text)
/// counts as a paragraph.
fn blocks_in(events: &[Spanned], within: Range<usize>) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut i = within.start;
    let end = within.end;
    while i < end {
        let start = i;
        let mut depth = 0usize;
        loop {
            match &events[i].0 {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth = depth.saturating_sub(1),
                _ => {}
            }
            i += 1;
            if depth == 0 || i >= end {
                break;
            }
        }
        let inner = &events[start..i];
        let kind = match &inner[0].0 {
            Event::Start(Tag::Heading { level, classes, .. }) => Kind::Heading {
                level: *level as u8,
                text: strip_tags(&raw_text(inner)).trim().to_string(),
                explicit: classes.iter().any(|c| c.as_ref() == "question"),
            },
            Event::Start(
                Tag::Paragraph
                | Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. },
            )
            | Event::Text(_)
            | Event::Code(_)
            | Event::InlineHtml(_)
            | Event::SoftBreak
            | Event::HardBreak => Kind::Paragraph(strip_tags(&raw_text(inner))),
            Event::Start(Tag::List(start)) => Kind::List { start: *start },
            Event::Start(Tag::HtmlBlock) | Event::Html(_) => Kind::Html(raw_text(inner)),
            _ => Kind::Other,
        };
        blocks.push(Block {
            range: start..i,
            kind,
        });
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_written_answers() {
        assert_eq!(
            written_answer("<mark style=\"color:white\">3</mark> "),
            Some(vec!["3".into()])
        );
        assert_eq!(
            written_answer("<p>Correct answer: B</p>"),
            Some(vec!["B".into()])
        );
        assert_eq!(
            written_answer("**Answers:** 1, 3"),
            Some(vec!["1".into(), "3".into()])
        );
        assert_eq!(
            written_answer("Answer: A and C because both"),
            Some(vec!["A".into(), "C".into()])
        );
        assert_eq!(
            written_answer("Correct Answer: BC"),
            Some(vec!["B".into(), "C".into()])
        );
        assert_eq!(written_answer("The answer is in the docs"), None);
        assert_eq!(written_answer("Answer: it depends"), None);
    }

    #[test]
    fn letters_and_verdicts() {
        assert_eq!(letter_of("<strong>A.</strong> Lambda"), Some("A".into()));
        assert_eq!(letter_of("(C) S3"), Some("C".into()));
        assert_eq!(letter_of("Amazon S3"), None);
        assert_eq!(
            verdict("B. Amazon SQS — ❌ Incorrect"),
            Some(("B".into(), false))
        );
        assert_eq!(verdict("A. Lambda — ✅ Correct"), Some(("A".into(), true)));
        assert_eq!(verdict("A. Lambda"), None);
    }

    #[test]
    fn question_headings() {
        assert!(asks_a_question("Q1", ""));
        assert!(asks_a_question("Question 12", ""));
        assert!(asks_a_question("Notes", "Which service fits?"));
        assert!(!asks_a_question("Quotas", "Limits per account."));
        assert!(asks_for_several("Which two? (Choose two.)"));
        assert!(!asks_for_several("Choose the right one."));
    }
}
