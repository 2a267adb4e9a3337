//! Arbitrary input never panics or hangs the parser and validator. Set `PROPTEST_CASES` to run
//! longer (the README gives the command used before a release).

use proptest::prelude::*;

#[path = "support/fuzz.rs"]
mod fuzz;
use fuzz::{check_text, mutate};

/// A definition touching every state type and both query languages, to mutate.
const SEED: &str = r#"{
  "Comment": "seed",
  "StartAt": "T",
  "States": {
    "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": {"a.$": "States.Format('x {}', $.b[0])", "c": [1, {"d.$": "$$.Execution.Id"}]},
          "Retry": [{"ErrorEquals": ["States.ALL"], "BackoffRate": 2, "JitterStrategy": "FULL"}],
          "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.e", "Next": "F"}],
          "Assign": {"v.$": "$.x"}, "Next": "C"},
    "C": {"Type": "Choice", "Choices": [{"And": [{"Variable": "$.n", "NumericGreaterThan": 1},
          {"Not": {"Variable": "$.s", "StringMatches": "a*"}}], "Next": "W"}], "Default": "P"},
    "W": {"Type": "Wait", "Timestamp": "2026-01-01T00:00:00Z", "Next": "P"},
    "P": {"Type": "Parallel", "Branches": [{"StartAt": "M", "States": {"M": {"Type": "Map",
          "ItemsPath": "$.items", "ItemProcessor": {"StartAt": "J", "States": {"J": {"Type": "Pass",
          "QueryLanguage": "JSONata", "Output": "{% $states.input.a + 1 %}", "End": true}}}, "End": true}}}],
          "Next": "S"},
    "S": {"Type": "Succeed"},
    "F": {"Type": "Fail", "ErrorPath": "$.e.Error"}
  }
}"#;

/// Characters that matter to JSON, YAML, JSONPath, intrinsics and JSONata.
fn interesting_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        Just(b'{'),
        Just(b'}'),
        Just(b'['),
        Just(b']'),
        Just(b'"'),
        Just(b'\''),
        Just(b'\\'),
        Just(b','),
        Just(b':'),
        Just(b'$'),
        Just(b'.'),
        Just(b'('),
        Just(b')'),
        Just(b'%'),
        Just(b'*'),
        Just(b'?'),
        Just(b'@'),
        Just(b'\n'),
        Just(b' '),
        Just(b'-'),
        Just(b'#'),
        Just(b'&'),
        Just(b'|'),
        Just(b'0'),
        Just(b'a'),
        any::<u8>(),
    ]
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        check_text(&text);
    }

    #[test]
    fn mutated_definitions_never_panic(edits in prop::collection::vec((any::<usize>(), any::<u8>(), interesting_byte()), 1..8)) {
        check_text(&mutate(SEED, &edits));
    }
}

#[test]
fn the_seed_is_valid() {
    let checked = asl::check(SEED);
    assert!(checked.diagnostics.is_empty(), "{:#?}", checked.diagnostics);
}

#[test]
fn pathological_inputs_end_quickly() {
    for text in [
        "[".repeat(200_000),
        "{\"a\":".repeat(100_000),
        "- ".repeat(50_000),
        format!(
            "{{\"StartAt\": \"A\", \"States\": {{\"A\": {{\"Type\": \"Pass\", \"InputPath\": \"$.{}\", \"End\": true}}}}}}",
            "[".repeat(100_000)
        ),
        format!(
            "{{\"StartAt\": \"A\", \"States\": {{\"A\": {{\"Type\": \"Pass\", \"Parameters\": {{\"a.$\": \"{}\"}}, \"End\": true}}}}}}",
            "States.Array(".repeat(50_000)
        ),
        format!(
            "{{\"QueryLanguage\": \"JSONata\", \"StartAt\": \"A\", \"States\": {{\"A\": {{\"Type\": \"Pass\", \"Output\": \"{{% {} %}}\", \"End\": true}}}}}}",
            "(".repeat(100_000)
        ),
    ] {
        check_text(&text);
    }
}
