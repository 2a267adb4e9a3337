//! The history events of a Task: Lambda functions called by ARN have their own event names;
//! everything else is `Task…` with the service and action.

use super::*;

/// How a Task's resource shows in the history: Lambda functions called by ARN have their own
/// event names; everything else is `Task…` with the service and action.
pub(super) struct Resource {
    lambda: bool,
    resource_type: String,
    resource: String,
}

impl Resource {
    pub(super) fn of(resource: &Value) -> Resource {
        let text = resource.as_str().unwrap_or_default();
        if text.starts_with("arn:aws:lambda:") {
            return Resource {
                lambda: true,
                resource_type: "lambda".into(),
                resource: text.into(),
            };
        }
        let service = text.strip_prefix("arn:aws:states:::").unwrap_or(text);
        let (resource_type, resource) = service.rsplit_once(':').unwrap_or(("", service));
        Resource {
            lambda: false,
            resource_type: resource_type.into(),
            resource: resource.into(),
        }
    }

    pub(super) fn scheduled(&self, execution: &mut Execution, parameters: &Value) {
        if self.lambda {
            let details = json!({"resource": self.resource, "input": parameters.to_string(),
                                 "inputDetails": {"truncated": false}});
            execution.emit_raw(
                "LambdaFunctionScheduled",
                "lambdaFunctionScheduledEventDetails",
                details,
            );
        } else {
            execution.emit(
                "TaskScheduled",
                Details::TaskScheduled {
                    resource_type: &self.resource_type,
                    resource: &self.resource,
                    parameters,
                },
            );
        }
    }

    pub(super) fn started(&self, execution: &mut Execution) {
        if self.lambda {
            execution.emit("LambdaFunctionStarted", Details::None);
        } else {
            execution.emit(
                "TaskStarted",
                Details::TaskStarted {
                    resource_type: &self.resource_type,
                    resource: &self.resource,
                },
            );
        }
    }

    pub(super) fn succeeded(&self, execution: &mut Execution, output: &Value) -> u64 {
        if self.lambda {
            let details =
                json!({"output": output.to_string(), "outputDetails": {"truncated": false}});
            execution.emit_raw(
                "LambdaFunctionSucceeded",
                "lambdaFunctionSucceededEventDetails",
                details,
            )
        } else {
            execution.emit(
                "TaskSucceeded",
                Details::TaskSucceeded {
                    resource_type: &self.resource_type,
                    resource: &self.resource,
                    output,
                },
            )
        }
    }

    /// `how` is `Failed` or `TimedOut`.
    pub(super) fn failed(&self, execution: &mut Execution, how: &str, error: &str, cause: &str) {
        let (kind, key) = if self.lambda {
            (
                format!("LambdaFunction{how}"),
                format!("lambdaFunction{how}EventDetails"),
            )
        } else {
            (format!("Task{how}"), format!("task{how}EventDetails"))
        };
        let mut details = json!({"error": error, "cause": cause});
        if !self.lambda {
            details["resourceType"] = json!(self.resource_type);
            details["resource"] = json!(self.resource);
        }
        execution.emit_raw(&kind, &key, details);
    }
}

impl Execution {
    pub(super) fn emit_raw(&mut self, kind: &str, key: &str, details: Value) -> u64 {
        let id = self.emit(kind, Details::None);
        if let Some(event) = self.history.last_mut() {
            event.details.insert(key.to_string(), details);
        }
        id
    }
}
