//! The awsQuery protocol's request side: form parameters (`Action=…&PolicyInputList.member.1=…`),
//! the API errors the endpoint answers with, and decoding plus validating the
//! `SimulateCustomPolicy` and `GetContextKeysForCustomPolicy` inputs against the constraints
//! of the IAM Smithy model (`/work/shared/reference/iam-simulator-api.json`: lengths, patterns,
//! ranges, required members), which AWS reports as `ValidationError`.

use iamcr_oracle::wire::SimulateRequest;
use iamcr_oracle::{ContextKeyType, ContextValue};
use std::collections::BTreeMap;

/// An error answered in AWS's error XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// `Code`.
    pub code: &'static str,
    /// `Message`.
    pub message: String,
    /// `Type`: `Sender` (the request is wrong) or `Receiver` (the service failed).
    pub sender: bool,
}

impl ApiError {
    /// `InvalidInput` (400): "an invalid or out-of-range value was supplied for an input
    /// parameter" (API reference, SimulateCustomPolicy, Errors).
    pub fn invalid_input(message: impl Into<String>) -> ApiError {
        ApiError::sender(400, "InvalidInput", message)
    }

    /// `PolicyEvaluation` (500): "a provided policy could not be successfully evaluated".
    pub fn policy_evaluation(message: impl Into<String>) -> ApiError {
        ApiError {
            status: 500,
            code: "PolicyEvaluation",
            message: message.into(),
            sender: false,
        }
    }

    /// A client error with any code.
    pub fn sender(status: u16, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            sender: true,
        }
    }

    /// `ValidationError` (400) listing every constraint the request breaks, in the shape
    /// AWS's Smithy validation gives ("2 validation errors detected: …; …").
    pub fn validation(problems: &[String]) -> ApiError {
        let n = problems.len();
        let plural = if n == 1 { "error" } else { "errors" };
        ApiError::sender(
            400,
            "ValidationError",
            format!("{n} validation {plural} detected: {}", problems.join("; ")),
        )
    }
}

/// The form parameters of one request (query string and body together).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(BTreeMap<String, String>);

impl Params {
    /// Decode `application/x-www-form-urlencoded` text; later sources win on repeated keys.
    pub fn parse(sources: &[&[u8]]) -> Params {
        let mut map = BTreeMap::new();
        for s in sources {
            for (k, v) in form_urlencoded::parse(s) {
                map.insert(k.into_owned(), v.into_owned());
            }
        }
        Params(map)
    }

    /// One parameter.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// `PREFIX.member.1`, `PREFIX.member.2`, … up to the first gap; `None` when the list is
    /// absent. An empty list is sent as a bare `PREFIX=`.
    pub fn list(&self, prefix: &str) -> Option<Vec<String>> {
        let items: Vec<String> = (1..)
            .map_while(|i| self.0.get(&format!("{prefix}.member.{i}")).cloned())
            .collect();
        if items.is_empty() && !self.0.contains_key(prefix) {
            None
        } else {
            Some(items)
        }
    }

    /// Whether any parameter starts with `prefix.` (a structure or list that is present).
    pub fn has_prefix(&self, prefix: &str) -> bool {
        let dotted = format!("{prefix}.");
        self.0.contains_key(prefix)
            || self
                .0
                .range(dotted.clone()..)
                .next()
                .is_some_and(|(k, _)| k.starts_with(&dotted))
    }
}

/// Collects constraint violations with the Smithy member paths AWS names.
#[derive(Debug, Default)]
struct Problems(Vec<String>);

impl Problems {
    fn length(&mut self, path: &str, value: &str, min: usize, max: usize) {
        let n = value.chars().count();
        if n < min {
            self.0.push(format!(
                "Value at '{path}' failed to satisfy constraint: Member must have length greater than or equal to {min}"
            ));
        } else if n > max {
            self.0.push(format!(
                "Value at '{path}' failed to satisfy constraint: Member must have length less than or equal to {max}"
            ));
        }
    }

    fn policy(&mut self, path: &str, text: &str) {
        self.length(path, text, 1, 131_072);
        if !text
            .chars()
            .all(|c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}'))
        {
            self.0.push(format!(
                "Value at '{path}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"
            ));
        }
    }

    fn required(&mut self, path: &str) {
        self.0.push(format!(
            "Value null at '{path}' failed to satisfy constraint: Member must not be null"
        ));
    }

    fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(&self.0))
        }
    }
}

/// The policy documents of a list, checked; `None` (with a problem) when required and absent.
fn policies(p: &Params, name: &str, path: &str, problems: &mut Problems) -> Option<Vec<String>> {
    let docs = p.list(name)?;
    for (i, d) in docs.iter().enumerate() {
        problems.policy(&format!("{path}.{}.member", i + 1), d);
    }
    Some(docs)
}

