//! What a party asks of a claim. The request bodies are defined here (each action its own
//! shape, validated field by field); the state machine receives them as [`Action`]s.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::state::{
    CompensatorContact, ContributoryNegligence, CourtRoute, ErasureKind, ExitReason, InterimResponse,
    LiabilityOutcome, PackResponse, PaymentKind, RejectionReason, RemovalReason, ReportedInjury,
};
use crate::cnf::ValidatedCnf;
use crate::losses::{LossHead, LossLineInput};
use crate::money::Percentage;
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
        RequestInterimPayment => "request_interim_payment",
        RespondInterimPayment => "respond_interim_payment",
        ExtendInterimDeadline => "extend_interim_deadline",
        AcceptPartialInterim => "accept_partial_interim",
        DeclinePartialInterim => "decline_partial_interim",
        ConfirmInterimReceived => "confirm_interim_received",
        SendSettlementPack => "send_settlement_pack",
        RespondSettlementPack => "respond_settlement_pack",
        CounterOffer => "counter_offer",
        AcceptOffer => "accept_offer",
        RecordPayment => "record_payment",
        ConfirmSettlementReceived => "confirm_settlement_received",
        SendCourtPack => "send_court_pack",
        RespondCourtPack => "respond_court_pack",
        OfferTransfer => "offer_transfer",
        CancelTransferOffer => "cancel_transfer_offer",
        AcceptLiabilityDecision => "accept_liability_decision",
        ExitToCourt => "exit_to_court",
        ResumeAfterCourt => "resume_after_court",
        AddMedicalReport => "add_medical_report",
        SetLosses => "set_losses",
        RequestOffer => "request_offer",
        MakeOffer => "make_offer",
        ProposeRemoval => "propose_removal",
        ObjectToRemoval => "object_to_removal",
        RequestErasure => "request_erasure",
        CancelErasure => "cancel_erasure",
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
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 50, pattern = r"^ *[-./0-9A-Za-z][-. /0-9A-Za-z]*$")
    )]
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
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
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
    #[cfg_attr(feature = "openapi", schema(max_length = 500))]
    pub reason: Option<String>,
}

/// `decide_liability`: the compensator's answer on liability. (Its examples, which differ
/// before and after acknowledgement, are on the endpoint.)
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DecideLiabilityInput {
    pub outcome: LiabilityOutcome,
    /// Required with `admitted_with_contributory_negligence`, absent otherwise.
    pub contributory_negligence: Option<ContributoryNegligence>,
    /// Required with `not_admitted`.
    #[validate(length(min = 1, max = 1000, code = "invalid_length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
    pub reasons: Option<String>,
    /// Required when deciding a claim not yet acknowledged (deciding acknowledges it).
    #[validate(custom(function = "crate::cnf::checks::case_reference"))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 50, pattern = r"^ *[-./0-9A-Za-z][-. /0-9A-Za-z]*$")
    )]
    pub compensator_reference: Option<String>,
    #[validate(nested)]
    pub compensator_contact: CompensatorContact,
    pub rehabilitation_offered: bool,
    /// RTA only (required there).
    pub repairs_offered: Option<bool>,
    /// RTA only (required there).
    pub replacement_vehicle_offered: Option<bool>,
    pub claimant_date_of_birth: NaiveDate,
    /// Small-claims track, with `denied`: the compensator's account of the accident.
    #[validate(length(min = 1, max = 2000, code = "invalid_length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub version_of_events: Option<String>,
    /// Small-claims track, with `denied`: must be `true` (the compensator signs a statement of
    /// truth for its version of events).
    pub statement_of_truth: Option<bool>,
}

