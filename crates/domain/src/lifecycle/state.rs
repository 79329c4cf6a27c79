//! What a claim carries through its life beyond the form: decisions, exits and deadlines.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use validator::Validate;

use super::deadline::Deadline;
use crate::losses::{LossHead, LossTable};
use crate::money::Pence;
use crate::money::Percentage;
use crate::party::Side;
use crate::settlement::SettlementSums;

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
        /// Small-claims track: admitted with a contributory-negligence percentage.
        AdmittedInPart => "admitted_in_part",
        /// Small-claims track: the accident admitted, the injury's cause disputed.
        AdmittedCausationDisputed => "admitted_causation_disputed",
        /// Small-claims track: denied, with the compensator's version of events.
        Denied => "denied",
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
        /// Small-claims track: gone to court over liability (it may come back).
        CourtLiability => "court_liability",
        /// Small-claims track: gone to court over the amount, the uplift, vehicle costs, an interim
        /// payment or an unpaid settlement.
        CourtQuantum => "court_quantum",
    }
}

string_enum! {
    /// The routes to court of the small-claims track (Practice Direction 27B).
    CourtRoute {
        LiabilityDenied => "liability_denied",
        Quantum => "quantum",
        LiabilityAdmittedInPart => "liability_admitted_in_part",
        VehicleCosts => "vehicle_costs",
        Uplift => "uplift",
        InterimPayment => "interim_payment",
        PaymentNotMade => "payment_not_made",
    }
}

impl CourtRoute {
    /// The exit reason a route gives the claim.
    pub fn exit_reason(self) -> ExitReason {
        match self {
            CourtRoute::LiabilityDenied | CourtRoute::LiabilityAdmittedInPart => ExitReason::CourtLiability,
            _ => ExitReason::CourtQuantum,
        }
    }
}

/// A small claim taken to court, and what the court found when it came back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CourtReferral {
    pub route: CourtRoute,
    pub referred_at: DateTime<Utc>,
    pub finding: Option<CourtFinding>,
}

/// The court's finding on liability, recorded when the claim resumes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CourtFinding {
    pub liability_established: bool,
    /// The contributory negligence the court found, if any.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub contributory_negligence_percent: Option<Percentage>,
    pub recorded_at: DateTime<Utc>,
}

/// One injury as a medical report gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportedInjury {
    pub kind: crate::cnf::InjuryKind,
    /// How long the injury is expected to last from the accident, in months (1 to 120).
    #[validate(range(min = 1, max = 120, code = "out_of_range"))]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 120))]
    pub prognosis_months: u32,
}

/// A medical report on a small claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MedicalReport {
    /// The attachment holding the report (on this claim).
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub attachment_id: uuid::Uuid,
    pub report_date: NaiveDate,
    /// The expert's registration reference (MedCo for whiplash).
    pub expert_reference: String,
    pub injuries: Vec<ReportedInjury>,
    pub added_at: DateTime<Utc>,
}

string_enum! {
    /// Why a compensator proposes to remove a small claim.
    RemovalReason {
        NotPursued => "not_pursued",
        Duplicate => "duplicate",
        SettledElsewhere => "settled_elsewhere",
        Other => "other",
    }
}

string_enum! {
    /// What a person asked for that puts a claim in `erasure_pending`.
    ErasureKind { Erasure => "erasure", Rectification => "rectification", Restriction => "restriction" }
}

/// An erasure, rectification or restriction request holding a claim in `erasure_pending`, with
/// what the claim had before, so a cancellation restores it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureRequest {
    pub kind: ErasureKind,
    pub reference: String,
    pub requested_by: Side,
    pub requested_at: DateTime<Utc>,
    /// The last day either party may cancel; the claim is purged once it has passed.
    pub purge_after: NaiveDate,
    pub previous_status: crate::claim_status::ClaimStatus,
    /// The deadlines that were running, set aside while the request holds.
    pub suspended_deadlines: Vec<Deadline>,
    pub suspended_dormant_at: Option<DateTime<Utc>>,
}

/// A compensator's proposal to remove a small claim, and the claimant's objection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Removal {
    pub reason: RemovalReason,
    pub comment: Option<String>,
    pub proposed_at: DateTime<Utc>,
    pub objected_at: Option<DateTime<Utc>>,
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
    Outcome {
        Settled => "settled",
        CourtProceedings => "court_proceedings",
        /// Small-claims track: the court found no liability.
        CourtDismissed => "court_dismissed",
    }
}

