//! Exam questions in a page's Markdown: each written form is recognised with its right
//! options, near-misses are left alone, unreadable answers are reported with their position;
//! the starter site has one question of each form; the practice page's data and its switch.

use std::path::Path;

use crate::common::*;
use awskb::config::MarkdownConfig;
use awskb::markdown::{self, Highlighter, LinkResolver, LinkTarget, Question, Rendered};

struct NoLinks;

impl LinkResolver for NoLinks {
    fn resolve(&self, _: &str) -> LinkTarget {
        LinkTarget::External
    }
}

fn render(body: &str) -> Rendered {
    markdown::render(&markdown::Context {
        file: Path::new("content/q.md"),
        body,
        body_line: 3,
        config: &MarkdownConfig::default(),
        title: None,
        params: &Default::default(),
        highlighter: &Highlighter::default(),
        links: &NoLinks,
        embedded_in: &[],
    })
}

/// The only question of `body`.
fn one(body: &str) -> Question {
    let rendered = render(body);
    assert!(
        rendered.diagnostics.is_empty(),
        "{:?}",
        rendered.diagnostics
    );
    assert_eq!(rendered.questions.len(), 1, "{:#?}", rendered.questions);
    rendered.questions.into_iter().next().unwrap()
}

/// Labels of the right options.
fn right(question: &Question) -> Vec<&str> {
    question
        .options
        .iter()
        .filter(|o| o.correct)
        .map(|o| o.label.as_str())
        .collect()
}

#[test]
fn the_sample_page_question_says_option_3() {
    let sample = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/step-functions.md"),
    );
    // The shared fixture sits beside the worktree; the demo content carries the same question.
    let text = sample.unwrap_or_else(|_| {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("content/aws/step-functions/_index.md"),
        )
        .unwrap()
    });
    let body = text.splitn(3, "---\n").nth(2).unwrap();
    let rendered = render(body);
    assert_eq!(rendered.questions.len(), 1, "{:?}", rendered.diagnostics);
    let q = &rendered.questions[0];
    assert_eq!(q.id, "q1");
    assert_eq!(right(q), ["3"]);
    assert!(!q.multiple);
    assert_eq!(q.options[2].html, "Synchronous Express Workflow");
    assert!(
        q.stem_text
            .starts_with("A developer is adding a feedback form")
    );
    assert!(
        q.stem_text
            .contains("Which of the following Step Function workflows")
    );
    assert!(q.explanation.contains("<details>"), "{}", q.explanation);
}

#[test]
fn numbered_options_with_an_answer_line() {
    let q = one(
        "## Question 2\n\nWhich services are serverless? (Choose two.)\n\n1. EC2\n2. Lambda\n3. Fargate\n\n<details><summary>Answer</summary>\n\nAnswers: 2, 3\n\n</details>\n",
    );
    assert_eq!(right(&q), ["2", "3"]);
    assert!(q.multiple);
    assert_eq!(q.stem_text, "Which services are serverless? (Choose two.)");
}

#[test]
fn an_ordered_list_keeps_its_start_number() {
    let q = one("### Q\n\nPick one?\n\n5. five\n6. six\n\n<details>\n\nAnswer: 6\n\n</details>\n");
    assert_eq!(right(&q), ["6"]);
}

#[test]
fn task_list_options() {
    let q = one(
        "### Which store is a key-value database?\n\n- [ ] Amazon RDS\n- [x] Amazon DynamoDB\n- [ ] Amazon Redshift\n",
    );
    assert_eq!(q.stem_text, "Which store is a key-value database?");
    assert_eq!(right(&q), ["2"]);
    assert_eq!(q.options[1].html, "Amazon DynamoDB");
    assert!(!q.multiple);
}

#[test]
fn several_ticked_tasks_choose_several() {
    let q = one("### Q3\n\nPick the queues.\n\n- [x] SQS\n- [ ] SNS\n- [x] Amazon MQ\n");
    assert!(q.multiple);
    assert_eq!(right(&q), ["1", "3"]);
}

#[test]
fn lettered_options_with_a_correct_answer_line() {
    let q = one(
        "### Q4\n\nWhich service runs code without servers?\n\n- **A.** EC2\n- **B.** Lambda\n- **C.** Lightsail\n\n<details>\n<summary>Show answer</summary>\n\nCorrect answer: B\n\n</details>\n",
    );
    assert_eq!(right(&q), ["B"]);
    let labels: Vec<&str> = q.options.iter().map(|o| o.label.as_str()).collect();
    assert_eq!(labels, ["A", "B", "C"]);
}