fn context_entries(p: &Params, problems: &mut Problems) -> Result<Vec<ContextValue>, ApiError> {
    let mut out = Vec::new();
    for i in 1.. {
        let prefix = format!("ContextEntries.member.{i}");
        if !p.has_prefix(&prefix) {
            break;
        }
        let path = format!("contextEntries.{i}.member");
        let key = p
            .get(&format!("{prefix}.ContextKeyName"))
            .unwrap_or_default();
        problems.length(&format!("{path}.contextKeyName"), key, 5, 256);
        let values = p
            .list(&format!("{prefix}.ContextKeyValues"))
            .unwrap_or_default();
        let ty = match p.get(&format!("{prefix}.ContextKeyType")) {
            Some(t) => match ContextKeyType::parse(t) {
                Some(t) => t,
                None => {
                    let all: Vec<&str> = ContextKeyType::ALL.iter().map(|t| t.as_str()).collect();
                    problems.0.push(format!(
                        "Value '{t}' at '{path}.contextKeyType' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                        all.join(", ")
                    ));
                    continue;
                }
            },
            // The model types every value; without a type it cannot tell `1` from "1".
            None => {
                return Err(ApiError::invalid_input(format!(
                    "ContextEntries.member.{i} ({key}) has no ContextKeyType; this endpoint evaluates typed values only"
                )));
            }
        };
        if !ty.is_list() && values.len() != 1 {
            return Err(ApiError::invalid_input(format!(
                "ContextEntries.member.{i} ({key}) has type {} but {} values; a single-valued type takes exactly one",
                ty.as_str(),
                values.len()
            )));
        }
        out.push(ContextValue {
            key: key.to_string(),
            ty,
            values,
        });
    }
    Ok(out)
}

/// The SCP levels of `OrderedOrganizationPolicyInputList`.
fn scp_levels(p: &Params, problems: &mut Problems) -> Vec<Vec<String>> {
    let mut levels = Vec::new();
    for l in 1.. {
        let prefix = format!("OrderedOrganizationPolicyInputList.member.{l}");
        if !p.has_prefix(&prefix) {
            break;
        }
        let path =
            format!("orderedOrganizationPolicyInputList.{l}.member.serviceControlPolicyInputList");
        let docs = policies(
            p,
            &format!("{prefix}.ServiceControlPolicyInputList"),
            &path,
            problems,
        )
        .unwrap_or_default();
        levels.push(docs);
    }
    if levels.len() > 7 {
        problems.0.push("Value at 'orderedOrganizationPolicyInputList' failed to satisfy constraint: Member must have length less than or equal to 7".into());
    }
    levels
}

/// Decode and validate a `SimulateCustomPolicy` request.
pub fn simulate_request(p: &Params) -> Result<SimulateRequest, ApiError> {
    let mut problems = Problems::default();
    let identity = policies(p, "PolicyInputList", "policyInputList", &mut problems);
    if identity.is_none() {
        problems.required("policyInputList");
    }
    let boundary = policies(
        p,
        "PermissionsBoundaryPolicyInputList",
        "permissionsBoundaryPolicyInputList",
        &mut problems,
    )
    .unwrap_or_default();
    let levels = scp_levels(p, &mut problems);
    let resource_policy = p.get("ResourcePolicy").map(str::to_string);
    if let Some(r) = &resource_policy {
        problems.policy("resourcePolicy", r);
    }
    let actions = p.list("ActionNames");
    match &actions {
        None => problems.required("actionNames"),
        Some(a) => {
            for (i, name) in a.iter().enumerate() {
                problems.length(&format!("actionNames.{}.member", i + 1), name, 3, 128);
            }
        }
    }
    let resources = p.list("ResourceArns").unwrap_or_default();
    for (i, r) in resources.iter().enumerate() {
        problems.length(&format!("resourceArns.{}.member", i + 1), r, 1, 2048);
    }
    for name in ["CallerArn", "ResourceOwner"] {
        if let Some(v) = p.get(name) {
            problems.length(&lower_first(name), v, 1, 2048);
        }
    }
    if let Some(v) = p.get("ResourceHandlingOption") {
        problems.length("resourceHandlingOption", v, 1, 64);
    }
    let max_items = match p.get("MaxItems") {
        None => None,
        Some(m) => match m.parse::<i32>() {
            Ok(n) if (1..=1000).contains(&n) => Some(n),
            Ok(n) if n < 1 => {
                problems.0.push(format!("Value '{n}' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"));
                None
            }
            Ok(n) => {
                problems.0.push(format!("Value '{n}' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000"));
                None
            }
            Err(_) => {
                return Err(ApiError::sender(
                    400,
                    "MalformedQueryString",
                    format!("MaxItems is not an integer: {m:?}"),
                ));
            }
        },
    };
    let marker = p.get("Marker").map(str::to_string);
    if let Some(m) = &marker {
        problems.length("marker", m, 1, 320);
    }
    let context = context_entries(p, &mut problems)?;
    problems.finish()?;
    if boundary.len() > 1 {
        return Err(ApiError::invalid_input(format!(
            "PermissionsBoundaryPolicyInputList holds {} policies; you can input only one permissions boundary",
            boundary.len()
        )));
    }
    Ok(SimulateRequest {
        policy_input_list: identity.unwrap_or_default(),
        permissions_boundary_policy_input_list: boundary,
        ordered_organization_policy_input_list: levels,
        resource_policy,
        resource_owner: p.get("ResourceOwner").map(str::to_string),
        caller_arn: p.get("CallerArn").map(str::to_string),
        context_entries: context,
        action_names: actions.unwrap_or_default(),
        resource_arns: resources,
        max_items,
        marker,
    })
}

