//! The decision of an authorization request: the one type every crate uses (the model's
//! answer, a case's expectation, the simulator's `EvalDecision`).

use serde::{Deserialize, Serialize};
use std::fmt;

/// The simulator's `EvalDecision`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Decision {
    /// `allowed`.
    Allowed,
    /// `explicitDeny`.
    ExplicitDeny,
    /// `implicitDeny`.
    ImplicitDeny,
}

impl Decision {
    /// Every decision.
    pub const ALL: [Decision; 3] = [
        Decision::Allowed,
        Decision::ExplicitDeny,
        Decision::ImplicitDeny,
    ];

    /// The name as the simulator spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::ExplicitDeny => "explicitDeny",
            Decision::ImplicitDeny => "implicitDeny",
        }
    }

    /// The decision the simulator spells `s`.
    pub fn parse(s: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back() {
        for d in Decision::ALL {
            assert_eq!(Decision::parse(d.as_str()), Some(d));
            assert_eq!(
                serde_json::to_string(&d).ok(),
                Some(format!("\"{}\"", d.as_str()))
            );
        }
        assert_eq!(Decision::parse("Allowed"), None);
    }
}
