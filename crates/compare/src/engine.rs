//! The comparison: enumerate the classes, decide each once under both policies.

use crate::context::{self, KeyDomain, KeyUse};
use crate::vocab::{self, ActionItem};
use iamcr_cleanrooms::catalogue::{ArnTemplate, Catalogue};
use iamcr_eval::pattern::Pattern;
use iamcr_eval::{Authorizer, Context, Decision, PolicyRef, PolicySet, Principal, Request};
use iamcr_policy::{ConditionValue, OperatorName, Policy};
use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

/// Which kind of policy the two documents are, i.e. where they sit in the policy set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    /// An identity-based policy of the caller (the default).
    #[default]
    Identity,
    /// The caller's permissions boundary (identity policies allow everything).
    Boundary,
    /// A session policy (identity policies allow everything).
    Session,
    /// A service control policy, the only one at its level (identity policies allow
    /// everything).
    Scp,
    /// A resource control policy, the only one at its level (identity policies allow
    /// everything).
    Rcp,
}

impl Kind {
    /// The name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Identity => "identity",
            Kind::Boundary => "boundary",
            Kind::Session => "session",
            Kind::Scp => "scp",
            Kind::Rcp => "rcp",
        }
    }

    /// The policy set in which `policy` is the compared policy.
    pub fn policy_set(self, policy: &Policy) -> PolicySet {
        let mut set = PolicySet::default();
        if self == Kind::Identity {
            set.identity = vec![policy.clone()];
            return set;
        }
        set.identity = vec![allow_all()];
        match self {
            Kind::Boundary => set.boundary = Some(policy.clone()),
            Kind::Session => set.session = vec![policy.clone()],
            Kind::Scp => set.scp = Some(vec![vec![policy.clone()]]),
            Kind::Rcp => set.rcp = Some(vec![vec![policy.clone()]]),
            Kind::Identity => {}
        }
        set
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Kind, String> {
        match s {
            "identity" => Ok(Kind::Identity),
            "boundary" => Ok(Kind::Boundary),
            "session" => Ok(Kind::Session),
            "scp" => Ok(Kind::Scp),
            "rcp" => Ok(Kind::Rcp),
            "resource" | "trust" => Err(format!(
                "--kind {s}: comparing resource-based and trust policies needs the principal as a dimension, which the comparison does not model yet (docs/compare.md)"
            )),
            other => Err(format!(
                "unknown policy kind {other:?} (identity, boundary, session, scp, rcp)"
            )),
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The identity policy that allows everything, under the filter kinds.
pub(crate) const ALLOW_ALL: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

fn allow_all() -> Policy {
    // The text is a constant known to parse; an empty policy would only make every class
    // deny, which the tests of the filter kinds would catch.
    iamcr_policy::parse(ALLOW_ALL).unwrap_or_else(|_| Policy {
        version: None,
        id: None,
        statements: Vec::new(),
        statement_form: None,
        source: None,
    })
}

/// What to compare.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where the policies sit.
    pub kind: Kind,
    /// Only these actions (globs, as in an `Action` element); empty: all.
    pub actions: Vec<String>,
    /// Only these resources (globs, as in a `Resource` element); empty: all.
    pub resources: Vec<String>,
    /// Product states each pattern search may visit before it gives up (and says so).
    pub search_budget: usize,
    /// Condition-value combinations tried per action and resource before giving up (and
    /// saying so).
    pub combination_budget: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            kind: Kind::Identity,
            actions: Vec::new(),
            resources: Vec::new(),
            search_budget: 20_000,
            combination_budget: 4_096,
        }
    }
}

/// A statement of a compared policy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatementRef {
    /// Its index in the policy.
    pub index: usize,
    /// Its `Sid`.
    pub sid: Option<String>,
}

impl fmt::Display for StatementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sid {
            Some(s) => write!(f, "statement {} ({s})", self.index),
            None => write!(f, "statement {}", self.index),
        }
    }
}

/// Requests NEW allows and OLD does not, for one action and resource type.
#[derive(Debug, Clone)]
pub struct Difference {
    /// The action (`service:Name`).
    pub action: String,
    /// Whether the action is in the catalogue (else it is a name a wildcard or literal of
    /// the policies reaches beyond the catalogue).
    pub catalogued: bool,
    /// The resource type (`*` for an action without resource types, `any` outside the
    /// catalogue).
    pub resource_type: String,
    /// A request NEW allows and OLD does not.
    pub witness: Request,
    /// NEW's statements that allow the witness.
    pub allowed_by: Vec<StatementRef>,
    /// OLD's decision on the witness.
    pub old_decision: Decision,
    /// OLD's statements that deny the witness (for an explicit deny).
    pub denied_by: Vec<StatementRef>,
    /// How many classes of this action and resource type differ.
    pub classes: usize,
}

