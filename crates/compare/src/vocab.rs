//! The finite vocabulary: the actions to decide (catalogue actions of every service either
//! policy names, plus one name per region the action patterns leave outside the catalogue)
//! and, per action and resource type, the resource ARNs that separate every pattern.

use crate::glob::{self, Glob, Mode, Tok};
use iamcr_cleanrooms::catalogue::{Action, ArnTemplate, Catalogue, TemplatePart};
use std::collections::HashSet;

/// An action to decide.
#[derive(Debug, Clone)]
pub struct ActionItem<'c> {
    /// `service:Name` as the catalogue spells it, or the searched name.
    pub name: String,
    /// The catalogue entry; `None` for a name outside the catalogue.
    pub action: Option<&'c Action>,
}

/// The actions to decide for these action patterns (`Action` and `NotAction` values of both
/// policies, plus any filter), and whether the search for names outside the catalogue
/// visited every region.
pub fn actions<'c>(
    catalogue: &'c Catalogue,
    patterns: &[String],
    any_negated: bool,
    budget: usize,
) -> (Vec<ActionItem<'c>>, bool) {
    let wide = any_negated
        || patterns.iter().any(|p| match p.split_once(':') {
            Some((svc, _)) => svc.contains(['*', '?']),
            None => true,
        });
    let mut out: Vec<ActionItem<'c>> = Vec::new();
    let mut known: HashSet<String> = HashSet::new();
    let mut push = |a: &'c Action, out: &mut Vec<ActionItem<'c>>| {
        let name = a.full_name();
        if known.insert(name.to_ascii_lowercase()) {
            out.push(ActionItem {
                name,
                action: Some(a),
            });
        }
    };
    if wide {
        for a in catalogue.actions() {
            push(a, &mut out);
        }
    } else {
        let mut prefixes: Vec<String> = patterns
            .iter()
            .filter_map(|p| p.split_once(':').map(|(s, _)| s.to_ascii_lowercase()))
            .collect();
        prefixes.sort();
        prefixes.dedup();
        for prefix in prefixes {
            if let Some(svc) = catalogue.service(&prefix) {
                for a in svc.actions() {
                    push(a, &mut out);
                }
            }
        }
    }
    // One name per region of the action patterns that is not a catalogue action: future or
    // uncatalogued actions a wildcard grants, and literal names the catalogue lacks.
    let globs: Vec<Glob> = patterns
        .iter()
        .map(|p| Glob::new(p, Mode::Plain, true))
        .collect();
    let any_action = Glob::from_tokens(vec![
        Tok::OneSeg,
        Tok::StarSeg,
        Tok::Lit(':'),
        Tok::One,
        Tok::Star,
    ]);
    let s = glob::separate(&any_action, &globs, budget);
    let mut complete = s.complete;
    for (name, sig) in s.regions {
        if !any_negated && !sig.iter().any(|m| *m) {
            continue; // no pattern names it: no statement can apply
        }
        let mut name = name;
        if catalogue.action(&name).is_some() {
            // The region's shortest name is a catalogue action. A region some literal pins is
            // that one name; a wildcard region has others: find one outside the catalogue.
            if !region_is_wider(&globs, &sig) {
                continue;
            }
            match other_name(catalogue, &globs, &sig, &name) {
                Some(n) => name = n,
                None => {
                    complete = false;
                    continue;
                }
            }
        }
        let lower = name.to_ascii_lowercase();
        // A literal of the policies keeps its spelling (patterns were searched folded).
        if let Some(p) = patterns.iter().find(|p| p.eq_ignore_ascii_case(&name)) {
            name = p.clone();
        }
        if known.insert(lower) {
            out.push(ActionItem { name, action: None });
        }
    }
    (out, complete)
}

/// Whether a region may hold more than one name: no literal (wildcard-free) glob pins it.
fn region_is_wider(globs: &[Glob], sig: &[bool]) -> bool {
    !globs.iter().zip(sig).any(|(g, m)| *m && !g.has_wildcard())
}

/// Another name of the same region that is not a catalogue action: the name with filler
/// characters appended or inserted after the colon.
fn other_name(catalogue: &Catalogue, globs: &[Glob], sig: &[bool], name: &str) -> Option<String> {
    let (service, action) = name.split_once(':')?;
    let candidates = ["x", "xx", "q", "z"]
        .into_iter()
        .flat_map(|f| [format!("{name}{f}"), format!("{service}:{f}{action}")]);
    for c in candidates {
        let same = globs.iter().zip(sig).all(|(g, m)| g.matches(&c) == *m);
        if same && catalogue.action(&c).is_none() {
            return Some(c);
        }
    }
    None
}

/// The resources to try for one action against one resource type.
#[derive(Debug, Clone)]
pub struct ResourceReps {
    /// One ARN per region, readable ones first.
    pub arns: Vec<String>,
    /// Whether every region was visited.
    pub complete: bool,
}

