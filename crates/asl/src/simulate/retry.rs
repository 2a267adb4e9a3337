//! Which errors a retrier or catcher takes, and how long a retrier waits.

use chrono::Duration;

use super::convert::seconds;
use super::{Random, errors};
use crate::model::{JitterStrategy, Retrier};

/// Whether an `ErrorEquals` list takes `error`. `States.ALL` takes every error but the terminal
/// ones (`States.Runtime`, `States.DataLimitExceeded`); `States.TaskFailed` also leaves out
/// `States.Timeout`. Terminal errors are only taken when named.
pub(super) fn matches(error_equals: &[String], error: &str) -> bool {
    let terminal = error == errors::RUNTIME || error == errors::DATA_LIMIT_EXCEEDED;
    error_equals.iter().any(|name| {
        name == error
            || (name == errors::ALL && !terminal)
            || (name == errors::TASK_FAILED && !terminal && error != errors::TIMEOUT)
    })
}

/// The wait before the next attempt, when `attempts` retries were already made; `None` when the
/// retrier has no attempts left. `IntervalSeconds` (default 1) grows by `BackoffRate` (default
/// 2.0) per attempt, is capped by `MaxDelaySeconds`, and with `"JitterStrategy": "FULL"` is a
/// random share of that.
pub(super) fn delay(retrier: &Retrier, attempts: u64, random: &mut Random) -> Option<Duration> {
    if attempts >= retrier.max_attempts.unwrap_or(3) {
        return None;
    }
    let interval = retrier.interval_seconds.unwrap_or(1) as f64;
    let rate = retrier.backoff_rate.unwrap_or(2.0);
    let mut wait = interval * rate.powi(attempts.min(i32::MAX as u64) as i32);
    if let Some(max) = retrier.max_delay_seconds {
        wait = wait.min(max as f64);
    }
    if retrier.jitter_strategy == Some(JitterStrategy::Full) {
        wait *= random.unit();
    }
    Some(seconds(wait))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn retrier(value: serde_json::Value) -> Retrier {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn wildcards() {
        let all = ["States.ALL".to_string()];
        assert!(matches(&all, "Lambda.ServiceException"));
        assert!(matches(&all, "States.Timeout"));
        assert!(!matches(&all, "States.Runtime"));
        assert!(!matches(&all, "States.DataLimitExceeded"));
        let task_failed = ["States.TaskFailed".to_string()];
        assert!(matches(&task_failed, "MyError"));
        assert!(!matches(&task_failed, "States.Timeout"));
        let named = ["States.DataLimitExceeded".to_string()];
        assert!(matches(&named, "States.DataLimitExceeded"));
        assert!(!matches(&["A".to_string()], "B"));
    }

    #[test]
    fn exponential_backoff_with_cap() {
        let r = retrier(
            json!({"ErrorEquals": ["E"], "IntervalSeconds": 2, "BackoffRate": 3,
                               "MaxAttempts": 4, "MaxDelaySeconds": 10}),
        );
        let mut random = Random::new(0);
        let waits: Vec<_> = (0..5)
            .map(|n| delay(&r, n, &mut random).map(|d| d.num_seconds()))
            .collect();
        assert_eq!(waits, [Some(2), Some(6), Some(10), Some(10), None]);
    }

    #[test]
    fn defaults_and_zero_attempts() {
        let r = retrier(json!({"ErrorEquals": ["E"]}));
        let mut random = Random::new(0);
        let waits: Vec<_> = (0..4)
            .map(|n| delay(&r, n, &mut random).map(|d| d.num_seconds()))
            .collect();
        assert_eq!(waits, [Some(1), Some(2), Some(4), None]);
        let never = retrier(json!({"ErrorEquals": ["E"], "MaxAttempts": 0}));
        assert_eq!(delay(&never, 0, &mut random), None);
    }

    #[test]
    fn full_jitter_stays_below_the_backoff() {
        let r =
            retrier(json!({"ErrorEquals": ["E"], "IntervalSeconds": 10, "JitterStrategy": "FULL"}));
        let mut random = Random::new(5);
        for attempt in 0..3 {
            let wait = delay(&r, attempt, &mut random).unwrap();
            assert!(wait <= Duration::seconds(10 << attempt), "{wait}");
        }
    }
}