impl DecideLiabilityInput {
    /// The fields only a small-claims denial gives, each with whether it was given.
    pub(super) fn denial_fields(&self) -> [(bool, &'static str); 2] {
        [
            (self.version_of_events.is_some(), "version_of_events"),
            (self.statement_of_truth.is_some(), "statement_of_truth"),
        ]
    }

    /// The fields only a road-traffic decision on the portal gives, each with whether it was given.
    pub(super) fn vehicle_fields(&self) -> [(bool, &'static str); 2] {
        [
            (self.repairs_offered.is_some(), "repairs_offered"),
            (self.replacement_vehicle_offered.is_some(), "replacement_vehicle_offered"),
        ]
    }
}

/// `allege_fraud`: the compensator alleges fraud; the claim leaves the protocol.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({ "description": "The vehicle was reported written off before the accident date." })))]
#[serde(deny_unknown_fields)]
pub struct AllegeFraudInput {
    #[validate(length(min = 10, max = 2000, code = "invalid_length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 2000))]
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
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub comment: Option<String>,
}

/// `withdraw`: the claimant representative abandons the claim.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({ "comment": "Client no longer wishes to proceed." })))]
#[serde(deny_unknown_fields)]
pub struct WithdrawInput {
    #[validate(length(max = 1000, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
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
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub agreed_with: String,
}

/// An action that takes no fields (`{}`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({})))]
#[serde(deny_unknown_fields)]
pub struct NoFields {}

/// `request_interim_payment`: the claimant representative asks for an interim payment (adults).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "amount_pence": 100000,
    "medical_report_reference": "MR-2025-118",
    "losses": [
        { "head": "vehicle_repair", "gross_pence": 85000, "evidence_attached": true },
        { "head": "medical_expenses", "gross_pence": 25000, "evidence_attached": true }
    ]
})))]
#[serde(deny_unknown_fields)]
pub struct RequestInterimPaymentInput {
    /// At least £1,000 (100000 pence). A request of exactly £1,000 is due in 10 business days,
    /// a larger one in 15.
    #[validate(range(min = 0, max = 100_000_000, code = "out_of_range"))]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000_000))]
    pub amount_pence: i64,
    /// The medical report the request relies on.
    #[validate(length(min = 1, max = 100, code = "invalid_length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub medical_report_reference: String,
    /// The losses the request is for.
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 16))]
    pub losses: Vec<LossLineInput>,
}

/// `respond_interim_payment`: the compensator pays in full, in part, or refuses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({ "response": "paid_in_full" })))]
#[serde(deny_unknown_fields)]
pub struct RespondInterimPaymentInput {
    pub response: InterimResponse,
    /// What was paid, with `paid_in_part`: less than asked, and at least £1,000 when more was
    /// asked.
    #[validate(range(min = 1, max = 100_000_000, code = "out_of_range"))]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 100_000_000))]
    pub amount_pence: Option<i64>,
    /// Required with `refused` (only an invalid request may be refused).
    #[validate(length(min = 1, max = 1000, code = "invalid_length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
    pub reasons: Option<String>,
}

/// `decline_partial_interim`: the representative declines a part payment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({ "comment": "The part paid does not cover the repair invoice." })))]
#[serde(deny_unknown_fields)]
pub struct DeclinePartialInterimInput {
    #[validate(length(max = 1000, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub comment: Option<String>,
}

/// `send_settlement_pack`: the claimant's offer as a table of losses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "losses": [
        { "head": "general_damages", "gross_pence": 600000, "evidence_attached": true },
        { "head": "vehicle_repair", "gross_pence": 185000, "evidence_attached": true },
        { "head": "loss_of_earnings_claimant", "gross_pence": 90000, "evidence_attached": true, "comment": "Two weeks off work." }
    ],
    "disbursements_pence": 18000,
    "medical_report_references": ["MR-2025-118"],
    "london_weighting": false,
    "statement_of_truth": true
})))]
#[serde(deny_unknown_fields)]
pub struct SendSettlementPackInput {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 16))]
    pub losses: Vec<LossLineInput>,
    /// Disbursements claimed (medical report fees and the like), in pence.
    #[serde(default)]
    #[validate(range(min = 0, max = 100_000_000, code = "out_of_range"))]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000_000))]
    pub disbursements_pence: i64,
    #[validate(length(min = 1, max = 10, code = "invalid_length"))]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 10, min_length = 1, max_length = 100))]
    pub medical_report_references: Vec<String>,
    /// The claimant lives in London and instructs a London representative (fixed costs +12.5%).
    #[serde(default)]
    pub london_weighting: bool,
    /// Must be `true`.
    pub statement_of_truth: bool,
}