/// Something the method could not decide completely.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Gap {
    /// The action it concerns, when it concerns one.
    pub action: Option<String>,
    /// NEW's statements involved.
    pub statements: Vec<StatementRef>,
    /// Why.
    pub reason: String,
}

/// The answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Every class was decided and none is allowed by NEW but not OLD.
    NoNewAccess,
    /// Some class is allowed by NEW and not by OLD (with witnesses).
    NewAccess,
    /// No difference was found, but not every class could be decided: NEW might allow more.
    MightAllow,
}

impl Verdict {
    /// As printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::NoNewAccess => "no new access",
            Verdict::NewAccess => "new access",
            Verdict::MightAllow => "might allow new access",
        }
    }
}

/// The result of [`compare`].
#[derive(Debug, Clone)]
pub struct Comparison {
    /// The kind compared.
    pub kind: Kind,
    /// Per action and resource type, in vocabulary order.
    pub differences: Vec<Difference>,
    /// What was not decided completely.
    pub gaps: Vec<Gap>,
    /// Actions in the vocabulary.
    pub actions: usize,
    /// Requests decided (classes).
    pub classes: usize,
}

impl Comparison {
    /// The verdict.
    pub fn verdict(&self) -> Verdict {
        if !self.differences.is_empty() {
            Verdict::NewAccess
        } else if self.gaps.is_empty() {
            Verdict::NoNewAccess
        } else {
            Verdict::MightAllow
        }
    }
}

/// Why a comparison could not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompareError(pub String);

impl fmt::Display for CompareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CompareError {}

/// A statement of either policy, as the method needs it.
struct Stmt {
    new: bool,
    reference: StatementRef,
    actions: Vec<Pattern>,
    action_texts: Vec<String>,
    actions_negated: bool,
    resources: Vec<String>,
    conditions: Vec<(String, KeyUse)>,
    variables: bool,
}

fn statements(policy: &Policy, new: bool) -> Vec<Stmt> {
    let vars = policy.variables_enabled();
    let mut out = Vec::new();
    for (index, s) in policy.statements.iter().enumerate() {
        let s = &s.value;
        let reference = StatementRef {
            index,
            sid: s.sid.as_ref().map(|x| x.value.clone()),
        };
        let (action_texts, actions_negated) = match &s.action {
            Some(a) => (
                a.value.values.iter().map(str::to_string).collect(),
                a.value.negated,
            ),
            None => (Vec::new(), false),
        };
        let resources: Vec<String> = s
            .resource
            .as_ref()
            .map(|r| r.value.values.iter().map(str::to_string).collect())
            .unwrap_or_default();
        let mut conditions = Vec::new();
        let mut variables = vars && resources.iter().any(|r| r.contains("${"));
        if let Some(block) = &s.condition {
            for op in &block.value.operators {
                let OperatorName::Known(operator) = op.operator.value else {
                    continue;
                };
                for k in &op.keys {
                    let values: Vec<String> = k
                        .values
                        .value
                        .items
                        .iter()
                        .map(|v| match &v.value {
                            ConditionValue::String(s) | ConditionValue::Number(s) => s.clone(),
                            ConditionValue::Bool(b) => b.to_string(),
                        })
                        .collect();
                    if vars
                        && operator.base.takes_variables()
                        && values.iter().any(|v| v.contains("${"))
                    {
                        variables = true;
                    }
                    conditions.push((k.key.value.clone(), KeyUse { operator, values }));
                }
            }
        }
        out.push(Stmt {
            new,
            reference,
            actions: action_texts.iter().map(|t| Pattern::action(t)).collect(),
            action_texts,
            actions_negated,
            resources,
            conditions,
            variables,
        });
    }
    out
}

const DEFAULT_ACCOUNT: &str = "111122223333";

/// The requester: a role session in the resource's account (identity policies alone never
/// allow a cross-account request).
fn principal_for(arn: &str) -> Principal {
    let account = iamcr_case::arn::components(arn)
        .nth(4)
        .filter(|a| iamcr_case::AccountId::is_valid(a))
        .unwrap_or(DEFAULT_ACCOUNT);
    Principal::RoleSession {
        role_arn: format!("arn:aws:iam::{account}:role/Analyst"),
        session_arn: Some(format!(
            "arn:aws:sts::{account}:assumed-role/Analyst/analyst-session"
        )),
        account: account.to_string(),
        role_name: "Analyst".into(),
        session_name: Some("analyst-session".into()),
    }
}

