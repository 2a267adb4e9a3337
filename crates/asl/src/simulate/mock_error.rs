//! Why a mocks document was refused: its own file, below both the mocks and the mocked S3 that
//! read parts of that document.

/// Why a mocks document was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MockError {
    /// The document is not a JSON object.
    #[error("mocks must be a JSON object mapping state names to mocked responses")]
    NotAnObject,
    /// A state's mocked response is not an object.
    #[error("the mocked response for state '{state}' must be an object")]
    ResponseNotObject {
        /// The state it mocks.
        state: String,
    },
    /// An invocation key that is neither a number nor a range.
    #[error(
        "invalid invocation key '{key}' in the mock for state '{state}': use a number such as \"0\" or a range such as \"1-3\""
    )]
    BadKey {
        /// The state it mocks.
        state: String,
        /// The key as written.
        key: String,
    },
    /// A response with both or neither of `Return` and `Throw`.
    #[error(
        "the mock for state '{state}', invocation '{key}', needs exactly one of \"Return\" or \"Throw\""
    )]
    BadResponse {
        /// The state it mocks.
        state: String,
        /// The invocation key it answers.
        key: String,
    },
    /// A `Throw` without a string `Error`.
    #[error("the mock for state '{state}', invocation '{key}': \"Throw\" needs a string \"Error\"")]
    BadThrow {
        /// The state it mocks.
        state: String,
        /// The invocation key it answers.
        key: String,
    },
    /// A test case was asked for, but the document is no Step Functions Local configuration.
    #[error(
        "the mock configuration has no \"StateMachines\" object with test cases; pass the state-to-response map directly or a Step Functions Local mock configuration"
    )]
    NotAConfig,
    /// The configuration has no test case by that name.
    #[error("no test case named '{name}' in the mock configuration (it has: {known})")]
    UnknownTestCase {
        /// The name asked for.
        name: String,
        /// The test cases it does have, comma-separated (or "none").
        known: String,
    },
    /// A test case names a response missing from `MockedResponses`.
    #[error(
        "test case '{case}' names the mocked response '{response}', which is not in \"MockedResponses\""
    )]
    UnknownResponse {
        /// The test case.
        case: String,
        /// The response name it uses.
        response: String,
    },
    /// `"S3"` is not an object of buckets.
    #[error(
        "\"S3\" in the mocks must be an object of buckets, each an object of keys and contents, such as {{\"my-bucket\": {{\"data/rows.csv\": \"id,name\\n1,a\\n\"}}}}"
    )]
    S3NotAnObject,
    /// A bucket under `"S3"` is not an object of keys and contents.
    #[error(
        "the mocked S3 bucket '{bucket}' must be an object of keys and contents, such as {{\"data/rows.csv\": \"id,name\\n1,a\\n\"}}"
    )]
    S3BucketNotAnObject {
        /// The bucket's name.
        bucket: String,
    },
}