/// A counter-offer: a full table of losses and a global gross amount. (Its examples, which differ
/// by party, are on the endpoint.)
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CounterOfferInput {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 16))]
    pub losses: Vec<LossLineInput>,
    /// The global amount offered, on the offer's terms.
    #[validate(range(min = 0, max = 250_000_000, code = "out_of_range"))]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 250_000_000))]
    pub gross_pence: i64,
    /// Benefits recoverable by the CRU (the compensator's offers only).
    #[validate(range(min = 0, max = 250_000_000, code = "out_of_range"))]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 250_000_000))]
    pub cru_deduction_pence: Option<i64>,
    #[validate(range(min = 0, max = 100_000_000, code = "out_of_range"))]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000_000))]
    pub disbursements_pence: Option<i64>,
}

/// `respond_settlement_pack`: accept it, counter it, or withdraw the admission of liability.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "response": "counter_offer",
    "counter_offer": {
        "losses": [
            { "head": "general_damages", "gross_pence": 520000, "evidence_attached": true },
            { "head": "vehicle_repair", "gross_pence": 185000, "evidence_attached": true },
            { "head": "loss_of_earnings_claimant", "gross_pence": 60000, "evidence_attached": true }
        ],
        "gross_pence": 765000,
        "cru_deduction_pence": 0,
        "disbursements_pence": 18000
    }
})))]
#[serde(deny_unknown_fields)]
pub struct RespondSettlementPackInput {
    pub response: PackResponse,
    /// Required with `counter_offer`.
    #[validate(nested)]
    pub counter_offer: Option<CounterOfferInput>,
    /// Why the admission is withdrawn (required with `withdraw_admission`).
    #[validate(length(min = 1, max = 1000, code = "invalid_length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 1000))]
    pub reasons: Option<String>,
}

/// `record_payment`: a party records a payment made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({ "kind": "stage1_costs", "amount_pence": 20000, "paid_on": "2026-04-01" })))]
#[serde(deny_unknown_fields)]
pub struct RecordPaymentInput {
    pub kind: PaymentKind,
    #[validate(range(min = 1, max = 250_000_000, code = "out_of_range"))]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 250_000_000))]
    pub amount_pence: i64,
    /// Not in the future.
    pub paid_on: NaiveDate,
}

/// `send_court_pack`: part A (heads agreed and disputed, disbursements); the hub adds part B
/// (both sides' final offers) from the negotiation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "agreed_heads": ["vehicle_repair"],
    "disputed_heads": ["general_damages", "loss_of_earnings_claimant"],
    "disbursements_pence": 18000
})))]
#[serde(deny_unknown_fields)]
pub struct SendCourtPackInput {
    #[cfg_attr(feature = "openapi", schema(max_items = 16))]
    pub agreed_heads: Vec<LossHead>,
    #[cfg_attr(feature = "openapi", schema(max_items = 16))]
    pub disputed_heads: Vec<LossHead>,
    #[serde(default)]
    #[validate(range(min = 0, max = 100_000_000, code = "out_of_range"))]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 100_000_000))]
    pub disbursements_pence: i64,
}

/// `respond_court_pack`: the compensator's comments and its confirmation that it has paid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "comments": "We maintain the general damages figure of our final offer.",
    "final_offer_paid": true
})))]
#[serde(deny_unknown_fields)]
pub struct RespondCourtPackInput {
    #[validate(length(min = 1, max = 2000, code = "invalid_length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 2000))]
    pub comments: String,
    /// Confirms the final offer less deductions, plus unpaid fixed costs, has been paid. Must be
    /// `true`.
    pub final_offer_paid: bool,
}