/// The policies compiled once, and the request-independent facts about them.
struct Subject<'c> {
    old: Authorizer,
    new: Authorizer,
    stmts: Vec<Stmt>,
    catalogue: &'c Catalogue,
    options: Options,
    filter_actions: Vec<Pattern>,
    filter_resources: Vec<crate::glob::Glob>,
    /// Per class of requests (all but the context): the first differing context
    /// combination and how many differ.
    classes: std::cell::RefCell<HashMap<ClassKey, (Option<usize>, usize)>>,
}

/// Compare: the requests NEW allows and OLD does not.
pub fn compare(old: &Policy, new: &Policy, options: &Options) -> Result<Comparison, CompareError> {
    let catalogue = Catalogue::load().map_err(|e| CompareError(e.to_string()))?;
    let compile = |p: &Policy, which: &str| {
        Authorizer::new(&options.kind.policy_set(p))
            .map_err(|e| CompareError(format!("{which} policy: {e}")))
    };
    let mut stmts = statements(old, false);
    stmts.extend(statements(new, true));
    let subject = Subject {
        old: compile(old, "OLD")?,
        new: compile(new, "NEW")?,
        stmts,
        catalogue,
        options: options.clone(),
        filter_actions: options.actions.iter().map(|a| Pattern::action(a)).collect(),
        filter_resources: options
            .resources
            .iter()
            .map(|r| crate::glob::Glob::new(r, crate::glob::Mode::ResourceElement, false))
            .collect(),
        classes: std::cell::RefCell::new(HashMap::new()),
    };
    Ok(subject.run())
}

/// Per (template, resource patterns): the resource representatives.
type ResourceCache = HashMap<(String, Vec<String>), vocab::ResourceReps>;

