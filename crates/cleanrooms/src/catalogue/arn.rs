//! Structured ARN templates such as
//! `arn:${Partition}:cleanrooms:${Region}:${Account}:membership/${MembershipId}`.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::pattern::{self, TemplatePart, TemplateSyntaxError, Tok};

/// The five ARN components after the literal `arn` prefix, in order.
const COMPONENTS: [&str; 5] = ["partition", "service", "region", "account", "resource"];

/// An ARN template from the service catalogue, parsed into its six components.
///
/// The first component is always the literal `arn`; each of the other five is a sequence of
/// literal text and `${Var}` placeholders. An empty component (S3 buckets have
/// `arn:${Partition}:s3:::${BucketName}`) matches only an empty ARN component; a placeholder
/// matches one or more characters. Placeholders in the resource part may span `/` and `:`
/// because names such as `${RoleNameWithPath}`, `${ObjectName}` and `${LogGroupName}` contain
/// them; [`Catalogue::resource_type_of_arn`](super::Catalogue::resource_type_of_arn) therefore
/// ranks matches by [`ArnTemplate::specificity`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ArnTemplate {
    raw: String,
    components: [Vec<TemplatePart>; 5],
    tokens: [Vec<Tok>; 5],
}

/// Why an ARN template could not be parsed or instantiated.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArnTemplateError {
    /// The template does not start with `arn:` or has fewer than six `:`-separated components.
    NotArn {
        /// The offending template.
        template: String,
    },
    /// A placeholder is malformed.
    Syntax {
        /// The offending template.
        template: String,
        /// Which component (`partition`, `service`, `region`, `account`, `resource`).
        component: &'static str,
        /// What is wrong.
        error: TemplateSyntaxError,
    },
    /// [`ArnTemplate::instantiate`] was not given a value for this placeholder.
    MissingVariable {
        /// The template being instantiated.
        template: String,
        /// The placeholder name, without `${`/`}`.
        name: String,
    },
}

impl fmt::Display for ArnTemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotArn { template } => {
                write!(
                    f,
                    "ARN template {template:?} does not have the form arn:p:s:r:a:res"
                )
            }
            Self::Syntax {
                template,
                component,
                error,
            } => {
                write!(
                    f,
                    "ARN template {template:?}: {error} in the {component} component"
                )
            }
            Self::MissingVariable { template, name } => {
                write!(f, "ARN template {template:?}: no value for ${{{name}}}")
            }
        }
    }
}

impl std::error::Error for ArnTemplateError {}

impl TryFrom<String> for ArnTemplate {
    type Error = ArnTemplateError;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<ArnTemplate> for String {
    fn from(t: ArnTemplate) -> Self {
        t.raw
    }
}

impl fmt::Display for ArnTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

/// Splits an ARN into its five components after `arn:`; the resource keeps any further `:`.
pub(crate) fn split_arn(arn: &str) -> Option<[&str; 5]> {
    iamcr_case::Arn::parse(arn).ok().map(|a| a.fields())
}

/// An ARN split once, so one ARN can be tested against many templates cheaply.
#[derive(Debug)]
pub(crate) struct SplitArn<'a> {
    pub(crate) service: &'a str,
    parts: [pattern::Text<'a>; 5],
}

impl<'a> SplitArn<'a> {
    pub(crate) fn new(arn: &'a str) -> Option<Self> {
        let parts = split_arn(arn)?;
        Some(Self {
            service: parts[1],
            parts: parts.map(pattern::Text::new),
        })
    }
}

impl ArnTemplate {
    /// Parses a template such as
    /// `arn:${Partition}:cleanrooms:${Region}:${Account}:membership/${MembershipId}`.
    pub fn parse(template: &str) -> Result<Self, ArnTemplateError> {
        let not_arn = || ArnTemplateError::NotArn {
            template: template.to_owned(),
        };
        let raw = split_arn(template).ok_or_else(not_arn)?;
        if raw[4].is_empty() {
            return Err(not_arn());
        }
        let mut components: [Vec<TemplatePart>; 5] = Default::default();
        for (i, text) in raw.iter().enumerate() {
            components[i] =
                pattern::parse_template(text, false).map_err(|error| ArnTemplateError::Syntax {
                    template: template.to_owned(),
                    component: COMPONENTS[i],
                    error,
                })?;
        }
        let tokens = components
            .clone()
            .map(|c| pattern::template_tokens(&c, false));
        Ok(Self {
            raw: template.to_owned(),
            components,
            tokens,
        })
    }

    /// The template text as in the source data.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// The partition component (normally just `${Partition}`).
    pub fn partition(&self) -> &[TemplatePart] {
        &self.components[0]
    }

    /// The service component (normally a literal such as `cleanrooms`; note that some
    /// resource types use another service's namespace, e.g. STS `role` is an `iam` ARN).
    pub fn service(&self) -> &[TemplatePart] {
        &self.components[1]
    }

    /// The region component; empty for regionless resources such as S3 buckets.
    pub fn region(&self) -> &[TemplatePart] {
        &self.components[2]
    }

    /// The account component; empty for resources such as S3 buckets.
    pub fn account(&self) -> &[TemplatePart] {
        &self.components[3]
    }

    /// The resource component: literal segments and placeholders.
    pub fn resource(&self) -> &[TemplatePart] {
        &self.components[4]
    }