/// `offer_transfer`: offer the claim to another claimant representative.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({ "to": "CR00002" })))]
#[serde(deny_unknown_fields)]
pub struct OfferTransferInput {
    /// Code of the receiving claimant representative.
    pub to: String,
}

/// `exit_to_court` (small-claims track): the claimant takes the claim to court by a route of
/// Practice Direction 27B.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({ "route": "liability_denied" })))]
#[serde(deny_unknown_fields)]
pub struct ExitToCourtInput {
    pub route: CourtRoute,
    #[validate(length(max = 1000, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub comment: Option<String>,
}

/// `resume_after_court` (small-claims track): the court decided liability; the claimant brings
/// the claim back with the finding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({ "liability_established": true, "contributory_negligence_percent": 20 })))]
#[serde(deny_unknown_fields)]
pub struct ResumeAfterCourtInput {
    pub liability_established: bool,
    /// The contributory negligence the court found (more than 0, less than 100), if any.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>, exclusive_minimum = 0, exclusive_maximum = 100))]
    pub contributory_negligence_percent: Option<Percentage>,
}

/// `add_medical_report` (small-claims track): a medical report uploaded as an attachment of the
/// claim, with what it finds for each injury.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "attachment_id": "0193a4c2-7f1e-7c3a-9b1d-2f4e6a8c0b12",
    "report_date": "2026-03-20",
    "expert_reference": "MEDCO-123456",
    "injuries": [
        { "kind": "whiplash", "prognosis_months": 8 },
        { "kind": "minor_psychological", "prognosis_months": 6 }
    ]
})))]
#[serde(deny_unknown_fields)]
pub struct AddMedicalReportInput {
    /// An attachment of this claim holding the report.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub attachment_id: uuid::Uuid,
    /// Not in the future, not before the accident.
    pub report_date: NaiveDate,
    /// The expert's registration reference.
    #[validate(length(min = 1, max = 50, code = "invalid_length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 50))]
    pub expert_reference: String,
    /// Each injury the report assesses: 1 to 10.
    #[validate(nested, length(min = 1, max = 10, code = "invalid_length"))]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 10))]
    pub injuries: Vec<ReportedInjury>,
}

/// `set_losses` (small-claims track): the claimant's table of losses. Tariff lines are valued by
/// the hub from the latest medical report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "losses": [
        { "head": "whiplash_tariff", "evidence_attached": true },
        { "head": "medical_expenses", "gross_pence": 12000, "evidence_attached": true }
    ]
})))]
#[serde(deny_unknown_fields)]
pub struct SetLossesInput {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 16))]
    pub losses: Vec<LossLineInput>,
}

/// `make_offer` (small-claims track): the compensator's offer as a full table of losses. A
/// `whiplash_tariff` line is valued by the hub from the latest medical report, or at
/// `disputed_prognosis_months` when the compensator disputes the report's prognosis; a figure
/// stated for it must be that value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "losses": [
        { "head": "whiplash_tariff", "evidence_attached": true },
        { "head": "medical_expenses", "gross_pence": 10000, "evidence_attached": true }
    ]
})))]
#[serde(deny_unknown_fields)]
pub struct MakeOfferInput {
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 16))]
    pub losses: Vec<LossLineInput>,
    /// The prognosis, in months (1 to 24), the compensator puts forward instead of the report's.
    #[validate(range(min = 1, max = 24, code = "out_of_range"))]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 24))]
    pub disputed_prognosis_months: Option<u32>,
}

/// `propose_removal` (small-claims track): the compensator proposes to remove the claim.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({ "reason": "not_pursued", "comment": "No contact from the claimant's side since March." })))]
#[serde(deny_unknown_fields)]
pub struct ProposeRemovalInput {
    pub reason: RemovalReason,
    #[validate(length(max = 1000, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(max_length = 1000))]
    pub comment: Option<String>,
}

