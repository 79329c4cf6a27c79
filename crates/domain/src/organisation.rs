//! Organisations that take part in the exchange and the roles their API clients hold.

use crate::ids::OrganisationCode;

string_enum! {
    /// What an organisation is to the exchange.
    OrganisationKind {
        ClaimantRepresentative => "claimant_representative",
        Compensator => "compensator",
        Operator => "operator",
    }
}

string_enum! {
    /// The sort of compensator, which changes some periods (the MIB has longer to decide).
    CompensatorType {
        Insurer => "insurer",
        Mib => "mib",
        SelfInsured => "self_insured",
        Tpa => "tpa",
    }
}

string_enum! {
    /// What an API client may do.
    Role {
        /// Submit, read and act on the organisation's claims.
        Claims => "claims",
        /// Use the operator endpoints.
        Operator => "operator",
    }
}

impl OrganisationKind {
    /// The letters every code of this kind starts with.
    pub fn code_prefix(self) -> &'static str {
        match self {
            OrganisationKind::ClaimantRepresentative => "CR",
            OrganisationKind::Compensator => "CM",
            OrganisationKind::Operator => "OP",
        }
    }

    /// The role an API client of this kind of organisation is given.
    pub fn client_role(self) -> Role {
        match self {
            OrganisationKind::Operator => Role::Operator,
            _ => Role::Claims,
        }
    }
}

/// An organisation as the rest of the domain needs to know it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Organisation {
    pub code: OrganisationCode,
    pub kind: OrganisationKind,
    pub name: String,
    pub compensator_type: Option<CompensatorType>,
    pub group: Option<String>,
}

impl Organisation {
    pub fn is_compensator(&self) -> bool {
        self.kind == OrganisationKind::Compensator
    }
}

/// Why a new organisation's details cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrganisationRuleError {
    #[error("a compensator needs a compensator_type")]
    CompensatorTypeMissing,
    #[error("only compensators have a compensator_type or a group")]
    CompensatorFieldsOnNonCompensator,
    #[error("the code must start with {expected}")]
    CodePrefix { expected: &'static str },
}

/// Checks that a new organisation's kind, code (when chosen rather than allocated) and
/// compensator details agree.
pub fn check_new_organisation(
    kind: OrganisationKind,
    code: Option<&OrganisationCode>,
    compensator_type: Option<CompensatorType>,
    group: Option<&str>,
) -> Vec<(&'static str, OrganisationRuleError)> {
    let mut problems = Vec::new();
    if code.is_some_and(|code| !code.as_str().starts_with(kind.code_prefix())) {
        problems.push(("code", OrganisationRuleError::CodePrefix { expected: kind.code_prefix() }));
    }
    match kind {
        OrganisationKind::Compensator if compensator_type.is_none() => {
            problems.push(("compensator_type", OrganisationRuleError::CompensatorTypeMissing));
        }
        OrganisationKind::Compensator => {}
        _ => {
            if compensator_type.is_some() {
                problems.push(("compensator_type", OrganisationRuleError::CompensatorFieldsOnNonCompensator));
            }
            if group.is_some() {
                problems.push(("group", OrganisationRuleError::CompensatorFieldsOnNonCompensator));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> OrganisationCode {
        OrganisationCode::parse(s).expect("valid code")
    }

    #[test]
    fn a_compensator_must_say_what_sort_it_is() {
        let problems =
            check_new_organisation(OrganisationKind::Compensator, Some(&code("CM00009")), None, None);
        assert_eq!(problems, vec![("compensator_type", OrganisationRuleError::CompensatorTypeMissing)]);
    }

    #[test]
    fn codes_carry_the_prefix_of_their_kind() {
        let problems = check_new_organisation(
            OrganisationKind::ClaimantRepresentative,
            Some(&code("CM00009")),
            None,
            Some("group"),
        );
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].0, "code");
        assert_eq!(problems[1].0, "group");
    }

    #[test]
    fn enum_text_round_trips() {
        for kind in OrganisationKind::ALL {
            assert_eq!(OrganisationKind::parse(kind.as_str()), Some(*kind));
        }
        assert_eq!(CompensatorType::parse("mib"), Some(CompensatorType::Mib));
        assert_eq!(Role::parse("admin"), None);
    }
}
