//! ARN shape checks and matching of policy ARN patterns against catalogue ARN templates.

use crate::catalogue::{ArnTemplate, TemplatePart};
use iamcr_case::arn::{self, AccountId};

/// What is wrong with an ARN-shaped string (one that starts with `arn:`).
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ArnProblems {
    /// Structural problems: the string is not an ARN at all.
    pub(crate) malformed: Vec<String>,
    /// Fields that hold documentation placeholders instead of real values.
    pub(crate) placeholders: Vec<String>,
}

impl ArnProblems {
    /// No problem found.
    pub(crate) fn is_empty(&self) -> bool {
        self.malformed.is_empty() && self.placeholders.is_empty()
    }

    /// A message naming every problem of `value`.
    pub(crate) fn message(&self, value: &str) -> String {
        let mut parts = Vec::new();
        if !self.malformed.is_empty() {
            parts.push(format!(
                "malformed ARN {value:?}: {}",
                self.malformed.join("; ")
            ));
        }
        if !self.placeholders.is_empty() {
            let lead = if parts.is_empty() {
                format!("placeholder left in ARN {value:?}: ")
            } else {
                "placeholder left in: ".to_string()
            };
            parts.push(format!("{lead}{}", self.placeholders.join(", ")));
        }
        parts.join("; ")
    }
}

/// Whether a component is free to hold anything: a wildcard or a policy variable.
fn is_open(component: &str) -> bool {
    component.contains(['*', '?']) || component.contains("${")
}

/// `us-east-1`, `us-gov-west-1`, `eusc-de-east-1`, `us-isob-east-1`: letters, dash-separated
/// words, a final number.
fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let Some((last, words)) = parts.split_last() else {
        return false;
    };
    words.len() >= 2
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
        && words
            .iter()
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
}

/// Check an ARN-shaped string. `None` when the string does not start with `arn:`.
pub(crate) fn problems(value: &str) -> Option<ArnProblems> {
    if !value.starts_with("arn:") {
        return None;
    }
    let mut p = ArnProblems::default();
    // Up to five components after `arn:` (a malformed ARN still has its partition checked).
    let parts: Vec<&str> = arn::components(value).skip(1).collect();
    if parts.len() < 5 {
        p.malformed.push(format!(
            "{} of the six colon-separated components \
             (arn:partition:service:region:account:resource)",
            parts.len() + 1
        ));
    }
    let field = |i: usize| parts.get(i).copied();
    if let Some(partition) = field(0)
        && !is_open(partition)
        && !arn::is_partition(partition)
    {
        let hint = if "aws".starts_with(partition) || partition.starts_with("aw") {
            " (did you mean \"aws\"?)"
        } else {
            ""
        };
        p.malformed
            .push(format!("unknown partition {partition:?}{hint}"));
    }
    if field(1).is_some_and(str::is_empty) {
        p.malformed.push("no service".to_string());
    }
    if parts.len() == 5 {
        if let Some(region) = field(2)
            && !region.is_empty()
            && !is_open(region)
            && !is_region(region)
        {
            p.placeholders
                .push(format!("region {region:?} is not an AWS Region"));
        }
        if let Some(account) = field(3)
            && !account.is_empty()
            && !is_open(account)
            && !AccountId::is_valid(account)
            && account != "aws"
        {
            p.placeholders
                .push(format!("account {account:?} is not a 12-digit account ID"));
        }
        let resource = field(4).unwrap_or("");
        if resource.is_empty() {
            p.malformed.push("empty resource component".to_string());
        }
        if let Some(start) = resource.find('<')
            && let Some(len) = resource[start..].find('>')
        {
            let ph = &resource[start..start + len + 1];
            p.placeholders.push(format!("{ph:?} in the resource"));
        }
    }
    Some(p)
}

/// A wildcard token: both policy patterns and catalogue templates reduce to these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Lit(char),
    One,
    Star,
}

/// Tokens of one component of a policy ARN: `*`, `?`, and `${…}` policy variables (which
/// can stand for anything) are wildcards.
fn pattern_tokens(component: &str) -> Vec<Tok> {
    let mut toks = Vec::new();
    let mut rest = component;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("${")
            && let Some(end) = rest.find('}')
        {
            toks.push(Tok::Star);
            rest = &rest[end + 1..];
            continue;
        }
        toks.push(match c {
            '*' => Tok::Star,
            '?' => Tok::One,
            c => Tok::Lit(c),
        });
        rest = &rest[c.len_utf8()..];
    }
    toks
}

/// Tokens of a template component: a placeholder is one or more characters.
fn template_tokens(parts: &[TemplatePart]) -> Vec<Tok> {
    let mut toks = Vec::new();
    for p in parts {
        match p {
            TemplatePart::Literal(s) => toks.extend(s.chars().map(Tok::Lit)),
            TemplatePart::Placeholder(_) => toks.extend([Tok::One, Tok::Star]),
        }
    }
    toks
}