    /// All placeholder names in order of appearance (a name may repeat).
    pub fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.components.iter().flatten().filter_map(|p| match p {
            TemplatePart::Placeholder(name) => Some(name.as_str()),
            TemplatePart::Literal(_) => None,
        })
    }

    /// How many literal characters the template fixes; more means more specific.
    pub fn specificity(&self) -> usize {
        self.components
            .iter()
            .map(|c| pattern::literal_len(c))
            .sum()
    }

    /// Whether a concrete ARN fits this template.
    ///
    /// Literals compare case-sensitively (ARNs are case-sensitive); each placeholder matches
    /// one or more characters. Wildcards in `arn` are not interpreted.
    pub fn match_arn(&self, arn: &str) -> bool {
        SplitArn::new(arn).is_some_and(|s| self.matches_split(&s))
    }

    pub(crate) fn matches_split(&self, arn: &SplitArn<'_>) -> bool {
        // The resource first: it is where most templates of a service differ.
        [4, 0, 1, 2, 3]
            .iter()
            .all(|&i| pattern::matches_text(&self.tokens[i], &arn.parts[i]))
    }

    /// Replaces every placeholder with the value given for its name (names are exact, e.g.
    /// `Partition`, `Region`, `Account`, `MembershipId`).
    pub fn instantiate(&self, vars: &[(&str, &str)]) -> Result<String, ArnTemplateError> {
        let mut out = String::from("arn");
        for component in &self.components {
            out.push(':');
            for part in component {
                match part {
                    TemplatePart::Literal(s) => out.push_str(s),
                    TemplatePart::Placeholder(name) => {
                        let value = vars
                            .iter()
                            .find_map(|(k, v)| (*k == name.as_str()).then_some(*v))
                            .ok_or_else(|| ArnTemplateError::MissingVariable {
                                template: self.raw.clone(),
                                name: name.clone(),
                            })?;
                        out.push_str(value);
                    }
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: &str = "arn:${Partition}:cleanrooms:${Region}:${Account}:membership/${MembershipId}/analysistemplate/${AnalysisTemplateId}";

    #[test]
    fn parses_components() {
        let t = ArnTemplate::parse(AT).unwrap();
        assert_eq!(
            t.partition(),
            &[TemplatePart::Placeholder("Partition".into())]
        );
        assert_eq!(t.service(), &[TemplatePart::Literal("cleanrooms".into())]);
        assert_eq!(t.resource().len(), 4);
        assert_eq!(
            t.placeholders().collect::<Vec<_>>(),
            [
                "Partition",
                "Region",
                "Account",
                "MembershipId",
                "AnalysisTemplateId"
            ]
        );
        assert_eq!(t.as_str(), AT);
    }

    #[test]
    fn matches_and_instantiates() {
        let t = ArnTemplate::parse(AT).unwrap();
        let arn = t
            .instantiate(&[
                ("Partition", "aws"),
                ("Region", "us-east-1"),
                ("Account", "111122223333"),
                ("MembershipId", "m-1"),
                ("AnalysisTemplateId", "a-1"),
            ])
            .unwrap();
        assert_eq!(
            arn,
            "arn:aws:cleanrooms:us-east-1:111122223333:membership/m-1/analysistemplate/a-1"
        );
        assert!(t.match_arn(&arn));
        assert!(!t.match_arn("arn:aws:cleanrooms:us-east-1:111122223333:membership/m-1"));
        assert!(!t.match_arn("arn:aws:cleanrooms:us-east-1::membership/m/analysistemplate/a"));
        assert!(!t.match_arn("arn:aws:Cleanrooms:us-east-1:1:membership/m/analysistemplate/a"));
        assert!(!t.match_arn("not an arn"));
        let err = t.instantiate(&[("Partition", "aws")]).unwrap_err();
        assert!(
            matches!(err, ArnTemplateError::MissingVariable { ref name, .. } if name == "Region")
        );
    }

    #[test]
    fn empty_components() {
        let bucket = ArnTemplate::parse("arn:${Partition}:s3:::${BucketName}").unwrap();
        assert!(bucket.region().is_empty() && bucket.account().is_empty());
        assert!(bucket.match_arn("arn:aws:s3:::my-bucket"));
        assert!(!bucket.match_arn("arn:aws:s3:us-east-1::my-bucket"));
        assert!(!bucket.match_arn("arn:aws:s3:::"));
        // The resource part keeps its own colons.
        let stream = ArnTemplate::parse(
            "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}",
        )
        .unwrap();
        assert!(stream.match_arn("arn:aws:logs:eu-west-1:1:log-group:/a/b:log-stream:s"));
    }

    #[test]
    fn rejects_malformed() {
        assert!(matches!(
            ArnTemplate::parse("arn:aws:s3"),
            Err(ArnTemplateError::NotArn { .. })
        ));
        assert!(matches!(
            ArnTemplate::parse("xrn:a:b:c:d:e"),
            Err(ArnTemplateError::NotArn { .. })
        ));
        assert!(matches!(
            ArnTemplate::parse("arn:${Partition:s3:::x"),
            Err(ArnTemplateError::Syntax { .. })
        ));
        let err: Result<ArnTemplate, _> = serde_json::from_str("\"arn:x\"");
        assert!(err.is_err());
    }
}