/// How the compensator can be reached about the claim.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CompensatorContact {
    #[validate(length(min = 1, max = 50, code = "invalid_length"))]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 50))]
    pub name: String,
    #[validate(custom(function = "crate::cnf::checks::telephone"))]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 25, pattern = r"^\+?[ ()-]*(?:[0-9][ ()-]*){10,15}$")
    )]
    pub telephone: String,
    #[validate(email(code = "invalid_email"), length(max = 254, code = "too_long"))]
    #[cfg_attr(feature = "openapi", schema(max_length = 254))]
    pub email: String,
}

/// A contributory-negligence allegation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContributoryNegligence {
    /// The deduction, more than 0 and less than 100, with at most two decimals.
    #[cfg_attr(feature = "openapi", schema(value_type = f64, example = 25, exclusive_minimum = 0, exclusive_maximum = 100))]
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
    /// Absent only on a deemed admission.
    pub compensator_contact: Option<CompensatorContact>,
    pub rehabilitation_offered: bool,
    pub repairs_offered: Option<bool>,
    pub replacement_vehicle_offered: Option<bool>,
    /// The claimant's date of birth as the compensator has it (absent on a deemed admission).
    pub claimant_date_of_birth: Option<NaiveDate>,
    /// The compensator's account of the accident, with a denial (small-claims track).
    #[serde(default)]
    pub version_of_events: Option<String>,
    /// Small-claims track: nobody decided; the response period passed and the hub recorded an
    /// admission.
    #[serde(default)]
    pub deemed: bool,
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

string_enum! {
    /// Where an interim payment request stands.
    InterimStatus {
        Requested => "requested",
        PaidInFull => "paid_in_full",
        PaidInPart => "paid_in_part",
        Refused => "refused",
        /// The representative accepted a part payment.
        PartAccepted => "part_accepted",
        /// The representative declined a part payment (and may exit).
        PartDeclined => "part_declined",
        /// The representative confirmed receipt: closed.
        Received => "received",
    }
}

string_enum! {
    /// The compensator's answer to an interim payment request.
    InterimResponse { PaidInFull => "paid_in_full", PaidInPart => "paid_in_part", Refused => "refused" }
}

string_enum! {
    /// The compensator's answer to the settlement pack.
    PackResponse {
        Accept => "accept",
        CounterOffer => "counter_offer",
        WithdrawAdmission => "withdraw_admission",
    }
}

string_enum! {
    /// What a recorded payment pays.
    PaymentKind { Stage1Costs => "stage1_costs", Settlement => "settlement" }
}

/// The smallest interim payment request: £1,000.
pub const INTERIM_MINIMUM_PENCE: i64 = 100_000;

/// An interim payment request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct InterimPayment {
    /// 1 for the first request of the claim, and so on.
    pub number: u32,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub requested_pence: Pence,
    pub losses: LossTable,
    pub medical_report_reference: String,
    pub requested_at: DateTime<Utc>,
    pub status: InterimStatus,
    /// What the compensator paid.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub paid_pence: Option<Pence>,
    /// The compensator's reasons for a refusal.
    pub reasons: Option<String>,
    /// The once-only extension of the payment period was used.
    pub extended: bool,
    pub responded_at: Option<DateTime<Utc>>,
}

impl InterimPayment {
    /// Still needs an answer from one of the parties.
    pub fn is_open(&self) -> bool {
        matches!(
            self.status,
            InterimStatus::Requested
                | InterimStatus::PaidInFull
                | InterimStatus::PaidInPart
                | InterimStatus::PartAccepted
        )
    }

    /// What was paid on this request.
    pub fn paid(&self) -> Pence {
        self.paid_pence.unwrap_or(Pence::ZERO)
    }
}

/// An offer: the claimant's settlement pack, or a counter-offer of either side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Offer {
    pub number: u32,
    pub by: Side,
    pub made_at: DateTime<Utc>,
    pub losses: LossTable,
    /// The global gross amount offered (for the settlement pack: its total after deductions).
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub gross_pence: Pence,
    /// Benefits recoverable by the CRU, deducted from damages (compensator's offers only).
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub cru_deduction_pence: Pence,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub disbursements_pence: Pence,
    /// Made in the last 5 business days of the total consideration period.
    pub late: bool,
    /// Small-claims track: the prognosis, in months, the compensator disputes the report with
    /// (its tariff line is valued at this duration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disputed_prognosis_months: Option<u32>,
}

/// The settlement pack's documents and facts (its offer is offer 1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SettlementPack {
    pub sent_at: DateTime<Utc>,
    pub medical_report_references: Vec<String>,
    /// The claimant lives in London and instructs a London representative.
    pub london_weighting: bool,
}

