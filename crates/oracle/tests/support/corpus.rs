//! The checked-in evaluation cases (`corpus/cases/eval`) as queries. A small reader of the
//! case format (`docs/case-format.md`): this crate cannot use the harness, which depends
//! on it.

use iamcr_oracle::{Caller, ContextValue, PolicyInputs, Query};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::path::PathBuf;

#[derive(Deserialize)]
struct Case {
    id: String,
    #[serde(default)]
    policies: Policies,
    request: Request,
}

#[derive(Deserialize, Default)]
struct Policies {
    #[serde(default)]
    identity: Vec<Box<RawValue>>,
    boundary: Option<Box<RawValue>>,
    #[serde(default)]
    session: Vec<Box<RawValue>>,
    scp: Option<Vec<Vec<Box<RawValue>>>>,
    rcp: Option<Vec<Vec<Box<RawValue>>>>,
    resource: Option<Box<RawValue>>,
}

#[derive(Deserialize)]
struct Request {
    principal: serde_json::Value,
    action: String,
    resource: String,
    resource_account: Option<String>,
    #[serde(default)]
    context: Vec<ContextValue>,
}

fn text(raw: &RawValue) -> String {
    let t = raw.get();
    if t.starts_with('"') {
        serde_json::from_str(t).unwrap()
    } else {
        t.to_string()
    }
}

fn texts(v: &[Box<RawValue>]) -> Vec<String> {
    v.iter().map(|r| text(r)).collect()
}

fn levels(v: &Option<Vec<Vec<Box<RawValue>>>>) -> Option<Vec<Vec<String>>> {
    v.as_ref().map(|ls| ls.iter().map(|l| texts(l)).collect())
}

fn caller(v: &serde_json::Value) -> Caller {
    match v {
        serde_json::Value::String(s) if s == "anonymous" => Caller::Anonymous,
        serde_json::Value::String(s) => Caller::Arn(s.clone()),
        serde_json::Value::Object(o) => {
            let get = |k: &str| o.get(k).and_then(|x| x.as_str()).map(str::to_string);
            if let Some(s) = get("service") {
                Caller::Service(s)
            } else if let Some(f) = get("federated") {
                Caller::Federated(f)
            } else {
                Caller::CanonicalUser(get("canonical_user").unwrap())
            }
        }
        other => panic!("principal {other}"),
    }
}

/// The evaluation cases of `corpus/cases/eval/*.json`, as `(id, query)`, in file order.
pub fn queries() -> Vec<(String, Query)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../corpus/cases/eval");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text_of_file = std::fs::read_to_string(&f).unwrap();
        let cases: Vec<Case> = if text_of_file.trim_start().starts_with('[') {
            serde_json::from_str(&text_of_file).unwrap()
        } else {
            vec![serde_json::from_str(&text_of_file).unwrap()]
        };
        for c in cases {
            let p = &c.policies;
            out.push((
                c.id,
                Query {
                    policies: PolicyInputs {
                        identity: texts(&p.identity),
                        boundary: p.boundary.as_deref().map(text),
                        session: texts(&p.session),
                        scp: levels(&p.scp),
                        rcp: levels(&p.rcp),
                        resource: p.resource.as_deref().map(text),
                    },
                    caller: caller(&c.request.principal),
                    action: c.request.action,
                    resource: c.request.resource,
                    resource_owner: c.request.resource_account,
                    context: c.request.context,
                },
            ));
        }
    }
    out
}
