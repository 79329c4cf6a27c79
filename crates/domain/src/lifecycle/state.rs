//! What a claim carries through its life beyond the form: decisions, exits and deadlines.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::deadline::Deadline;
use super::percentage::Percentage;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

string_enum! {
    /// Why a compensator rejects a CNF.
    RejectionReason {
        WrongCompensator => "wrong_compensator",
        InvalidFraudCheckReference => "invalid_fraud_check_reference",
        MandatoryInformationIncorrect => "mandatory_information_incorrect",
    }
}

string_enum! {
    /// The compensator's answer on liability.
    LiabilityOutcome {
        Admitted => "admitted",
        AdmittedWithContributoryNegligence => "admitted_with_contributory_negligence",
        NotAdmitted => "not_admitted",
    }
}

string_enum! {
    /// Why a claim left the protocol.
    ExitReason {
        LiabilityNotAdmitted => "liability_not_admitted",
        ContributoryNegligenceAlleged => "contributory_negligence_alleged",
        Stage1CostsNotPaid => "stage1_costs_not_paid",
        InterimPaymentNotPaid => "interim_payment_not_paid",
        PartialInterimNotAccepted => "partial_interim_not_accepted",
        ClaimValueAboveLimit => "claim_value_above_limit",
        ClaimUnsuitableComplex => "claim_unsuitable_complex",
        SmallClaimsTrackApplies => "small_claims_track_applies",
        SettlementPaymentNotMade => "settlement_payment_not_made",
        MandatoryInformationInadequate => "mandatory_information_inadequate",
        ClaimOutsideProtocolScope => "claim_outside_protocol_scope",
        Other => "other",
        LiabilityResponseLate => "liability_response_late",
        SettlementPackResponseLate => "settlement_pack_response_late",
        LiabilityAdmissionWithdrawn => "liability_admission_withdrawn",
        FraudAlleged => "fraud_alleged",
    }
}

string_enum! {
    /// Who ended a claim's time in the protocol.
    ExitedBy {
        ClaimantRepresentative => "claimant_representative",
        Compensator => "compensator",
        System => "system",
    }
}

string_enum! {
    /// How a closed claim ended.
    Outcome { Settled => "settled", CourtProceedings => "court_proceedings" }
}

/// How the compensator can be reached about the claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CompensatorContact {
    #[validate(length(min = 1, max = 50, code = "invalid_length"))]
    pub name: String,
    #[validate(custom(function = "crate::cnf::checks::telephone"))]
    pub telephone: String,
    #[validate(email(code = "invalid_email"), length(max = 254, code = "too_long"))]
    pub email: String,
}

/// A contributory-negligence allegation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContributoryNegligence {
    /// The deduction, more than 0 and less than 100, with at most two decimals.
    #[cfg_attr(feature = "openapi", schema(value_type = f64, example = 25))]
    pub percent: Percentage,
    /// The only allegation is that the claimant did not wear a seat belt (RTA only keeps such a
    /// claim in the protocol).
    pub seat_belt_only: bool,
}

/// The compensator's liability decision, as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LiabilityDecision {
    pub outcome: LiabilityOutcome,
    pub contributory_negligence: Option<ContributoryNegligence>,
    pub reasons: Option<String>,
    pub compensator_contact: CompensatorContact,
    pub rehabilitation_offered: bool,
    pub repairs_offered: Option<bool>,
    pub replacement_vehicle_offered: Option<bool>,
    /// The claimant's date of birth as the compensator has it.
    pub claimant_date_of_birth: NaiveDate,
    pub decided_at: DateTime<Utc>,
}

/// A rejection of the CNF.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Rejection {
    pub reason: RejectionReason,
    pub comment: Option<String>,
    pub rejected_at: DateTime<Utc>,
}

/// How a claim left the protocol.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Exit {
    pub reason: ExitReason,
    pub comment: Option<String>,
    pub by: ExitedBy,
    pub exited_at: DateTime<Utc>,
}

/// The claim's life so far. Stored with the claim; changed only by the state machine.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lifecycle {
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub article_75: bool,
    pub liability: Option<LiabilityDecision>,
    pub rejection: Option<Rejection>,
    pub exit: Option<Exit>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub outcome: Option<Outcome>,
    pub deadlines: Vec<Deadline>,
}

impl Lifecycle {
    /// The next instant at which time alone changes the claim (a reminder or a deadline).
    pub fn next_due_at(&self) -> Option<DateTime<Utc>> {
        self.deadlines.iter().filter_map(Deadline::next_instant).min()
    }

    /// The earliest due date among open deadlines.
    pub fn next_deadline_date(&self) -> Option<NaiveDate> {
        self.deadlines.iter().filter(|d| d.is_open()).map(|d| d.due_date).min()
    }
}
