//! Statements aimed at a request: each element names the request's action, resource,
//! principal or context value with probability `p_target` (in one of several equivalent
//! spellings), is sometimes mutated into a near miss, and otherwise comes from the shared
//! vocabulary.

use crate::Generator;
use crate::settings::{ActionScope, Shape};
use crate::util::{R, chance, change_one_char, count, flip_one_case, pick, pick_str, weighted};
use crate::values::{near_miss_arn, policy_values};
use crate::vocab::{self, KEYS, KeySpec, ValueKind, key_spec};
use arbitrary::Unstructured;
use iamcr_eval::{Principal, Request};
use iamcr_policy::{
    ActionBlock, BaseOperator, ConditionBlock, ConditionKey, ConditionOperator, ConditionValues,
    Effect, Family, Form, Operator, OperatorName, PolicyKind, PrincipalBlock, PrincipalEntry,
    PrincipalKind, PrincipalValue, ResourceBlock, SetQualifier, Spanned, Statement, Values,
};

/// What statements are aimed at: the request, its shape, and the keys it carries.
#[derive(Debug)]
pub(crate) struct Aim<'a> {
    pub req: &'a Request,
    pub shape: Shape,
    /// Keys of [`KEYS`] the request has (given or derived), with their values.
    pub facts: Vec<(&'static KeySpec, Vec<String>)>,
}