impl Subject<'_> {
    fn run(&self) -> Comparison {
        let mut patterns: Vec<String> = self
            .stmts
            .iter()
            .flat_map(|s| s.action_texts.iter().cloned())
            .collect();
        patterns.extend(self.options.actions.iter().cloned());
        patterns.sort();
        patterns.dedup();
        let any_negated = self.stmts.iter().any(|s| s.actions_negated);
        let (actions, names_complete) = vocab::actions(
            self.catalogue,
            &patterns,
            any_negated,
            self.options.search_budget,
        );
        let mut out = Comparison {
            kind: self.options.kind,
            differences: Vec::new(),
            gaps: Vec::new(),
            actions: actions.len(),
            classes: 0,
        };
        if !names_complete {
            out.gaps.push(Gap {
                action: None,
                statements: Vec::new(),
                reason: "the action names outside the catalogue were not all separated (search budget, or a wildcard region whose shortest name is catalogued)".into(),
            });
        }
        let mut resource_cache = ResourceCache::new();
        let mut key_cache: HashMap<Vec<usize>, Vec<KeyDomain>> = HashMap::new();
        for item in &actions {
            self.decide_action(item, &mut resource_cache, &mut key_cache, &mut out);
        }
        out.gaps.sort();
        out.gaps.dedup();
        out
    }

    fn relevant(&self, action_lower: &str, probe: &Request) -> Vec<usize> {
        self.stmts
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                let hit = s
                    .actions
                    .iter()
                    .any(|p| p.matches(action_lower, probe).is_match());
                hit != s.actions_negated
            })
            .map(|(i, _)| i)
            .collect()
    }

    fn decide_action(
        &self,
        item: &ActionItem<'_>,
        resource_cache: &mut ResourceCache,
        key_cache: &mut HashMap<Vec<usize>, Vec<KeyDomain>>,
        out: &mut Comparison,
    ) {
        let lower = item.name.to_ascii_lowercase();
        let probe = Request::new(principal_for(""), &item.name, "*");
        if !self.filter_actions.is_empty()
            && !self
                .filter_actions
                .iter()
                .any(|p| p.matches(&lower, &probe).is_match())
        {
            return;
        }
        let relevant = self.relevant(&lower, &probe);
        if !relevant.iter().any(|&i| self.stmts[i].new) {
            return; // NEW has no statement about it: NEW cannot allow it
        }
        let new_refs = |pred: &dyn Fn(&Stmt) -> bool| -> Vec<StatementRef> {
            relevant
                .iter()
                .map(|&i| &self.stmts[i])
                .filter(|s| s.new && pred(s))
                .map(|s| s.reference.clone())
                .collect()
        };
        let vars = new_refs(&|s| s.variables);
        if relevant.iter().any(|&i| self.stmts[i].variables) {
            out.gaps.push(Gap {
                action: Some(item.name.clone()),
                statements: vars,
                reason: "policy variables: a resource or condition value depends on the request context, which the regions do not follow".into(),
            });
        }
        let mut res_patterns: Vec<String> = relevant
            .iter()
            .flat_map(|&i| self.stmts[i].resources.iter().cloned())
            .collect();
        res_patterns.extend(self.options.resources.iter().cloned());
        res_patterns.sort();
        res_patterns.dedup();
        let res_globs: Vec<crate::glob::Glob> = res_patterns
            .iter()
            .map(|p| crate::glob::Glob::new(p, crate::glob::Mode::ResourceElement, false))
            .collect();
        let keys = key_cache
            .entry(relevant.clone())
            .or_insert_with(|| self.key_domains(&relevant))
            .clone();
        for k in &keys {
            for g in &k.gaps {
                out.gaps.push(Gap {
                    action: Some(item.name.clone()),
                    statements: new_refs(&|s| {
                        s.conditions
                            .iter()
                            .any(|(key, _)| key.eq_ignore_ascii_case(&k.key))
                    }),
                    reason: g.clone(),
                });
            }
        }
        for (type_name, template) in self.resource_types(item) {
            let cache_key = (
                template.map_or_else(String::new, |t| t.as_str().to_string()),
                res_patterns.clone(),
            );
            let reps =
                resource_cache
                    .entry(cache_key)
                    .or_insert_with(|| match (item.action, template) {
                        (Some(_), None) => vocab::ResourceReps {
                            arns: vec!["*".into()],
                            complete: true,
                        },
                        _ => vocab::resources(template, &res_patterns, self.options.search_budget),
                    });
            if !reps.complete {
                out.gaps.push(Gap {
                    action: Some(item.name.clone()),
                    statements: Vec::new(),
                    reason: format!(
                        "resource type {type_name}: the ARN regions were not all visited (search budget)"
                    ),
                });
            }
            let arns = reps.arns.clone();
            self.decide_resources(item, &type_name, &arns, &keys, &relevant, &res_globs, out);
        }
    }

    /// The resource types of an action: its catalogue types with their templates, `*`
    /// for a catalogued action without types, `any` outside the catalogue.
    fn resource_types<'a>(
        &'a self,
        item: &ActionItem<'a>,
    ) -> Vec<(String, Option<&'a ArnTemplate>)> {
        let Some(action) = item.action else {
            return vec![("any".into(), None)];
        };
        let service = self.catalogue.service(action.service_prefix());
        let types: Vec<(String, Option<&ArnTemplate>)> = action
            .resource_types
            .iter()
            .filter_map(|r| {
                let rt = service?.resource_type(&r.resource_type)?;
                Some((rt.name.clone(), Some(&rt.arn_template)))
            })
            .collect();
        if types.is_empty() {
            vec![("*".into(), None)]
        } else {
            types
        }
    }

    fn key_domains(&self, relevant: &[usize]) -> Vec<KeyDomain> {
        let mut by_key: Vec<(String, Vec<KeyUse>)> = Vec::new();
        for &i in relevant {
            for (key, u) in &self.stmts[i].conditions {
                match by_key.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
                    Some((_, uses)) => uses.push(u.clone()),
                    None => by_key.push((key.clone(), vec![u.clone()])),
                }
            }
        }
        by_key
            .iter()
            .map(|(key, uses)| {
                let multi = self
                    .catalogue
                    .condition_key_type(key)
                    .is_some_and(|k| k.multivalued || k.value_type.is_array());
                context::domain(key, uses, multi, self.options.search_budget)
            })
            .collect()
    }

    #[allow(
        clippy::too_many_arguments,
        reason = "one call site; the pieces of one action's work"
    )]
    fn decide_resources(
        &self,
        item: &ActionItem<'_>,
        type_name: &str,
        arns: &[String],
        keys: &[KeyDomain],
        relevant: &[usize],
        res_globs: &[crate::glob::Glob],
        out: &mut Comparison,
    ) {
        let total: usize = keys
            .iter()
            .map(|k| k.reps.len())
            .try_fold(1usize, |acc, n| acc.checked_mul(n))
            .unwrap_or(usize::MAX);
        let budget = self.options.combination_budget;
        if total > budget {
            out.gaps.push(Gap {
                action: Some(item.name.clone()),
                statements: Vec::new(),
                reason: format!(
                    "{total} combinations of condition-key regions; only the first {budget} were decided"
                ),
            });
        }
        let limit = total.min(budget);
        let mut found: Option<usize> = None;
        for arn in arns {
            if !self.filter_resources.is_empty()
                && !self.filter_resources.iter().any(|g| g.matches(arn))
            {
                continue;
            }
            let principal = principal_for(arn);
            let probe = Request::new(principal.clone(), &item.name, arn);
            // Requests that agree on these are decided alike: which statements' actions
            // apply, which of their resource patterns match, the account, and whether the
            // resource's own policy is required (sts:AssumeRole on a role, kms on a key).
            let class = ClassKey {
                relevant: relevant.to_vec(),
                resources: res_globs.iter().map(|g| g.matches(arn)).collect(),
                account: principal.account().unwrap_or_default().to_string(),
                needs_resource_policy: probe.needs_resource_policy(),
            };
            let request = |combo: usize| {
                Request::with_context(
                    principal.clone(),
                    &item.name,
                    arn,
                    None,
                    context_for(keys, combo),
                )
            };
            let cached = self.classes.borrow().get(&class).copied();
            let (first, count) = match cached {
                Some(hit) => hit,
                None => {
                    let result = self.enumerate(&request, limit);
                    out.classes += limit;
                    self.classes.borrow_mut().insert(class, result);
                    result
                }
            };
            let Some(first) = first else { continue };
            let req = request(first);
            let n = self.new.evaluate(&req);
            let o = self.old.evaluate(&req);
            // The witness is re-evaluated as itself: a class key that lumped unlike requests
            // together would show here, and the class is then enumerated for this action.
            let (req, o, count) =
                if n.decision == Decision::Allowed && o.decision != Decision::Allowed {
                    (req, o, count)
                } else {
                    let (Some(f), c) = self.enumerate(&request, limit) else {
                        continue;
                    };
                    out.classes += limit;
                    let req = request(f);
                    let o = self.old.evaluate(&req);
                    (req, o, c)
                };
            match found {
                Some(i) => out.differences[i].classes += count,
                None => {
                    found = Some(out.differences.len());
                    let allowed_by = applied(&self.new, self.options.kind, &req, true);
                    let denied_by = if o.decision == Decision::ExplicitDeny {
                        applied(&self.old, self.options.kind, &req, false)
                    } else {
                        Vec::new()
                    };
                    out.differences.push(Difference {
                        action: item.name.clone(),
                        catalogued: item.action.is_some(),
                        resource_type: type_name.to_string(),
                        witness: req,
                        allowed_by,
                        old_decision: o.decision,
                        denied_by,
                        classes: count,
                    });
                }
            }
        }
    }

    /// Decide the first `limit` context combinations: the first that NEW allows and OLD
    /// does not, and how many do.
    fn enumerate(
        &self,
        request: &dyn Fn(usize) -> Request,
        limit: usize,
    ) -> (Option<usize>, usize) {
        let mut first = None;
        let mut count = 0;
        for combo in 0..limit {
            let req = request(combo);
            if self.new.evaluate(&req).decision != Decision::Allowed
                || self.old.evaluate(&req).decision == Decision::Allowed
            {
                continue;
            }
            first.get_or_insert(combo);
            count += 1;
        }
        (first, count)
    }
}

