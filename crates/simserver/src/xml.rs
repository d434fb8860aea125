//! The awsQuery protocol's response side, written with quick-xml: `<ActionResponse
//! xmlns=…><ActionResult>…</ActionResult><ResponseMetadata><RequestId>…`, lists as
//! `<member>` elements, maps as `<entry><key/><value/></entry>`, and errors as
//! `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.

use crate::protocol::ApiError;
use iamcr_oracle::Matched;
use iamcr_oracle::wire::{EvaluationResult, ResourceSpecificResult, SimulatePage};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::io;

/// IAM's XML namespace (API version 2010-05-08).
pub const IAM_NS: &str = "https://iam.amazonaws.com/doc/2010-05-08/";
/// STS's XML namespace (API version 2011-06-15).
pub const STS_NS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

type W = Writer<Vec<u8>>;

fn text(w: &mut W, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

fn node(w: &mut W, name: &str, inner: impl FnOnce(&mut W) -> io::Result<()>) -> io::Result<()> {
    w.create_element(name).write_inner_content(inner)?;
    Ok(())
}

fn members(w: &mut W, name: &str, items: &[String]) -> io::Result<()> {
    node(w, name, |w| {
        for i in items {
            text(w, "member", i)?;
        }
        Ok(())
    })
}

/// A whole response document around `result`.
fn envelope(
    action: &str,
    ns: &str,
    request_id: &str,
    result: impl FnOnce(&mut W) -> io::Result<()>,
) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let written: io::Result<()> = (|| {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.create_element(format!("{action}Response"))
            .with_attribute(("xmlns", ns))
            .write_inner_content(|w| {
                node(w, &format!("{action}Result"), result)?;
                node(w, "ResponseMetadata", |w| text(w, "RequestId", request_id))
            })?;
        Ok(())
    })();
    // Writing into a Vec cannot fail; if it ever did, the truncated document would fail
    // the client's parser loudly rather than pass as an answer.
    let _ = written;
    String::from_utf8_lossy(&w.into_inner()).into_owned()
}

fn statements(w: &mut W, ms: &[Matched]) -> io::Result<()> {
    node(w, "MatchedStatements", |w| {
        for m in ms {
            node(w, "member", |w| {
                text(w, "SourcePolicyId", &m.source_policy_id)?;
                if let Some(t) = &m.source_policy_type {
                    text(w, "SourcePolicyType", t)?;
                }
                for (name, p) in [("StartPosition", m.start), ("EndPosition", m.end)] {
                    if let Some(p) = p {
                        node(w, name, |w| {
                            text(w, "Line", &p.line.to_string())?;
                            text(w, "Column", &p.column.to_string())
                        })?;
                    }
                }
                Ok(())
            })?;
        }
        Ok(())
    })
}

fn decision_details(w: &mut W, details: &[(String, iamcr_oracle::Decision)]) -> io::Result<()> {
    node(w, "EvalDecisionDetails", |w| {
        for (k, v) in details {
            node(w, "entry", |w| {
                text(w, "key", k)?;
                text(w, "value", v.as_str())
            })?;
        }
        Ok(())
    })
}

fn boundary(w: &mut W, allowed: Option<bool>) -> io::Result<()> {
    match allowed {
        Some(a) => node(w, "PermissionsBoundaryDecisionDetail", |w| {
            text(w, "AllowedByPermissionsBoundary", &a.to_string())
        }),
        None => Ok(()),
    }
}

fn specific(w: &mut W, s: &ResourceSpecificResult) -> io::Result<()> {
    node(w, "member", |w| {
        text(w, "EvalResourceName", &s.eval_resource_name)?;
        if let Some(d) = s.eval_resource_decision {
            text(w, "EvalResourceDecision", d.as_str())?;
        }
        statements(w, &s.matched_statements)?;
        members(w, "MissingContextValues", &s.missing_context_values)?;
        decision_details(w, &s.eval_decision_details)?;
        boundary(w, s.allowed_by_boundary)
    })
}

fn result(w: &mut W, r: &EvaluationResult, with_details: bool) -> io::Result<()> {
    node(w, "member", |w| {
        text(w, "EvalActionName", &r.eval_action_name)?;
        if let Some(n) = &r.eval_resource_name {
            text(w, "EvalResourceName", n)?;
        }
        if let Some(d) = r.eval_decision {
            text(w, "EvalDecision", d.as_str())?;
        }
        statements(w, &r.matched_statements)?;
        members(w, "MissingContextValues", &r.missing_context_values)?;
        if let Some(o) = r.allowed_by_organizations {
            node(w, "OrganizationsDecisionDetail", |w| {
                text(w, "AllowedByOrganizations", &o.to_string())
            })?;
        }
        boundary(w, r.allowed_by_boundary)?;
        if with_details {
            decision_details(w, &r.eval_decision_details)?;
        }
        if !r.resource_specific_results.is_empty() {
            node(w, "ResourceSpecificResults", |w| {
                r.resource_specific_results
                    .iter()
                    .try_for_each(|s| specific(w, s))
            })?;
        }
        Ok(())
    })
}

/// A `SimulateCustomPolicy` response. `EvalDecisionDetails` is left out of results whose
/// resource is `*` within one account (`with_details` false), as AWS does.
pub fn simulate_response(page: &SimulatePage, with_details: &[bool], request_id: &str) -> String {
    envelope("SimulateCustomPolicy", IAM_NS, request_id, |w| {
        node(w, "EvaluationResults", |w| {
            for (i, r) in page.evaluation_results.iter().enumerate() {
                result(w, r, with_details.get(i).copied().unwrap_or(true))?;
            }
            Ok(())
        })?;
        text(w, "IsTruncated", &page.is_truncated.to_string())?;
        if let Some(m) = &page.marker {
            text(w, "Marker", m)?;
        }
        Ok(())
    })
}

/// A `GetContextKeysForCustomPolicy` response.
pub fn context_keys_response(keys: &[String], request_id: &str) -> String {
    envelope("GetContextKeysForCustomPolicy", IAM_NS, request_id, |w| {
        members(w, "ContextKeyNames", keys)
    })
}

/// An STS `GetCallerIdentity` response.
pub fn caller_identity_response(
    account: &str,
    arn: &str,
    user_id: &str,
    request_id: &str,
) -> String {
    envelope("GetCallerIdentity", STS_NS, request_id, |w| {
        text(w, "Arn", arn)?;
        text(w, "UserId", user_id)?;
        text(w, "Account", account)
    })
}

/// An error response.
pub fn error_response(e: &ApiError, ns: &str, request_id: &str) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    let written: io::Result<()> = (|| {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.create_element("ErrorResponse")
            .with_attribute(("xmlns", ns))
            .write_inner_content(|w| {
                node(w, "Error", |w| {
                    text(w, "Type", if e.sender { "Sender" } else { "Receiver" })?;
                    text(w, "Code", e.code)?;
                    text(w, "Message", &e.message)
                })?;
                text(w, "RequestId", request_id)
            })?;
        Ok(())
    })();
    let _ = written;
    String::from_utf8_lossy(&w.into_inner()).into_owned()
}
