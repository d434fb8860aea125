//! The engine protocol (docs/engine-protocol.md, version 1) over crates.io `iam-rs` 0.8.0.
//!
//! iam-rs evaluates one flat list of policies: a statement that applies with `Deny` denies,
//! else one with `Allow` allows, else nothing applies. That is AWS's logic for identity-based
//! policies of one account, so this adapter declares the `identity` policy type only:
//! boundaries, SCPs, RCPs, session and resource-based policies need the combination rules
//! of the policy evaluation logic, which iam-rs does not have. Everything the adapter does
//! besides calling iam-rs is the mapping of the request (README.md says what and why).

use iam_rs::{
    Arn, ConditionBlock, Context, ContextValue, Decision, EvaluationOptions, IAMEffect, IAMPolicy,
    IAMRequest, PolicyEvaluator, Principal, PrincipalId,
};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{BufRead, BufWriter, Write};

const OPERATORS: [&str; 27] = [
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];

fn handshake() -> Value {
    json!({
        "type": "handshake",
        "protocol": 1,
        "engine": {"name": "iam-rs", "version": "0.8.0"},
        "capabilities": {
            "policy_types": ["identity"],
            "principal_kinds": ["user", "role", "assumed-role"],
            "operators": OPERATORS,
            "qualifiers": ["ForAllValues", "ForAnyValue", "IfExists"],
            "elements": ["NotAction", "NotResource", "policy-variables"],
            "explanations": {"matched": true, "missing_context": false}
        }
    })
}

fn main() {
    let mut input = std::io::BufReader::with_capacity(1 << 16, std::io::stdin().lock());
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut line = String::new();
    loop {
        line.clear();
        match input.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let Ok(message) = serde_json::from_str::<Value>(&line) else {
            eprintln!("iam-rs engine: input is not JSON: {line}");
            std::process::exit(2);
        };
        let reply = match message["type"].as_str() {
            Some("hello") => handshake(),
            Some("evaluate") => evaluate(&message),
            _ => {
                eprintln!("iam-rs engine: unknown message: {line}");
                std::process::exit(2);
            }
        };
        if writeln!(out, "{reply}").is_err() {
            return;
        }
        // Flush when no further request is already waiting: answers go out at once to a
        // harness that waits, in large writes to one that pipelines.
        // (`buffer`, not `fill_buf`: that would wait for input before flushing.)
        if input.buffer().is_empty() && out.flush().is_err() {
            return;
        }
    }
}

fn refusal(id: &str, reason: &str) -> Value {
    json!({"type": "refusal", "id": id, "reason": reason})
}

fn error(id: &str, message: String) -> Value {
    json!({"type": "error", "id": id, "message": message})
}

fn evaluate(m: &Value) -> Value {
    let id = m["id"].as_str().unwrap_or_default();
    let request = &m["request"];
    let Some(principal) = request["principal"]
        .as_str()
        .filter(|p| p.starts_with("arn:"))
    else {
        return refusal(id, "iam-rs adapter: the principal must be an ARN");
    };
    let Some(resource) = request["resource"].as_str() else {
        return error(id, "no request.resource".into());
    };
    // iam-rs has no accounts: a request for another account's resource needs that account's
    // resource policy too (policy evaluation logic, cross-account), which it cannot take.
    let principal_account = principal.split(':').nth(4).unwrap_or_default();
    let resource_account = request["resource_account"]
        .as_str()
        .or_else(|| resource.split(':').nth(4).filter(|a| !a.is_empty()))
        .unwrap_or(principal_account);
    if resource_account != principal_account {
        return refusal(
            id,
            "iam-rs has no accounts: a cross-account request is not expressible",
        );
    }
    let Ok(resource) = Arn::parse(resource) else {
        return refusal(
            id,
            "iam-rs takes the resource as an ARN (not `*` or other text)",
        );
    };
    let mut policies = Vec::new();
    for (i, text) in m["policies"]["identity"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(text) = text.as_str() else {
            return error(id, format!("identity[{i}] is not a string"));
        };
        match IAMPolicy::from_json(text) {
            Ok(p) => policies.push(p),
            Err(e) => return error(id, format!("identity[{i}]: iam-rs cannot read it: {e}")),
        }
    }
    let context = match context(principal, &request["context"]) {
        Ok(c) => c,
        Err(e) => return refusal(id, &e),
    };
    let iam_request = IAMRequest::new_with_context(
        Principal::Aws(PrincipalId::String(principal.to_string())),
        request["action"].as_str().unwrap_or_default(),
        resource,
        context,
    );
    fix_condition_order(&mut policies, &iam_request);
    let evaluator =
        PolicyEvaluator::with_policies(policies.clone()).with_options(EvaluationOptions {
            // Every statement, so that the details line up with (policy, statement) indexes.
            stop_on_explicit_deny: false,
            collect_match_details: true,
            max_statements: usize::MAX,
            ignore_resource_constraints: false,
        });
    let result = match evaluator.evaluate(&iam_request) {
        Ok(r) => r,
        Err(e) => return error(id, format!("iam-rs: {e}")),
    };
    let (decision, effect) = match result.decision {
        Decision::Allow => ("allowed", Some(IAMEffect::Allow)),
        Decision::Deny => ("explicitDeny", Some(IAMEffect::Deny)),
        Decision::NotApplicable => ("implicitDeny", None),
    };
    let slots = policies
        .iter()
        .enumerate()
        .flat_map(|(p, policy)| (0..policy.statement.len()).map(move |s| (p, s)));
    let matched: Vec<Value> = slots
        .zip(&result.statement_details)
        .filter(|(_, d)| d.conditions_satisfied && Some(d.effect) == effect)
        .map(|((p, s), d)| {
            let mut r = json!({"policy": format!("identity[{p}]"), "statement": s});
            if let Some(sid) = d.sid.as_deref().filter(|s| !s.is_empty()) {
                r["sid"] = json!(sid);
            }
            r
        })
        .collect();
    json!({"type": "answer", "id": id, "decision": decision, "matched": matched})
}