/// Readable values for template placeholders.
fn nice(name: &str) -> &'static str {
    match name {
        "Partition" => "aws",
        "Region" => "us-east-1",
        "Account" => "111122223333",
        _ => "example",
    }
}

/// The glob of every ARN a template describes: placeholders are one or more characters
/// (without `:` before the resource part, without `/` in identifiers), and an account is 12
/// digits.
fn template_glob(t: &ArnTemplate) -> Glob {
    let comps: [&[TemplatePart]; 5] = [
        t.partition(),
        t.service(),
        t.region(),
        t.account(),
        t.resource(),
    ];
    let mut toks: Vec<Tok> = "arn:".chars().map(Tok::Lit).collect();
    for (i, comp) in comps.iter().enumerate() {
        if i > 0 {
            toks.push(Tok::Lit(':'));
        }
        for part in *comp {
            match part {
                TemplatePart::Literal(s) => toks.extend(s.chars().map(Tok::Lit)),
                TemplatePart::Placeholder(_) if i == 3 => {
                    toks.extend(std::iter::repeat_n(Tok::Digit, 12));
                }
                TemplatePart::Placeholder(_) if i < 4 => toks.extend([Tok::OneSeg, Tok::StarSeg]),
                // Identifiers (`${MembershipId}`, `${ResourceId}`) hold no `/`: otherwise a
                // membership ARN could end in `/configuredtableassociation/x` and stand for
                // another resource type. Names and paths (`${ObjectName}`,
                // `${RoleNameWithPath}`, `${LogGroupName}`) may hold `/`.
                TemplatePart::Placeholder(n) if n.ends_with("Id") => {
                    toks.extend([Tok::IdOne, Tok::IdStar]);
                }
                TemplatePart::Placeholder(_) => toks.extend([Tok::One, Tok::Star]),
            }
        }
    }
    Glob::from_tokens(toks)
}

/// A pattern with its wildcards filled in readably: a component that is only `*` gets the
/// template's usual value, other wildcards `fill` (or `x` for `?`).
fn fill(pattern: &str, fill: &str) -> String {
    let parts: Vec<&str> = iamcr_case::arn::components(pattern).collect();
    let defaults = ["arn", "aws", "", "us-east-1", "111122223333"];
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if *p == "*" && i < 5 && !defaults[i].is_empty() {
                defaults[i].to_string()
            } else {
                p.replace('*', fill).replace('?', "x")
            }
        })
        .collect::<Vec<_>>()
        .join(":")
}

/// One ARN per region the resource patterns cut the template's ARNs into; `None` template:
/// any resource string (for actions outside the catalogue), `*` included.
pub fn resources(
    template: Option<&ArnTemplate>,
    patterns: &[String],
    budget: usize,
) -> ResourceReps {
    let constraint = template.map_or_else(|| Glob::new("*", Mode::Plain, false), template_glob);
    let globs: Vec<Glob> = patterns
        .iter()
        .map(|p| Glob::new(p, Mode::ResourceElement, false))
        .collect();
    let mut seen: HashSet<Vec<bool>> = HashSet::new();
    let mut arns = Vec::new();
    let mut consider = |arn: String, arns: &mut Vec<String>| {
        if !constraint.matches(&arn) {
            return;
        }
        let sig: Vec<bool> = globs.iter().map(|g| g.matches(&arn)).collect();
        if seen.insert(sig) {
            arns.push(arn);
        }
    };
    if let Some(t) = template {
        let vars: Vec<(&str, &str)> = t.placeholders().map(|n| (n, nice(n))).collect();
        if let Ok(arn) = t.instantiate(&vars) {
            consider(arn, &mut arns);
        }
    } else {
        consider("*".to_string(), &mut arns);
    }
    for p in patterns {
        for f in ["", "example"] {
            consider(fill(p, f), &mut arns);
        }
    }
    let s = glob::separate(&constraint, &globs, budget);
    for (arn, _) in s.regions {
        consider(arn, &mut arns);
    }
    ResourceReps {
        arns,
        complete: s.complete,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_regions_follow_the_template() {
        let cat = Catalogue::load().unwrap();
        let (_, rt) = cat
            .resource_type_of_arn("arn:aws:iam::111122223333:role/x")
            .unwrap();
        let pats = vec!["arn:aws:iam::*:role/service-role/*cleanrooms*".to_string()];
        let reps = resources(Some(&rt.arn_template), &pats, 50_000);
        assert!(reps.complete);
        let g = Glob::new(&pats[0], Mode::ResourceElement, false);
        assert!(reps.arns.iter().any(|a| g.matches(a)), "{:?}", reps.arns);
        assert!(reps.arns.iter().any(|a| !g.matches(a)), "{:?}", reps.arns);
        assert!(reps.arns.iter().all(|a| rt.arn_template.match_arn(a)));
    }
}
