//! A Task's `Resource`: an ARN of a Lambda function, an activity, or a service integration.

use super::{Checker, describe};
use crate::diagnostic::Code;
use crate::source::{Node, Pointer};

impl Checker<'_> {
    pub(super) fn resource(&mut self, node: &Node, pointer: &Pointer) {
        let Some(text) = node.as_str() else {
            let intrinsic = node.members().is_some_and(|m| {
                m.len() == 1 && (m[0].key == "Ref" || m[0].key.starts_with("Fn::"))
            });
            if intrinsic {
                self.unchecked_resource(
                    node,
                    pointer,
                    "a CloudFormation function, which only CloudFormation resolves",
                );
            } else {
                self.schema(
                    format!("`Resource` must be an ARN string, found {}", describe(node)),
                    pointer,
                    node.span,
                );
            }
            return;
        };
        if text.contains("${") {
            self.unchecked_resource(
                node,
                pointer,
                "a placeholder, which only a deployment tool resolves",
            );
            return;
        }
        if !text.starts_with("arn:") && is_uri(text) {
            self.unchecked_resource(
                node,
                pointer,
                "a URI but not an AWS ARN; the States Language allows it, AWS does not",
            );
            return;
        }
        if let Err(problem) = check_arn(text) {
            self.report_with_help(
                Code::InvalidResource,
                format!("`Resource` is not a valid ARN: {problem}"),
                pointer,
                node.span,
                Some("for example \"arn:aws:states:::lambda:invoke\" or \"arn:aws:lambda:us-east-1:123456789012:function:MyFunction\""),
            );
        }
    }

    fn unchecked_resource(&mut self, node: &Node, pointer: &Pointer, what: &str) {
        self.report_with_help(
            Code::UncheckedResource,
            format!("`Resource` is {what}"),
            pointer,
            node.span,
            Some("write a full ARN to check the definition and run it here"),
        );
    }
}

/// `scheme:rest`, the shape the States Language asks of a `Resource`.
fn is_uri(text: &str) -> bool {
    text.split_once(':').is_some_and(|(scheme, rest)| {
        !rest.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// Checks the shape of a Task resource ARN: `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, with
/// the Lambda function name and qualifier rules AWS enforces.
fn check_arn(text: &str) -> Result<(), String> {
    let parts: Vec<&str> = text.splitn(6, ':').collect();
    if parts.len() < 6 || parts[0] != "arn" {
        return Err("an ARN has the form arn:partition:service:region:account:resource".into());
    }
    let partition = parts[1];
    if !(partition == "aws" || partition.starts_with("aws-")) {
        return Err(format!("`{partition}` is not an AWS partition"));
    }
    let service = parts[2];
    if service.is_empty()
        || !service
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(format!("`{service}` is not a service name"));
    }
    let resource = parts[5];
    if resource.is_empty() {
        return Err("the resource part after the account is empty".into());
    }
    match service {
        "lambda" => lambda_function(resource),
        "states" => states_resource(parts[3], parts[4], resource),
        _ => Ok(()),
    }
}

/// `function:NAME` or `function:NAME:QUALIFIER`.
fn lambda_function(resource: &str) -> Result<(), String> {
    let mut parts = resource.split(':');
    if parts.next() != Some("function") {
        return Err("a Lambda resource is `function:NAME`".into());
    }
    let name = parts.next().unwrap_or("");
    let valid_name = |s: &str| {
        !s.is_empty()
            && s.len() <= 64
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if !valid_name(name) {
        return Err(format!(
            "`{name}` is not a Lambda function name (letters, digits, `-` and `_`, up to 64)"
        ));
    }
    match parts.next() {
        None => Ok(()),
        Some(qualifier) if qualifier == "$LATEST" || valid_name(qualifier) => match parts.next() {
            None => Ok(()),
            Some(_) => Err("a Lambda ARN has at most one qualifier after the name".into()),
        },
        Some(qualifier) => Err(format!("`{qualifier}` is not a version or alias name")),
    }
}

/// Service integrations (`arn:aws:states:::SERVICE:ACTION[.sync|.waitForTaskToken]`) and
/// activities (`arn:aws:states:REGION:ACCOUNT:activity:NAME`).
fn states_resource(region: &str, account: &str, resource: &str) -> Result<(), String> {
    if let Some(name) = resource.strip_prefix("activity:") {
        if region.is_empty() || account.is_empty() || name.is_empty() {
            return Err("an activity ARN needs a region, an account and a name".into());
        }
        return Ok(());
    }
    let (service, action) = resource
        .split_once(':')
        .ok_or_else(|| format!("`{resource}` is not `service:action` or `activity:name`"))?;
    if service.is_empty() || action.is_empty() {
        return Err(format!("`{resource}` is not `service:action`"));
    }
    let action = action
        .strip_suffix(".sync:2")
        .or_else(|| action.strip_suffix(".sync"))
        .or_else(|| action.strip_suffix(".waitForTaskToken"))
        .unwrap_or(action);
    if action.is_empty() || action.contains('.') && !service.starts_with("aws-sdk") {
        return Err(format!(
            "`{resource}` has an unknown integration pattern; use `.sync` or `.waitForTaskToken`"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_arn;

    #[test]
    fn accepts_real_resource_arns() {
        for arn in [
            "arn:aws:states:::lambda:invoke",
            "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "arn:aws:states:::dynamodb:putItem",
            "arn:aws:states:::aws-sdk:s3:listObjectsV2",
            "arn:aws:states:::states:startExecution.sync:2",
            "arn:aws:states:::ecs:runTask.sync",
            "arn:aws:states:us-east-1:123456789012:activity:Approve",
            "arn:aws:lambda:us-east-1:123456789012:function:Fn",
            "arn:aws:lambda:us-east-1:123456789012:function:Fn:$LATEST",
            "arn:aws:lambda:us-east-1:123456789012:function:Fn:prod",
            "arn:aws-cn:lambda:cn-north-1:123456789012:function:Fn",
            "arn:aws:swf:us-east-1:123456789012:task:X",
        ] {
            assert_eq!(check_arn(arn), Ok(()), "{arn}");
        }
    }

    #[test]
    fn rejects_malformed_arns() {
        for arn in [
            "MyFunction",
            "arn:aws:lambda",
            "arn:gcp:lambda:us-east-1:1:function:Fn",
            "arn:aws:lambda:region-1:1234567890:function:FUNCTION_NAME:",
            "arn:aws:lambda:region-1:1234567890:function:FUNCTION_NAME:$*#$7485",
            "arn:aws:lambda:us-east-1:1:function:a:b:c",
            "arn:aws:states:::lambda",
            "arn:aws:states:::lambda:invoke.later",
        ] {
            assert!(check_arn(arn).is_err(), "{arn}");
        }
    }
}