#[test]
fn lettered_options_with_verdict_headings() {
    let q = one(
        "## Which service decouples producers from consumers?\n\n- A. Amazon SQS\n- B. Amazon EC2\n\n### A. Amazon SQS — ✅ Correct\n\nA queue holds messages until a consumer reads them.\n\n### B. Amazon EC2 — ❌ Incorrect\n\nServers, not messaging.\n\n## Next topic\n",
    );
    assert_eq!(right(&q), ["A"]);
    assert!(
        q.options[0].why.contains("queue holds messages"),
        "{:?}",
        q.options[0]
    );
    assert!(q.options[1].why.contains("Servers, not messaging"));
    let rendered = render(
        "## Which service decouples producers from consumers?\n\n- A. Amazon SQS\n- B. Amazon EC2\n\n### A. Amazon SQS — ✅ Correct\n\nWhy.\n\n### B. Amazon EC2 — ❌ Incorrect\n\nWhy not.\n\n## Next topic\n\nOrdinary text.\n",
    );
    let page = scraper::Html::parse_fragment(&rendered.html.unpack());
    let explanation = scraper::Selector::parse("[data-question-explanation]").unwrap();
    let text: String = page.select(&explanation).next().unwrap().text().collect();
    assert!(text.contains("Why not."), "{text}");
    assert!(
        !text.contains("Ordinary text"),
        "the question ends at the next topic: {text}"
    );
}

#[test]
fn questions_nested_in_a_numbered_list() {
    let rendered = render(
        "## Practice exam\n\n1. Which service stores objects?\n\n    - A. Amazon EBS\n    - B. Amazon S3\n    - C. Amazon EFS\n\n    <details><summary>Answer</summary>\n\n    Correct answer: B\n\n    </details>\n\n2. A team needs a managed queue. Pick the service.\n\n    - A. Amazon SQS\n    - B. Amazon EC2\n\n    <details><summary>Answer</summary>\n\n    Correct answer: A\n\n    </details>\n",
    );
    assert!(
        rendered.diagnostics.is_empty(),
        "{:?}",
        rendered.diagnostics
    );
    let found: Vec<(&str, Vec<&str>, &str)> = rendered
        .questions
        .iter()
        .map(|q| (q.id.as_str(), right(q), q.stem_text.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("question-1", vec!["B"], "Which service stores objects?"),
            (
                "question-2",
                vec!["A"],
                "A team needs a managed queue. Pick the service."
            )
        ]
    );
    let page = scraper::Html::parse_fragment(&rendered.html.unpack());
    let select =
        scraper::Selector::parse("ol > li > div.question#question-2[data-answer='0']").unwrap();
    assert_eq!(
        page.select(&select).count(),
        1,
        "{}",
        rendered.html.unpack()
    );
}

#[test]
fn a_written_answer_makes_a_question_under_any_heading() {
    let q = one(
        "## Storage classes\n\nThe cheapest class for archives.\n\n1. S3 Standard\n2. S3 Glacier Deep Archive\n\n<details>\n\nAnswer: 2\n\n</details>\n",
    );
    assert_eq!(right(&q), ["2"]);
}

#[test]
fn the_explicit_form_keeps_its_id_and_per_option_explanations() {
    let q = one(
        "### How long can one Lambda invocation run? {#lambda-max-timeout .question}\n\n- [ ] 5 minutes\n  > The limit before 2018.\n- [x] 15 minutes\n  > The maximum timeout.\n- [ ] 1 hour\n",
    );
    assert_eq!(q.id, "lambda-max-timeout");
    assert_eq!(right(&q), ["2"]);
    assert_eq!(q.options[0].html, "5 minutes");
    assert!(q.options[0].why.contains("The limit before 2018."));
    assert!(q.options[1].why.contains("The maximum timeout."));
}

#[test]
fn an_explicit_question_without_a_right_option_is_reported() {
    let rendered = render("Intro\n\n### Pick one {.question}\n\n- [ ] a\n- [ ] b\n");
    assert!(rendered.questions.is_empty());
    let d = &rendered.diagnostics[0];
    assert_eq!((d.line, d.column), (5, 1), "{d:?}");
    assert!(
        d.message.contains("marks no option as right"),
        "{}",
        d.message
    );
}