/// An agreed settlement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Settlement {
    pub agreed_at: DateTime<Utc>,
    /// The offer accepted.
    pub offer_number: u32,
    pub sums: SettlementSums,
    /// A child's settlement needs the court's approval: the next step is the court pack.
    pub requires_court_approval: bool,
    /// When the compensator must have paid (adults).
    pub payment_due_date: Option<NaiveDate>,
}

/// A payment recorded by a party.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Payment {
    pub kind: PaymentKind,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub amount_pence: Pence,
    pub paid_on: NaiveDate,
    pub recorded_by: Side,
    pub recorded_at: DateTime<Utc>,
}

/// The court proceedings pack.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CourtPack {
    pub sent_at: DateTime<Utc>,
    /// Part A: heads agreed and heads in dispute, and disbursements.
    pub agreed_heads: Vec<LossHead>,
    pub disputed_heads: Vec<LossHead>,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub disbursements_pence: Pence,
    /// Part B: each side's final offer (from the negotiation).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub claimant_final_offer_pence: Option<Pence>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<i64>))]
    pub compensator_final_offer_pence: Option<Pence>,
    pub response: Option<CourtPackResponse>,
}

/// The compensator's response to the court pack.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CourtPackResponse {
    pub comments: String,
    /// It confirms it has paid its final offer less deductions, plus unpaid fixed costs.
    pub final_offer_paid: bool,
    pub responded_at: DateTime<Utc>,
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
    #[serde(default)]
    pub interim_payments: Vec<InterimPayment>,
    #[serde(default)]
    pub settlement_pack: Option<SettlementPack>,
    #[serde(default)]
    pub offers: Vec<Offer>,
    #[serde(default)]
    pub settlement: Option<Settlement>,
    #[serde(default)]
    pub payments: Vec<Payment>,
    #[serde(default)]
    pub court_pack: Option<CourtPack>,
    /// An offer of the claim to another claimant representative, awaiting its answer.
    #[serde(default)]
    pub transfer_offer: Option<PendingTransfer>,
    /// Small-claims track: when the claimant accepted a partial admission, a causation dispute or
    /// a denial on the compensator's terms.
    #[serde(default)]
    pub liability_accepted_at: Option<DateTime<Utc>>,
    /// Small-claims track: medical reports, oldest first.
    #[serde(default)]
    pub medical_reports: Vec<MedicalReport>,
    /// Small-claims track: the claimant's losses, replaceable until an offer is requested.
    #[serde(default)]
    pub losses: Option<LossTable>,
    /// Small-claims track: each time the claim went to court.
    #[serde(default)]
    pub court: Vec<CourtReferral>,
    /// Small-claims track: a removal the compensator proposed.
    #[serde(default)]
    pub removal: Option<Removal>,
    /// Small-claims track: when the claim becomes dormant if nobody acts before then.
    #[serde(default)]
    pub dormant_at: Option<DateTime<Utc>>,
    /// Small-claims track: since when the claim has been dormant (until somebody acts).
    #[serde(default)]
    pub dormant_since: Option<DateTime<Utc>>,
    /// An erasure, rectification or restriction request holding the claim, if any.
    #[serde(default)]
    pub erasure: Option<ErasureRequest>,
}

/// A transfer offer awaiting the receiving representative's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PendingTransfer {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Uuid))]
    pub id: uuid::Uuid,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub to: crate::ids::OrganisationCode,
    pub offered_at: DateTime<Utc>,
}

impl Lifecycle {
    /// The next instant at which time alone changes the claim (a reminder or a deadline).
    pub fn next_due_at(&self) -> Option<DateTime<Utc>> {
        self.deadlines.iter().filter_map(Deadline::next_instant).chain(self.dormant_at).min()
    }

    /// The interim request awaiting an answer, if any (at most one is open at a time).
    pub fn open_interim(&self) -> Option<&InterimPayment> {
        self.interim_payments.iter().find(|i| i.is_open())
    }

    /// Interim payments made so far.
    pub fn interim_paid(&self) -> Pence {
        Pence::new(self.interim_payments.iter().map(|i| i.paid().get()).sum())
    }

    /// The latest offer (whose maker waits for the other side).
    pub fn current_offer(&self) -> Option<&Offer> {
        self.offers.last()
    }

    pub fn has_payment(&self, kind: PaymentKind) -> bool {
        self.payments.iter().any(|p| p.kind == kind)
    }

    /// The open deadline of a name, if any.
    pub fn open_deadline(&self, name: super::deadline::DeadlineName) -> Option<&Deadline> {
        self.deadlines.iter().find(|d| d.name == name && d.is_open())
    }

    /// The earliest due date among open deadlines.
    pub fn next_deadline_date(&self) -> Option<NaiveDate> {
        self.deadlines.iter().filter(|d| d.is_open()).map(|d| d.due_date).min()
    }
}