impl<'a> Aim<'a> {
    pub(crate) fn new(req: &'a Request, shape: Shape) -> Aim<'a> {
        // Every case looks up every key: lower-cased once per process.
        static LOWER: std::sync::LazyLock<Vec<String>> =
            std::sync::LazyLock::new(|| KEYS.iter().map(|k| k.name.to_ascii_lowercase()).collect());
        let facts = KEYS
            .iter()
            .zip(LOWER.iter())
            .filter_map(|(k, lower)| req.lookup(lower).map(|e| (k, e.values.clone())))
            .collect();
        Aim { req, shape, facts }
    }

    fn values_of(&self, spec: &KeySpec) -> &[String] {
        self.facts
            .iter()
            .find(|(k, _)| k.name == spec.name)
            .map_or(&[], |(_, v)| v.as_slice())
    }
}

/// A condition the scenario makes likely (confused-deputy checks, data perimeters, ABAC).
type Hint = (Operator, &'static str);

fn op(base: BaseOperator) -> Operator {
    Operator::plain(base)
}

fn if_exists(base: BaseOperator) -> Operator {
    Operator {
        if_exists: true,
        ..Operator::plain(base)
    }
}

fn hints(shape: Shape, kind: PolicyKind) -> Vec<Hint> {
    use BaseOperator as B;
    match (kind, shape) {
        (PolicyKind::Rcp, _) => vec![
            (if_exists(B::StringNotEquals), "aws:PrincipalOrgID"),
            (if_exists(B::Bool), "aws:PrincipalIsAWSService"),
            (op(B::Bool), "aws:SecureTransport"),
        ],
        (PolicyKind::Scp, _) => vec![
            (op(B::StringNotEquals), "aws:RequestedRegion"),
            (op(B::StringEquals), "aws:PrincipalTag/team"),
        ],
        (PolicyKind::Trust, _) | (_, Shape::ServiceTrust) => vec![
            (op(B::StringEquals), "aws:SourceAccount"),
            (op(B::ArnLike), "aws:SourceArn"),
            (op(B::StringEquals), "sts:ExternalId"),
        ],
        (_, Shape::AudienceModel) => vec![
            (op(B::StringEquals), "cleanrooms-ml:CollaborationId"),
            (op(B::StringEquals), "aws:PrincipalOrgID"),
        ],
        (_, Shape::ServiceData) => vec![
            (
                Operator {
                    qualifier: Some(SetQualifier::ForAnyValue),
                    ..Operator::plain(B::StringEquals)
                },
                "aws:CalledVia",
            ),
            (op(B::StringEquals), "aws:ResourceAccount"),
            (op(B::Bool), "aws:SecureTransport"),
        ],
        (_, Shape::PassRole) => vec![(op(B::StringEquals), "iam:PassedToService")],
        (_, Shape::Analyst) => vec![
            (op(B::StringEquals), "aws:ResourceTag/team"),
            (if_exists(B::Bool), "aws:MultiFactorAuthPresent"),
            (op(B::IpAddress), "aws:SourceIp"),
            (op(B::DateLessThan), "aws:CurrentTime"),
        ],
        (_, Shape::Generic) => Vec::new(),
    }
}

impl Generator {
    /// One statement of a `kind` policy, aimed at `aim`.
    pub(crate) fn statement(
        &self,
        u: &mut Unstructured<'_>,
        kind: PolicyKind,
        aim: &Aim<'_>,
        index: usize,
    ) -> R<Statement> {
        let s = &self.settings;
        let deny = kind == PolicyKind::Rcp || chance(u, s.p_deny)?;
        let sid = chance(u, 40)?.then(|| Spanned::synthetic(format!("S{index}")));
        let principal = if kind.requires_principal() || (!s.well_formed && chance(u, 5)?) {
            Some(Spanned::synthetic(
                self.principal_block(u, kind, aim, deny)?,
            ))
        } else {
            None
        };
        let action = Some(Spanned::synthetic(self.action_block(u, kind, aim)?));
        let resource = if kind == PolicyKind::Trust && s.well_formed {
            None
        } else {
            Some(Spanned::synthetic(self.resource_block(u, kind, aim)?))
        };
        let condition = self.condition_block(u, kind, aim)?.map(Spanned::synthetic);
        let effect = if deny { Effect::Deny } else { Effect::Allow };
        Ok(Statement {
            sid,
            effect: Some(Spanned::synthetic(effect)),
            principal,
            action,
            resource,
            condition,
        })
    }

    fn values_form(&self, u: &mut Unstructured<'_>, items: Vec<String>) -> R<Values> {
        Ok(if items.len() == 1 && chance(u, 50)? {
            Values::single(items.into_iter().next().unwrap_or_default())
        } else {
            Values::list(items)
        })
    }

    fn action_block(
        &self,
        u: &mut Unstructured<'_>,
        kind: PolicyKind,
        aim: &Aim<'_>,
    ) -> R<ActionBlock> {
        let s = &self.settings;
        let negated = match kind {
            PolicyKind::Rcp | PolicyKind::Trust if s.well_formed => false,
            _ => chance(u, s.p_not)?,
        };
        let n = count(u, 1, s.max_values)?;
        let mut items: Vec<String> = Vec::with_capacity(n);
        for _ in 0..n {
            let mut a = if chance(u, s.p_target)? {
                let a = aimed_action(u, &aim.req.action)?;
                if chance(u, s.p_near_miss)? {
                    near_miss_action(u, &a)?
                } else {
                    a
                }
            } else if kind == PolicyKind::Trust {
                pick_str(u, &vocab::TRUST_ACTIONS)?
            } else if chance(u, 40)? {
                pick_str(u, &vocab::ACTION_PATTERNS)?
            } else {
                let pool = match s.actions {
                    ActionScope::CleanRooms if chance(u, 50)? => &self.vocab.related,
                    ActionScope::CleanRooms => &self.vocab.cleanrooms,
                    ActionScope::Catalogue => &self.vocab.all,
                };
                pick(u, pool)?.name.clone()
            };
            if s.well_formed {
                a = self.keep_action_valid(u, kind, a)?;
            }
            if !items.contains(&a) {
                items.push(a);
            }
        }
        Ok(ActionBlock {
            negated,
            values: self.values_form(u, items)?,
        })
    }

    /// Trust policies may only name the `sts:AssumeRole` family; customer RCP statements may
    /// not use `*`; a vendor must be a plain service prefix.
    fn keep_action_valid(
        &self,
        u: &mut Unstructured<'_>,
        kind: PolicyKind,
        a: String,
    ) -> R<String> {
        let trust_ok = |a: &str| {
            let p = a.to_ascii_lowercase();
            [
                "sts:assumerole",
                "sts:tagsession",
                "sts:setsourceidentity",
                "sts:setcontext",
            ]
            .iter()
            .any(|t| iamcr_policy::wildcard::matches(&p, t))
        };
        let vendor_ok = a == "*"
            || a.split_once(':').is_some_and(|(v, n)| {
                !v.is_empty()
                    && !n.contains(':')
                    && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            });
        Ok(match kind {
            PolicyKind::Trust if !trust_ok(&a) => pick_str(u, &vocab::TRUST_ACTIONS)?,
            PolicyKind::Rcp if a == "*" => "cleanrooms:*".to_string(),
            _ if !vendor_ok => "cleanrooms:*".to_string(),
            _ => a,
        })
    }

    fn resource_block(
        &self,
        u: &mut Unstructured<'_>,
        kind: PolicyKind,
        aim: &Aim<'_>,
    ) -> R<ResourceBlock> {
        let s = &self.settings;
        let negated = kind != PolicyKind::Trust && chance(u, s.p_not)?;
        let n = count(u, 1, s.max_values)?;
        let mut items: Vec<String> = Vec::with_capacity(n);
        for _ in 0..n {
            let r = if chance(u, s.p_target)? {
                let r = self.aimed_resource(u, aim)?;
                if chance(u, s.p_near_miss)? && r.starts_with("arn:") {
                    near_miss_arn(u, s, &r)?
                } else {
                    r
                }
            } else if chance(u, 25)? {
                "*".to_string()
            } else {
                let action = pick(u, &self.vocab.cleanrooms)?;
                let owner = pick(u, &vocab::ACCOUNTS)?;
                self.resource_arn(u, action, owner, Shape::Generic)?
            };
            if !items.contains(&r) {
                items.push(r);
            }
        }
        Ok(ResourceBlock {
            negated,
            values: self.values_form(u, items)?,
        })
    }

    /// The request's resource written exactly or with wildcards or variables that still
    /// cover it.
    fn aimed_resource(&self, u: &mut Unstructured<'_>, aim: &Aim<'_>) -> R<String> {
        let arn = aim.req.resource.as_str();
        let Ok(parsed) = iamcr_case::Arn::parse(arn) else {
            return Ok(arn.to_string());
        };
        let iamcr_case::Arn {
            region,
            account,
            resource,
            ..
        } = parsed;
        let join = |region: &str, account: &str, resource: &str| {
            iamcr_case::Arn {
                region,
                account,
                resource,
                ..parsed
            }
            .to_string()
        };
        Ok(match u.int_in_range(0u8..=9)? {
            0..=2 => arn.to_string(),
            3 => "*".to_string(),
            4 => match resource.rfind('/') {
                Some(i) => join(region, account, &format!("{}*", &resource[..=i])),
                None => join(region, account, "*"),
            },
            5 if !region.is_empty() => join("*", account, resource),
            6 if !account.is_empty() => join(region, "*", resource),
            7 => {
                // `?` for one character of the name (the resource type stays readable).
                let (kind, name) = crate::values::split_resource_type(resource);
                let chars: Vec<char> = name.chars().collect();
                if chars.is_empty() {
                    arn.to_string()
                } else {
                    let at = count(u, 0, chars.len() - 1)?;
                    let r: String = chars
                        .iter()
                        .enumerate()
                        .map(|(i, c)| if i == at { '?' } else { *c })
                        .collect();
                    join(region, account, &format!("{kind}{r}"))
                }
            }
            8 if chance(u, self.settings.p_variables.saturating_mul(4))? => {
                join(region, account, &resource_variables(resource, aim.req))
            }
            // Everything of the service in that region and account.
            _ => join(region, account, "*"),
        })
    }

    fn principal_block(
        &self,
        u: &mut Unstructured<'_>,
        kind: PolicyKind,
        aim: &Aim<'_>,
        deny: bool,
    ) -> R<PrincipalBlock> {
        let s = &self.settings;
        if kind == PolicyKind::Rcp {
            return Ok(PrincipalBlock {
                negated: false,
                value: PrincipalValue::Wildcard,
            });
        }
        let negated = if s.well_formed {
            kind == PolicyKind::Resource && deny && chance(u, s.p_not)?
        } else {
            chance(u, s.p_not / 2)?
        };
        let star_ok = !(s.well_formed && kind == PolicyKind::Trust);
        if star_ok && chance(u, 8)? {
            return Ok(PrincipalBlock {
                negated,
                value: PrincipalValue::Wildcard,
            });
        }
        let n = count(u, 1, s.max_values)?;
        let mut entries: Vec<(PrincipalKind, Vec<String>)> = Vec::new();
        for _ in 0..n {
            let (k, v) = if chance(u, s.p_target)? {
                let (k, v) = aimed_principal(u, &aim.req.principal)?;
                if chance(u, s.p_near_miss)? {
                    (k.clone(), self.near_miss_principal(u, &k, &v)?)
                } else {
                    (k, v)
                }
            } else {
                random_principal(u)?
            };
            match entries.iter_mut().find(|(ek, _)| *ek == k) {
                Some((_, vs)) if !vs.contains(&v) => vs.push(v),
                Some(_) => {}
                None => entries.push((k, vec![v])),
            }
        }
        let mut map = Vec::with_capacity(entries.len());
        for (k, vs) in entries {
            map.push(PrincipalEntry {
                kind: Spanned::synthetic(k),
                values: self.values_form(u, vs)?,
            });
        }
        Ok(PrincipalBlock {
            negated,
            value: PrincipalValue::Map(map),
        })
    }

    fn near_miss_principal(
        &self,
        u: &mut Unstructured<'_>,
        k: &PrincipalKind,
        v: &str,
    ) -> R<String> {
        Ok(match k {
            PrincipalKind::Aws if iamcr_case::AccountId::is_valid(v) => {
                let others: Vec<&str> = vocab::ACCOUNTS
                    .iter()
                    .copied()
                    .filter(|a| *a != v)
                    .collect();
                pick_str(u, &others)?
            }
            PrincipalKind::Aws if v.starts_with("arn:") => match v.rsplit_once('/') {
                Some((head, name)) => {
                    let name = if self.settings.well_formed {
                        change_one_char(u, name)?
                    } else {
                        flip_one_case(u, name)?
                    };
                    format!("{head}/{name}")
                }
                // `arn:aws:iam::ACCOUNT:root`: another account's root.
                None => near_miss_arn(u, &self.settings, v)?,
            },
            PrincipalKind::Service => {
                let others: Vec<&str> = vocab::SERVICES
                    .iter()
                    .copied()
                    .filter(|s| *s != v)
                    .collect();
                pick_str(u, &others)?
            }
            _ => v.to_string(),
        })
    }

    fn condition_block(
        &self,
        u: &mut Unstructured<'_>,
        kind: PolicyKind,
        aim: &Aim<'_>,
    ) -> R<Option<ConditionBlock>> {
        let s = &self.settings;
        let hints = hints(aim.shape, kind);
        let p = if hints.is_empty() {
            s.p_condition
        } else {
            s.p_condition.max(65)
        };
        if !chance(u, p)? {
            return Ok(None);
        }
        let n = count(u, 1, s.max_conditions)?;
        let mut block = ConditionBlock::default();
        for _ in 0..n {
            let (operator, spec) = match hints.as_slice() {
                [] => self.any_condition(u, aim)?,
                hs if chance(u, 55)? => {
                    let (o, name) = *pick(u, hs)?;
                    match key_spec(name) {
                        Some(spec) => (o, spec),
                        None => self.any_condition(u, aim)?,
                    }
                }
                _ => self.any_condition(u, aim)?,
            };
            let values = policy_values(u, s, operator.base, spec, aim.values_of(spec))?;
            let form = if values.len() == 1 && chance(u, 50)? {
                Form::Single
            } else {
                Form::List
            };
            let entry = ConditionKey {
                key: Spanned::synthetic(spec.name.to_string()),
                values: Spanned::synthetic(ConditionValues {
                    items: values.into_iter().map(Spanned::synthetic).collect(),
                    form,
                }),
            };
            let name = OperatorName::Known(operator);
            match block
                .operators
                .iter_mut()
                .find(|o| o.operator.value == name)
            {
                Some(o) => {
                    // One key once per operator: JSON objects cannot repeat a key.
                    if !o
                        .keys
                        .iter()
                        .any(|k| k.key.value.eq_ignore_ascii_case(spec.name))
                    {
                        o.keys.push(entry);
                    }
                }
                None => block.operators.push(ConditionOperator {
                    operator: Spanned::synthetic(name),
                    keys: vec![entry],
                }),
            }
        }
        Ok(Some(block))
    }

    /// A key (usually one the request carries) and an operator that fits its type.
    fn any_condition(
        &self,
        u: &mut Unstructured<'_>,
        aim: &Aim<'_>,
    ) -> R<(Operator, &'static KeySpec)> {
        let s = &self.settings;
        let spec: &'static KeySpec = if !aim.facts.is_empty() && chance(u, s.p_present_key)? {
            pick(u, &aim.facts)?.0
        } else {
            pick(u, &KEYS)?
        };
        let family = if chance(u, s.p_type_mismatch)? {
            *pick(u, &Family::ALL)?
        } else {
            let own = match spec.kind {
                ValueKind::String => Family::String,
                ValueKind::Arn => *pick(u, &[Family::Arn, Family::Arn, Family::String])?,
                ValueKind::Numeric => Family::Numeric,
                ValueKind::Date => Family::Date,
                ValueKind::Bool => Family::Bool,
                ValueKind::Ip => Family::Ip,
                ValueKind::Binary => Family::Binary,
            };
            weighted(u, &[(own, 6), (Family::Null, 1)])?
        };
        let bases: Vec<BaseOperator> = BaseOperator::ALL
            .into_iter()
            .filter(|b| b.family() == family)
            .collect();
        let base = *pick(u, &bases)?;
        let qualifier_ok = if s.well_formed {
            spec.multivalued && base != BaseOperator::Null
        } else {
            true
        };
        let qualifier = if qualifier_ok && chance(u, s.p_qualifier)? {
            Some(*pick(
                u,
                &[SetQualifier::ForAnyValue, SetQualifier::ForAllValues],
            )?)
        } else {
            None
        };
        let if_exists = (base != BaseOperator::Null || !s.well_formed) && chance(u, s.p_if_exists)?;
        Ok((
            Operator {
                qualifier,
                base,
                if_exists,
            },
            spec,
        ))
    }
}

/// The request's action written exactly, in another case, or as a pattern covering it.
fn aimed_action(u: &mut Unstructured<'_>, action: &str) -> R<String> {
    let Some((svc, name)) = action.split_once(':') else {
        return Ok(action.to_string());
    };
    let words: Vec<usize> = name
        .char_indices()
        .filter(|(_, c)| c.is_ascii_uppercase())
        .map(|(i, _)| i)
        .collect();
    Ok(match u.int_in_range(0u8..=7)? {
        0 | 1 => action.to_string(),
        2 => {
            if chance(u, 50)? {
                action.to_ascii_lowercase()
            } else {
                format!("{svc}:{}", name.to_ascii_uppercase())
            }
        }
        3 => {
            let verb_end = words.get(1).copied().unwrap_or(name.len());
            format!("{svc}:{}*", &name[..verb_end])
        }
        4 => format!("{svc}:*"),
        5 => "*".to_string(),
        6 => {
            let tail = words.last().copied().unwrap_or(0);
            format!("{svc}:*{}", &name[tail..])
        }
        _ => {
            let chars: Vec<char> = name.chars().collect();
            let at = count(u, 0, chars.len().saturating_sub(1))?;
            let n: String = chars
                .iter()
                .enumerate()
                .map(|(i, c)| if i == at { '?' } else { *c })
                .collect();
            format!("{svc}:{n}")
        }
    })
}

/// A near miss of an action pattern: one character of the name changed.
fn near_miss_action(u: &mut Unstructured<'_>, a: &str) -> R<String> {
    match a.split_once(':') {
        Some((svc, name)) if !name.is_empty() && name != "*" => {
            Ok(format!("{svc}:{}", change_one_char(u, name)?))
        }
        _ => Ok(a.to_string()),
    }
}

/// Write the parts of a resource that are the caller's user name or team tag with the
/// variables that stand for them.
fn resource_variables(resource: &str, req: &Request) -> String {
    let mut r = resource.to_string();
    if let Principal::User { name, .. } = &req.principal
        && r.contains(name.as_str())
    {
        r = r.replacen(name.as_str(), "${aws:username}", 1);
        return r;
    }
    if let Some(team) = req
        .lookup("aws:principaltag/team")
        .and_then(|e| e.values.first())
        && !team.is_empty()
        && r.contains(team.as_str())
    {
        return r.replacen(team.as_str(), "${aws:PrincipalTag/team}", 1);
    }
    // Nothing to stand for: `${*}` is a literal `*` only where the text has one, so use a
    // default that resolves to the text itself.
    match r.rfind('/') {
        Some(i) => format!("{}${{aws:PrincipalTag/none, '{}'}}", &r[..=i], &r[i + 1..]),
        None => r,
    }
}

/// How a resource-based policy can name `p`.
fn aimed_principal(u: &mut Unstructured<'_>, p: &Principal) -> R<(PrincipalKind, String)> {
    let aws = |s: &str| (PrincipalKind::Aws, s.to_string());
    let root = |a: &str| format!("arn:aws:iam::{a}:root");
    Ok(match p {
        Principal::User { arn, account, .. } | Principal::FederatedUser { arn, account, .. } => {
            match u.int_in_range(0u8..=2)? {
                0 => aws(arn),
                1 => aws(account),
                _ => aws(&root(account)),
            }
        }
        Principal::RoleSession {
            role_arn,
            session_arn,
            account,
            ..
        } => match u.int_in_range(0u8..=3)? {
            0 => aws(role_arn),
            1 => aws(session_arn.as_deref().unwrap_or(role_arn)),
            2 => aws(account),
            _ => aws(&root(account)),
        },
        Principal::Root { account, .. } => {
            if chance(u, 50)? {
                aws(account)
            } else {
                aws(&root(account))
            }
        }
        Principal::Service(svc) => (PrincipalKind::Service, svc.clone()),
        Principal::WebIdentity(idp) => (PrincipalKind::Federated, idp.clone()),
        Principal::CanonicalUser(c) => (PrincipalKind::CanonicalUser, c.clone()),
        Principal::Anonymous => aws("*"),
    })
}

/// A principal value from the vocabulary.
fn random_principal(u: &mut Unstructured<'_>) -> R<(PrincipalKind, String)> {
    let account = pick(u, &vocab::ACCOUNTS)?;
    Ok(match u.int_in_range(0u8..=6)? {
        0 => (PrincipalKind::Aws, account.to_string()),
        1 => (PrincipalKind::Aws, format!("arn:aws:iam::{account}:root")),
        2 => (
            PrincipalKind::Aws,
            format!("arn:aws:iam::{account}:role/{}", pick(u, &vocab::ROLES)?),
        ),
        3 => (
            PrincipalKind::Aws,
            format!("arn:aws:iam::{account}:user/{}", pick(u, &vocab::USERS)?),
        ),
        4 => (PrincipalKind::Service, pick_str(u, &vocab::SERVICES)?),
        5 => (PrincipalKind::Federated, pick_str(u, &vocab::PROVIDERS)?),
        _ => (PrincipalKind::Aws, "*".to_string()),
    })
}