#[test]
fn an_answer_naming_a_missing_option_is_reported_where_the_question_starts() {
    let rendered = render(
        "### Q1\n\nWhich?\n\n1. a\n2. b\n3. c\n4. d\n\n<details>\n<summary>Explanation</summary>\n\n<mark>7</mark>\n\n</details>\n",
    );
    assert!(rendered.questions.is_empty());
    assert_eq!(rendered.diagnostics.len(), 1);
    let d = &rendered.diagnostics[0];
    assert_eq!(
        (d.file.as_path(), d.line, d.column),
        (Path::new("content/q.md"), 3, 1)
    );
    assert!(d.message.contains("option 7"), "{}", d.message);
    assert!(d.message.contains("1, 2, 3, 4"), "{}", d.message);
}

#[test]
fn an_unreadable_answer_of_a_question_is_reported() {
    let rendered = render(
        "## Q2\n\nWhich one?\n\n1. a\n2. b\n\n<details><summary>Explanation</summary>\n\nSee the docs.\n\n</details>\n",
    );
    assert!(rendered.questions.is_empty());
    assert!(rendered.diagnostics[0].message.contains("cannot read"));
}

#[test]
fn near_misses_are_not_questions() {
    for body in [
        // A numbered list after an ordinary heading.
        "## Steps\n\n1. Open the console\n2. Create a function\n",
        // A task list of to-dos.
        "## Todo\n\n- [x] Read the Lambda docs\n- [ ] Try Step Functions\n",
        // A details block that is not an answer, after an ordinary list.
        "## Limits\n\n1. 15 minutes\n2. 10 GB\n\n<details><summary>More</summary>\n\nSee the quotas page.\n\n</details>\n",
        // A question without options.
        "### What is Lambda?\n\nA compute service.\n",
    ] {
        let rendered = render(body);
        assert!(
            rendered.questions.is_empty(),
            "{body}: {:?}",
            rendered.questions
        );
        assert!(
            rendered.diagnostics.is_empty(),
            "{body}: {:?}",
            rendered.diagnostics
        );
    }
}

#[test]
fn the_page_keeps_the_written_text_inside_marked_parts() {
    let rendered = render(
        "### Q1\n\n**Which?**\n\n1. one\n2. two\n\n<details>\n<summary>Explanation</summary>\n\n<mark>2</mark>\n\n</details>\n\nAfter.\n",
    );
    let page = scraper::Html::parse_fragment(&rendered.html.unpack());
    let select = |s: &str| scraper::Selector::parse(s).unwrap();
    let question = page.select(&select("div.question")).next().unwrap();
    assert_eq!(question.value().attr("data-answer"), Some("1"));
    assert_eq!(question.value().attr("data-labels"), Some("1 2"));
    assert!(question.select(&select("h3#q1")).next().is_some());
    assert!(
        question
            .select(&select("[data-question-stem] strong"))
            .next()
            .is_some()
    );
    assert_eq!(
        question
            .select(&select("[data-question-options] ol > li"))
            .count(),
        2
    );
    assert!(
        question
            .select(&select("[data-question-explanation] details mark"))
            .next()
            .is_some()
    );
    let after: String = question.text().collect();
    assert!(
        !after.contains("After."),
        "the question ends with its answer"
    );
    assert!(rendered.text.unpack().contains("After."));
}