/// `request_erasure` (either party): a person asked for the claim's data to be erased, rectified or
/// restricted. The claim becomes `erasure_pending`, read-only; either party may cancel within 14
/// calendar days, after which the claim is purged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({ "kind": "erasure", "reference": "DSR-2026-031" })))]
#[serde(deny_unknown_fields)]
pub struct RequestErasureInput {
    pub kind: ErasureKind,
    /// The requesting party's own reference for the person's request.
    #[validate(length(min = 1, max = 50, code = "invalid_length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 50))]
    pub reference: String,
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
    RequestInterimPayment(RequestInterimPaymentInput),
    RespondInterimPayment(RespondInterimPaymentInput),
    ExtendInterimDeadline,
    AcceptPartialInterim,
    DeclinePartialInterim(DeclinePartialInterimInput),
    ConfirmInterimReceived,
    SendSettlementPack(SendSettlementPackInput),
    RespondSettlementPack(RespondSettlementPackInput),
    CounterOffer(CounterOfferInput),
    AcceptOffer,
    RecordPayment(RecordPaymentInput),
    ConfirmSettlementReceived,
    SendCourtPack(SendCourtPackInput),
    RespondCourtPack(RespondCourtPackInput),
    /// The receiving representative, looked up, and the id the offer will have.
    OfferTransfer {
        offer_id: uuid::Uuid,
        to: Organisation,
    },
    CancelTransferOffer,
    AcceptLiabilityDecision,
    ExitToCourt(ExitToCourtInput),
    ResumeAfterCourt(ResumeAfterCourtInput),
    AddMedicalReport(AddMedicalReportInput),
    SetLosses(SetLossesInput),
    RequestOffer,
    MakeOffer(MakeOfferInput),
    ProposeRemoval(ProposeRemovalInput),
    ObjectToRemoval,
    RequestErasure(RequestErasureInput),
    CancelErasure,
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
            Action::RequestInterimPayment(_) => ActionKind::RequestInterimPayment,
            Action::RespondInterimPayment(_) => ActionKind::RespondInterimPayment,
            Action::ExtendInterimDeadline => ActionKind::ExtendInterimDeadline,
            Action::AcceptPartialInterim => ActionKind::AcceptPartialInterim,
            Action::DeclinePartialInterim(_) => ActionKind::DeclinePartialInterim,
            Action::ConfirmInterimReceived => ActionKind::ConfirmInterimReceived,
            Action::SendSettlementPack(_) => ActionKind::SendSettlementPack,
            Action::RespondSettlementPack(_) => ActionKind::RespondSettlementPack,
            Action::CounterOffer(_) => ActionKind::CounterOffer,
            Action::AcceptOffer => ActionKind::AcceptOffer,
            Action::RecordPayment(_) => ActionKind::RecordPayment,
            Action::ConfirmSettlementReceived => ActionKind::ConfirmSettlementReceived,
            Action::SendCourtPack(_) => ActionKind::SendCourtPack,
            Action::RespondCourtPack(_) => ActionKind::RespondCourtPack,
            Action::OfferTransfer { .. } => ActionKind::OfferTransfer,
            Action::CancelTransferOffer => ActionKind::CancelTransferOffer,
            Action::AcceptLiabilityDecision => ActionKind::AcceptLiabilityDecision,
            Action::ExitToCourt(_) => ActionKind::ExitToCourt,
            Action::ResumeAfterCourt(_) => ActionKind::ResumeAfterCourt,
            Action::AddMedicalReport(_) => ActionKind::AddMedicalReport,
            Action::SetLosses(_) => ActionKind::SetLosses,
            Action::RequestOffer => ActionKind::RequestOffer,
            Action::MakeOffer(_) => ActionKind::MakeOffer,
            Action::ProposeRemoval(_) => ActionKind::ProposeRemoval,
            Action::ObjectToRemoval => ActionKind::ObjectToRemoval,
            Action::RequestErasure(_) => ActionKind::RequestErasure,
            Action::CancelErasure => ActionKind::CancelErasure,
        }
    }
}