/// Whether some string matches both token sequences. A search over pairs of positions: each
/// step consumes one token of either side, or one character both sides produce.
fn overlap(a: &[Tok], b: &[Tok]) -> bool {
    let (n, m) = (a.len(), b.len());
    let mut seen = vec![false; (n + 1) * (m + 1)];
    let mut stack = vec![(0usize, 0usize)];
    let produces_char = |t: Option<Tok>| matches!(t, Some(Tok::Lit(_) | Tok::One));
    while let Some((i, j)) = stack.pop() {
        let idx = i * (m + 1) + j;
        match seen.get_mut(idx) {
            Some(s) if !*s => *s = true,
            _ => continue,
        }
        if i == n && j == m {
            return true;
        }
        let (ta, tb) = (a.get(i).copied(), b.get(j).copied());
        if ta == Some(Tok::Star) {
            stack.push((i + 1, j));
            if produces_char(tb) {
                stack.push((i, j + 1));
            }
        }
        if tb == Some(Tok::Star) {
            stack.push((i, j + 1));
            if produces_char(ta) {
                stack.push((i + 1, j));
            }
        }
        let same_char = match (ta, tb) {
            (Some(Tok::Lit(x)), Some(Tok::Lit(y))) => x == y,
            (Some(Tok::One), t) | (t, Some(Tok::One)) => produces_char(t),
            _ => false,
        };
        if same_char {
            stack.push((i + 1, j + 1));
        }
    }
    false
}

/// Whether a `Resource` pattern can name a resource of this template. `*` names everything;
/// otherwise the five components after `arn:` are compared one by one (IAM matches ARNs
/// component-wise; the resource component keeps any further colons).
pub(crate) fn pattern_matches_template(pattern: &str, template: &ArnTemplate) -> bool {
    if pattern == "*" {
        return true;
    }
    let Ok(parts) = iamcr_case::Arn::parse(pattern) else {
        return false;
    };
    let components = [
        template.partition(),
        template.service(),
        template.region(),
        template.account(),
        template.resource(),
    ];
    parts
        .fields()
        .iter()
        .zip(components)
        .all(|(p, t)| overlap(&pattern_tokens(p), &template_tokens(t)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> ArnTemplate {
        ArnTemplate::parse(s).unwrap()
    }

    #[test]
    fn patterns_against_templates() {
        let object = t("arn:${Partition}:s3:::${BucketName}/${ObjectName}");
        let bucket = t("arn:${Partition}:s3:::${BucketName}");
        assert!(pattern_matches_template("arn:aws:s3:::b/*", &object));
        assert!(!pattern_matches_template("arn:aws:s3:::b", &object));
        assert!(pattern_matches_template("arn:aws:s3:::b", &bucket));
        assert!(pattern_matches_template("arn:aws:s3:::cr*", &object));
        assert!(pattern_matches_template("arn:aws:s3:::cr*", &bucket));
        assert!(!pattern_matches_template("arn:aws:s3:::", &bucket));
        let table =
            t("arn:${Partition}:glue:${Region}:${Account}:table/${DatabaseName}/${TableName}");
        assert!(!pattern_matches_template(
            "arn:aws:glue:r:a:table/table",
            &table
        ));
        assert!(pattern_matches_template(
            "arn:aws:glue:r:a:table/d/t",
            &table
        ));
        assert!(pattern_matches_template("arn:aws:glue:*:*:table/*", &table));
        let user = t("arn:${Partition}:iam::${Account}:user/${UserNameWithPath}");
        assert!(pattern_matches_template(
            "arn:aws:iam::*:user/${aws:username}",
            &user
        ));
        assert!(pattern_matches_template("*", &user));
    }

    #[test]
    fn overlap_of_two_globs() {
        let p = |s: &str| pattern_tokens(s);
        assert!(overlap(&p("a*"), &p("*b")));
        assert!(!overlap(&p("a*"), &p("b*")));
        assert!(overlap(&p("a?c"), &p("*c")));
        assert!(!overlap(&p("a?"), &p("a")));
        assert!(overlap(&p(""), &p("*")));
        assert!(!overlap(&p(""), &[Tok::One, Tok::Star]));
    }

    #[test]
    fn arn_problems() {
        assert!(problems("arn:aws:s3:::bucket").unwrap().is_empty());
        assert!(problems("arn:aws:iam::aws:policy/x").unwrap().is_empty());
        assert!(
            problems("arn:aws:logs:*:*:log-group:/a")
                .unwrap()
                .is_empty()
        );
        assert!(
            problems("arn:aws:glue:us-gov-west-1:111122223333:x")
                .unwrap()
                .is_empty()
        );
        let p = problems("arn:aw:cleanrooms-ml:region:account:training-dataset/*").unwrap();
        assert_eq!(p.malformed.len(), 1);
        assert_eq!(p.placeholders.len(), 2);
        assert_eq!(
            problems("arn:aws:s3::bucket/prefix/*")
                .unwrap()
                .malformed
                .len(),
            1
        );
        let p = problems("arn:aws:cleanrooms:us-east-1:111122223333:membership/<m-id>").unwrap();
        assert_eq!(
            p.placeholders,
            vec!["\"<m-id>\" in the resource".to_string()]
        );
        assert!(problems("not an arn").is_none());
    }
}
