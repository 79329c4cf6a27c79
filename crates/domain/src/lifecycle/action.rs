//! What a party asks of a claim. The request bodies are defined here (each action its own
//! shape, validated field by field); the state machine receives them as [`Action`]s.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::state::{
    CompensatorContact, ContributoryNegligence, ExitReason, LiabilityOutcome, RejectionReason,
};
use crate::cnf::ValidatedCnf;
use crate::organisation::Organisation;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

string_enum! {
    /// The actions of the lifecycle, named as in the protocol.
    ActionKind {
        Acknowledge => "acknowledge",
        Reject => "reject",
        Resubmit => "resubmit",
        Reassign => "reassign",
        DecideLiability => "decide_liability",
        DeclareArticle75 => "declare_article_75",
        AllegeFraud => "allege_fraud",
        Exit => "exit",
        Withdraw => "withdraw",
        ExtendConsiderationPeriod => "extend_consideration_period",
    }
}

impl ActionKind {
    /// The action's name in a URL: `decide-liability`.
    pub fn path_segment(self) -> String {
        self.as_str().replace('_', "-")
    }
}

/// `acknowledge`: the compensator confirms receipt and gives its own reference.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({ "compensator_reference": "NMI/CL/2025/0042" })))]
#[serde(deny_unknown_fields)]
pub struct AcknowledgeInput {
    /// The compensator's own reference: at most 50 letters, digits, spaces, `/`, `.` or `-`.
    #[validate(custom(function = "crate::cnf::checks::case_reference"))]
    pub compensator_reference: String,
}

/// `reject`: the CNF cannot be accepted as sent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({ "reason": "wrong_compensator", "comment": "Our insured's policy lapsed before the accident." })))]
#[serde(deny_unknown_fields)]
pub struct RejectInput {
    pub reason: RejectionReason,
    #[validate(length(max = 1000, code = "too_long"))]
    pub comment: Option<String>,
}

/// `reassign`: pass the claim to another compensator of the same group (or the group's TPA)
/// before acknowledging it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({ "to": "CM00002", "reason": "Commercial policy: handled by our commercial arm." })))]
#[serde(deny_unknown_fields)]
pub struct ReassignInput {
    /// Code of the receiving compensator.
    pub to: String,
    #[validate(length(max = 500, code = "too_long"))]
    pub reason: Option<String>,
}

/// `decide_liability`: the compensator's answer on liability.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "outcome": "admitted",
    "compensator_reference": "NMI/CL/2025/0042",
    "compensator_contact": { "name": "Pat Adjuster", "telephone": "0161 496 0000", "email": "pat.adjuster@example-insurer.test" },
    "rehabilitation_offered": true,
    "repairs_offered": false,
    "replacement_vehicle_offered": false,
    "claimant_date_of_birth": "1985-06-14"
})))]
#[serde(deny_unknown_fields)]
pub struct DecideLiabilityInput {
    pub outcome: LiabilityOutcome,
    /// Required with `admitted_with_contributory_negligence`, absent otherwise.
    pub contributory_negligence: Option<ContributoryNegligence>,
    /// Required with `not_admitted`.
    #[validate(length(min = 1, max = 1000, code = "invalid_length"))]
    pub reasons: Option<String>,
    /// Required when deciding a claim not yet acknowledged (deciding acknowledges it).
    #[validate(custom(function = "crate::cnf::checks::case_reference"))]
    pub compensator_reference: Option<String>,
    #[validate(nested)]
    pub compensator_contact: CompensatorContact,
    pub rehabilitation_offered: bool,
    /// RTA only (required there).
    pub repairs_offered: Option<bool>,
    /// RTA only (required there).
    pub replacement_vehicle_offered: Option<bool>,
    pub claimant_date_of_birth: NaiveDate,
}

/// `allege_fraud`: the compensator alleges fraud; the claim leaves the protocol.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({ "description": "The vehicle was reported written off before the accident date." })))]
#[serde(deny_unknown_fields)]
pub struct AllegeFraudInput {
    #[validate(length(min = 10, max = 2000, code = "invalid_length"))]
    pub description: String,
}

/// `exit`: a party takes the claim out of the protocol.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({ "reason": "claim_unsuitable_complex", "comment": "Causation needs expert evidence from two disciplines." })))]
#[serde(deny_unknown_fields)]
pub struct ExitInput {
    pub reason: ExitReason,
    /// Required (at least 10 characters) when the reason is `other`.
    #[validate(length(max = 1000, code = "too_long"))]
    pub comment: Option<String>,
}

/// `withdraw`: the claimant representative abandons the claim.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({ "comment": "Client no longer wishes to proceed." })))]
#[serde(deny_unknown_fields)]
pub struct WithdrawInput {
    #[validate(length(max = 1000, code = "too_long"))]
    pub comment: Option<String>,
}

/// `declare_article_75`: takes no fields.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({})))]
#[serde(deny_unknown_fields)]
pub struct DeclareArticle75Input {}

/// `extend_consideration_period`: move a Stage 2 period to a date both parties agreed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({ "to": "2026-05-20", "agreed_with": "Pat Adjuster" })))]
#[serde(deny_unknown_fields)]
pub struct ExtendConsiderationPeriodInput {
    /// The agreed new end date.
    pub to: NaiveDate,
    /// Who at the other party agreed.
    #[validate(length(min = 1, max = 100, code = "invalid_length"))]
    pub agreed_with: String,
}

/// An action, ready for the state machine (facts the hub looked up are filled in).
#[derive(Clone, Debug)]
pub enum Action {
    Acknowledge(AcknowledgeInput),
    Reject(RejectInput),
    /// A corrected, validated form and the compensator it is addressed to.
    Resubmit {
        cnf: Box<ValidatedCnf>,
        compensator: Organisation,
    },
    /// The receiving compensator, looked up.
    Reassign {
        to: Organisation,
        reason: Option<String>,
    },
    DecideLiability(DecideLiabilityInput),
    DeclareArticle75,
    AllegeFraud(AllegeFraudInput),
    Exit(ExitInput),
    Withdraw(WithdrawInput),
    ExtendConsiderationPeriod(ExtendConsiderationPeriodInput),
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Acknowledge(_) => ActionKind::Acknowledge,
            Action::Reject(_) => ActionKind::Reject,
            Action::Resubmit { .. } => ActionKind::Resubmit,
            Action::Reassign { .. } => ActionKind::Reassign,
            Action::DecideLiability(_) => ActionKind::DecideLiability,
            Action::DeclareArticle75 => ActionKind::DeclareArticle75,
            Action::AllegeFraud(_) => ActionKind::AllegeFraud,
            Action::Exit(_) => ActionKind::Exit,
            Action::Withdraw(_) => ActionKind::Withdraw,
            Action::ExtendConsiderationPeriod(_) => ActionKind::ExtendConsiderationPeriod,
        }
    }
}