/// What decides a request besides its context (see `decide_resources`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ClassKey {
    relevant: Vec<usize>,
    resources: Vec<bool>,
    account: String,
    needs_resource_policy: bool,
}

/// The compared policy's statements that applied to a request, Allow or Deny ones.
fn applied(auth: &Authorizer, kind: Kind, req: &Request, allow: bool) -> Vec<StatementRef> {
    let compared = |r: PolicyRef| {
        matches!(
            (kind, r),
            (Kind::Identity, PolicyRef::Identity(_))
                | (Kind::Boundary, PolicyRef::Boundary)
                | (Kind::Session, PolicyRef::Session(_))
                | (Kind::Scp, PolicyRef::Scp(..))
                | (Kind::Rcp, PolicyRef::Rcp(..))
        )
    };
    let mut out: Vec<StatementRef> = auth
        .explain(req)
        .statements
        .iter()
        .filter(|t| t.allow == allow && t.result.is_ok() && compared(t.policy))
        .map(|t| StatementRef {
            index: t.statement,
            sid: t.sid.as_deref().map(str::to_string),
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The context of combination number `combo` (mixed radix over the keys' regions).
fn context_for(keys: &[KeyDomain], mut combo: usize) -> Context {
    let mut ctx = Context::new();
    for k in keys {
        let n = k.reps.len().max(1);
        if let Some(Some(values)) = k.reps.get(combo % n) {
            ctx.insert(&k.key, k.ty, k.multivalued, values.clone());
        }
        combo /= n;
    }
    ctx
}