/// Decode and validate a `GetContextKeysForCustomPolicy` request: its policy documents.
pub fn context_keys_request(p: &Params) -> Result<Vec<String>, ApiError> {
    let mut problems = Problems::default();
    let docs = policies(p, "PolicyInputList", "policyInputList", &mut problems);
    if docs.is_none() {
        problems.required("policyInputList");
    }
    problems.finish()?;
    Ok(docs.unwrap_or_default())
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_lowercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(s: &str) -> Params {
        Params::parse(&[s.as_bytes()])
    }

    #[test]
    fn lists_stop_at_the_first_gap_and_a_bare_key_is_an_empty_list() {
        let p = params("A.member.1=x&A.member.2=y&A.member.4=z&B=");
        assert_eq!(p.list("A"), Some(vec!["x".to_string(), "y".to_string()]));
        assert_eq!(p.list("B"), Some(vec![]));
        assert_eq!(p.list("C"), None);
    }

    #[test]
    fn every_broken_constraint_is_named() {
        let long = "a".repeat(129);
        let p = params(&format!(
            "Action=SimulateCustomPolicy&ActionNames.member.1={long}&ActionNames.member.2=s3&MaxItems=1001"
        ));
        let e = simulate_request(&p).unwrap_err();
        assert_eq!((e.status, e.code), (400, "ValidationError"));
        assert!(
            e.message.starts_with("4 validation errors detected"),
            "{}",
            e.message
        );
        assert!(
            e.message.contains(
                "'policyInputList' failed to satisfy constraint: Member must not be null"
            )
        );
        assert!(e.message.contains("'actionNames.1.member'"));
        assert!(e.message.contains("'actionNames.2.member' failed to satisfy constraint: Member must have length greater than or equal to 3"));
        assert!(e.message.contains("'maxItems'"));
    }

    #[test]
    fn policy_characters_outside_latin_1_are_refused() {
        let p = params("PolicyInputList.member.1=%E2%82%AC&ActionNames.member.1=s3:GetObject");
        let e = simulate_request(&p).unwrap_err();
        assert!(
            e.message.contains("regular expression pattern"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_request_decodes_into_the_oracle_wire_form() {
        let p = params(
            "PolicyInputList.member.1=%7B%7D&ActionNames.member.1=s3:GetObject&ResourceArns.member.1=arn:aws:s3:::b\
             &CallerArn=arn:aws:iam::111122223333:user/a&ContextEntries.member.1.ContextKeyName=aws:SourceIp\
             &ContextEntries.member.1.ContextKeyType=ip&ContextEntries.member.1.ContextKeyValues.member.1=10.0.0.1\
             &OrderedOrganizationPolicyInputList.member.1.ServiceControlPolicyInputList.member.1=%7B%7D&MaxItems=5",
        );
        let r = simulate_request(&p).unwrap();
        assert_eq!(r.policy_input_list, vec!["{}"]);
        assert_eq!(
            r.ordered_organization_policy_input_list,
            vec![vec!["{}".to_string()]]
        );
        assert_eq!(r.context_entries[0].ty, ContextKeyType::Ip);
        assert_eq!(r.max_items, Some(5));
    }

    #[test]
    fn two_boundaries_and_untyped_or_miscounted_context_are_invalid_input() {
        let two = params(
            "PolicyInputList.member.1=x&ActionNames.member.1=s3:GetObject&PermissionsBoundaryPolicyInputList.member.1=a&PermissionsBoundaryPolicyInputList.member.2=b",
        );
        assert_eq!(simulate_request(&two).unwrap_err().code, "InvalidInput");
        let untyped = params(
            "PolicyInputList.member.1=x&ActionNames.member.1=s3:GetObject&ContextEntries.member.1.ContextKeyName=aws:SourceIp&ContextEntries.member.1.ContextKeyValues.member.1=1",
        );
        assert_eq!(simulate_request(&untyped).unwrap_err().code, "InvalidInput");
        let two_values = params(
            "PolicyInputList.member.1=x&ActionNames.member.1=s3:GetObject&ContextEntries.member.1.ContextKeyName=aws:SourceIp&ContextEntries.member.1.ContextKeyType=ip&ContextEntries.member.1.ContextKeyValues.member.1=1&ContextEntries.member.1.ContextKeyValues.member.2=2",
        );
        assert_eq!(
            simulate_request(&two_values).unwrap_err().code,
            "InvalidInput"
        );
        let bad_type = params(
            "PolicyInputList.member.1=x&ActionNames.member.1=s3:GetObject&ContextEntries.member.1.ContextKeyName=aws:SourceIp&ContextEntries.member.1.ContextKeyType=ipv4",
        );
        assert!(
            simulate_request(&bad_type)
                .unwrap_err()
                .message
                .contains("enum value set")
        );
    }
}