/// iam-rs keeps a statement's conditions in a `HashMap` (its iteration order is seeded per
/// process) and stops at the first condition that is false or fails: when one condition of
/// a statement is false and another fails, the answer (no match, or an error) changed from
/// run to run. This fixes the order to (operator name, key): each condition is tried alone
/// by iam-rs itself (the statement with that one condition, as `Allow`), and a statement
/// whose conditions do not all hold keeps only the first that does not, so iam-rs answers
/// as it would with that iteration order. Statements with one condition are left alone.
fn fix_condition_order(policies: &mut [IAMPolicy], request: &IAMRequest) {
    for policy in policies.iter_mut() {
        for index in 0..policy.statement.len() {
            let Some(block) = &policy.statement[index].condition else {
                continue;
            };
            let mut pairs: Vec<_> = block
                .conditions
                .iter()
                .flat_map(|(op, map)| map.iter().map(move |(key, value)| (op, key, value)))
                .collect();
            if pairs.len() < 2 {
                continue;
            }
            pairs.sort_by(|a, b| (a.0.as_str(), a.1).cmp(&(b.0.as_str(), b.1)));
            let deciding = pairs.into_iter().find_map(|(op, key, value)| {
                let single = ConditionBlock {
                    conditions: HashMap::from([(
                        op.clone(),
                        HashMap::from([(key.clone(), value.clone())]),
                    )]),
                };
                let mut probe = policy.clone();
                let mut statement = probe.statement[index].clone();
                statement.effect = IAMEffect::Allow;
                statement.condition = Some(single.clone());
                probe.statement = vec![statement];
                let holds = PolicyEvaluator::with_policies(vec![probe])
                    .evaluate(request)
                    .is_ok_and(|r| r.decision == Decision::Allow);
                (!holds).then_some(single)
            });
            if let Some(single) = deciding {
                policy.statement[index].condition = Some(single);
            }
        }
    }
}

/// The request context: the keys AWS puts in every signed request from the principal when
/// the case does not give them (aws:PrincipalArn — the role's ARN for a role session —,
/// aws:PrincipalAccount, aws:PrincipalType, aws:username for IAM users,
/// aws:PrincipalIsAWSService), then the case's entries, typed for iam-rs. "AWS global
/// condition context keys":
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
fn context(principal: &str, entries: &Value) -> Result<Context, String> {
    let mut c = Context::new();
    let parts: Vec<&str> = principal.splitn(6, ':').collect();
    let account = parts.get(4).copied().unwrap_or_default();
    let resource = parts.get(5).copied().unwrap_or_default();
    let text = |s: &str| ContextValue::String(s.to_string());
    let (arn, kind) = if let Some(user) = resource.strip_prefix("user/") {
        let name = user.rsplit('/').next().unwrap_or(user);
        c.insert("aws:username".into(), text(name));
        (principal.to_string(), "User")
    } else if let Some(session) = resource.strip_prefix("assumed-role/") {
        let role = session.split('/').next().unwrap_or_default();
        (
            format!(
                "arn:{}:iam::{account}:role/{role}",
                parts.get(1).copied().unwrap_or("aws")
            ),
            "AssumedRole",
        )
    } else {
        (principal.to_string(), "AssumedRole")
    };
    c.insert("aws:PrincipalArn".into(), text(&arn));
    c.insert("aws:PrincipalAccount".into(), text(account));
    c.insert("aws:PrincipalType".into(), text(kind));
    c.insert(
        "aws:PrincipalIsAWSService".into(),
        ContextValue::Boolean(false),
    );
    for e in entries.as_array().into_iter().flatten() {
        let key = e["key"].as_str().unwrap_or_default().to_string();
        let ty = e["type"].as_str().unwrap_or_default();
        let values: Vec<String> = e["values"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        let one = values.first().cloned().unwrap_or_default();
        let value = match ty {
            "string" | "ip" | "binary" => ContextValue::String(one),
            "boolean" => match one.as_str() {
                "true" => ContextValue::Boolean(true),
                "false" => ContextValue::Boolean(false),
                _ => return Err(format!("iam-rs takes booleans as true/false, not {one:?}")),
            },
            "numeric" => match one.parse::<f64>() {
                Ok(n) => ContextValue::Number(n),
                Err(_) => return Err(format!("iam-rs takes numbers as f64, not {one:?}")),
            },
            "date" => match chrono::DateTime::parse_from_rfc3339(&one) {
                Ok(d) => ContextValue::DateTime(d.with_timezone(&chrono::Utc)),
                Err(_) => return Err(format!("iam-rs takes dates as RFC 3339, not {one:?}")),
            },
            "booleanList" => {
                ContextValue::BooleanList(values.iter().map(|v| v == "true").collect())
            }
            "stringList" | "ipList" | "binaryList" => ContextValue::StringList(values),
            _ => return Err(format!("iam-rs has no context type like {ty:?}")),
        };
        // A given entry wins over a derived one (case-insensitive key names).
        let existing: Vec<String> = c
            .keys()
            .into_iter()
            .filter(|k| k.eq_ignore_ascii_case(&key))
            .cloned()
            .collect();
        for k in existing {
            let mut fresh = Context::new();
            for other in c.keys() {
                if *other != k
                    && let Some(v) = c.get(other)
                {
                    fresh.insert(other.clone(), v.clone());
                }
            }
            c = fresh;
        }
        c.insert(key, value);
    }
    Ok(c)
}