#[test]
fn the_starter_site_has_one_question_of_each_form_and_check_counts_them() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("kb");
    assert!(awskb(&["init", site.to_str().unwrap()]).status.success());
    let out = awskb(&["check", "-r", site.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["diagnostics"], serde_json::json!([]));
    let counts: Vec<(&str, u64)> = json["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["file"].as_str().unwrap(),
                p["questions"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        counts.contains(&("content/services/lambda.md", 5)),
        "{counts:?}"
    );
    assert!(counts.contains(&("content/_index.md", 0)), "{counts:?}");
}

/// A site of a home page and `content/NAME` holding `text`, and `awskb check` on it, which is
/// expected to fail.
fn check_page(name: &str, text: &str) -> (tempfile::TempDir, std::process::Output) {
    let site = tempfile::tempdir().unwrap();
    write(site.path(), "content/_index.md", "---\ntitle: Home\n---\n");
    write(site.path(), &format!("content/{name}"), text);
    let out = awskb(&["check", "-r", site.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    (site, out)
}

#[test]
fn an_unreadable_answer_fails_check_with_its_position() {
    let (site, out) = check_page(
        "q.md",
        "---\ntitle: Q\n---\n\n### Q1\n\nWhich?\n\n1. a\n2. b\n\n<details>\n\n<mark>7</mark>\n\n</details>\n",
    );
    let root = site.path().to_str().unwrap();
    assert!(
        stderr(&out).contains("content/q.md:5:1: warning[question]: the answer names option 7 but the options are 1, 2"),
        "{}",
        stderr(&out)
    );
    assert!(
        awskb(&["build", "-r", root]).status.success(),
        "a warning does not stop a build"
    );
}

#[test]
fn the_practice_data_holds_every_question_split_for_the_page() {
    let site = copy_fixture("kb");
    let out = site.path().join("public");
    let report = awskb::build(&awskb::BuildOptions::new(site.path())).unwrap();
    let questions: usize = report.questions.iter().map(|p| p.questions).sum();
    assert!(questions > 0, "the fixture has questions");
    let read = |rel: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(out.join("practice").join(rel)).unwrap()).unwrap()
    };
    let index = read("index.json");
    assert_eq!(index["total"].as_u64(), Some(questions as u64));
    let chunk = index["chunk"].as_u64().unwrap() as usize;
    let first = read("q/0.json");
    assert_eq!(first.as_array().unwrap().len(), questions.min(chunk));
    let question = &first[0];
    let id = question["id"].as_str().unwrap();
    assert!(
        id.starts_with(question["page"].as_str().unwrap()) && id.contains('#'),
        "{id}"
    );
    assert!(
        question["options"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["correct"] == true)
    );
    // Every term's set names questions that carry the term.
    for term in index["taxonomies"]["tags"].as_array().unwrap() {
        let runs = read(&format!("sets/{}.json", term["set"]));
        let count: u64 = runs
            .as_array()
            .unwrap()
            .iter()
            .skip(1)
            .step_by(2)
            .map(|n| n.as_u64().unwrap())
            .sum();
        assert_eq!(count, term["count"].as_u64().unwrap(), "{term}");
    }
    // The practice page itself, linked from every page.
    let page = html(&out.join("practice/index.html"));
    assert_eq!(texts(&page, "main h1"), ["Practice exam"]);
    // practice.js fetches `index.json`, `q/0.json`, … from the folder the page names.
    assert_eq!(
        attrs(&page, "[data-practice-page]", "data-practice-data"),
        ["/kb/practice/"]
    );
    assert!(
        attrs(&html(&out.join("index.html")), "footer a", "href")
            .contains(&"/kb/practice/".to_string())
    );
}

#[test]
fn a_link_to_the_practice_page_resolves_while_practice_is_on() {
    let site = tempfile::tempdir().unwrap();
    let root = site.path().to_str().unwrap();
    let home = "---\ntitle: Home\n---\n\nTry the [practice exam](/practice/).\n";
    write(site.path(), "content/_index.md", home);
    let out = awskb(&["check", "-r", root]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    write(site.path(), "awskb.toml", "practice = false\n");
    let out = awskb(&["check", "-r", root]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("content/_index.md:5:9: warning[broken-link]: broken link `/practice/`"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn practice_false_turns_the_page_off_and_a_content_page_there_conflicts() {
    let (site, out) = check_page("practice.md", "---\ntitle: My practice notes\n---\n");
    let root = site.path().to_str().unwrap();
    assert!(
        stderr(&out).contains("error[output-conflict]"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("the practice page"),
        "{}",
        stderr(&out)
    );

    write(site.path(), "awskb.toml", "practice = false\n");
    let out = awskb(&["build", "-r", root]);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = site.path().join("public");
    assert!(!public.join("practice/index.json").exists());
    assert_eq!(
        texts(&html(&public.join("practice/index.html")), "main h1"),
        ["My practice notes"]
    );
    assert!(
        !std::fs::read_to_string(public.join("index.html"))
            .unwrap()
            .contains("Practice exam")
    );
}
