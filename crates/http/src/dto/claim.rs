//! Claims as the API shows them.

use chrono::{DateTime, NaiveDate, Utc};
use claims_domain::claim::Claim;
use claims_domain::claim_status::ClaimStatus;
use claims_domain::claim_type::{ClaimType, Track};
use claims_domain::cnf::Cnf;
use claims_domain::events::AuditAction;
use claims_domain::ids::ClaimId;
use claims_domain::lifecycle::ExitWindow;
use claims_domain::lifecycle::action::ActionKind;
use claims_domain::lifecycle::deadline::{Deadline, DeadlineName, DeadlineStatus};
use claims_domain::lifecycle::state::{
    CourtPack, CourtReferral, ErasureKind, Exit, InterimPayment, LiabilityDecision, MedicalReport, Offer,
    Outcome, Payment, Rejection, Removal, Settlement, SettlementPack,
};
use claims_domain::losses::LossTable;
use claims_domain::organisation::Organisation;
use claims_domain::party::Side;
use claims_persistence::records::AuditEntry;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

/// The body of `POST /v1/claims` and `POST /v1/claims/validate`.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
pub struct SubmitClaimRequest {
    #[validate(nested)]
    pub cnf: Cnf,
}

/// The answer of `POST /v1/claims/validate` for a valid form.
#[derive(Debug, Serialize, ToSchema)]
pub struct ValidationResult {
    #[schema(example = true)]
    pub valid: bool,
}

/// One side of a claim.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartyView {
    #[schema(example = "CR00001")]
    pub code: String,
    #[schema(example = "Example Solicitors LLP")]
    pub name: String,
}

impl From<&Organisation> for PartyView {
    fn from(organisation: &Organisation) -> Self {
        Self { code: organisation.code.to_string(), name: organisation.name.clone() }
    }
}

/// Each party's own reference for the claim.
#[derive(Debug, Serialize, ToSchema)]
pub struct References {
    /// The claimant representative's case reference (from the CNF).
    pub claimant_representative: String,
    /// The compensator's reference, given when it acknowledges the claim.
    pub compensator: Option<String>,
}

/// A claim, as one of its two parties sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimView {
    #[schema(value_type = String, format = Uuid)]
    pub id: ClaimId,
    #[serde(rename = "type")]
    pub claim_type: ClaimType,
    pub status: ClaimStatus,
    /// Grows by one with every change; sent back as `If-Match` with actions.
    #[schema(example = 1)]
    pub version: i64,
    pub claimant_representative: PartyView,
    pub compensator: PartyView,
    /// Code of the organisation that submitted the claim; transfers never change it.
    #[schema(example = "CR00001")]
    pub created_by: String,
    /// The date in England the claim was notified; the protocol periods count from it.
    pub notification_date: NaiveDate,
    /// The claimant was under 18 on the notification date (worked out from the date of birth).
    pub child: bool,
    pub references: References,
    /// The form as accepted (identifiers in canonical spelling).
    pub cnf: Cnf,
    /// The compensator's liability decision, once made.
    #[schema(required = true)]
    pub liability: Option<LiabilityDecision>,
    /// Why the compensator rejected the CNF, while the claim is `rejected`.
    #[schema(required = true)]
    pub rejection: Option<Rejection>,
    /// How the claim left the protocol, when `exited`.
    #[schema(required = true)]
    pub exit: Option<Exit>,
    /// How a `closed` claim ended.
    #[schema(required = true)]
    pub outcome: Option<Outcome>,
    /// Interim payment requests, oldest first.
    pub interim_payments: Vec<InterimPayment>,
    /// The settlement pack, once sent (its offer is offer 1).
    #[schema(required = true)]
    pub settlement_pack: Option<SettlementPack>,
    /// Every offer, oldest first; the last is the one on the table.
    pub offers: Vec<Offer>,
    /// The agreed settlement and what is owed.
    #[schema(required = true)]
    pub settlement: Option<Settlement>,
    /// Payments recorded by the parties.
    pub payments: Vec<Payment>,
    /// The court proceedings pack, once sent.
    #[schema(required = true)]
    pub court_pack: Option<CourtPack>,
    /// What only the small-claims track (`oic_rta`) records; `null` on other claims.
    #[schema(required = true)]
    pub small_claim: Option<SmallClaimView>,
    /// The erasure, rectification or restriction request holding the claim in `erasure_pending`.
    #[schema(required = true)]
    pub erasure: Option<ErasureView>,
    /// When the claim's personal data will be purged (once it has ended, or an erasure request
    /// holds it; under a legal hold, not before the hold ends); only an anonymous tombstone is
    /// kept after that.
    #[schema(required = true)]
    pub purge_at: Option<DateTime<Utc>>,
    /// One of the claim's organisations is on legal hold (6 years from when it was placed, unless
    /// lifted earlier): the claim is not purged meanwhile.
    pub legal_hold: bool,
    /// Data-subject requests about the claim still waiting for their answer.
    pub open_data_subject_requests: Vec<crate::dto::data_subject::DsrView>,
    /// Every deadline of the claim so far, with who must act and what happens when it passes.
    pub deadlines: Vec<DeadlineView>,
    /// What the caller may do now (`snake_case` action names; in URLs `_` is written `-`).
    pub allowed_actions: Vec<ActionKind>,
    /// Exits that open only once a payment deadline passes unpaid, with the day each opens and
    /// (where it has one) the last day it may be taken, so a client can tell when to act.
    pub exit_windows: Vec<ExitWindow>,
    pub submitted_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ClaimView {
    pub fn new(
        claim: Claim,
        claimant_representative: PartyView,
        compensator: PartyView,
        allowed_actions: Vec<ActionKind>,
        exit_windows: Vec<ExitWindow>,
    ) -> Self {
        let lifecycle = claim.lifecycle;
        Self {
            id: claim.id,
            claim_type: claim.claim_type,
            status: claim.status,
            version: claim.version,
            claimant_representative,
            compensator,
            created_by: claim.created_by.to_string(),
            notification_date: claim.notification_date,
            child: claim.child,
            references: References {
                claimant_representative: claim.cr_reference,
                compensator: claim.cm_reference,
            },
            cnf: claim.cnf,
            liability: lifecycle.liability,
            rejection: if claim.status == ClaimStatus::Rejected { lifecycle.rejection } else { None },
            exit: lifecycle.exit,
            outcome: lifecycle.outcome,
            open_data_subject_requests: Vec::new(),
            // Set by the service, which knows the retention rules in force and the legal holds.
            purge_at: None,
            legal_hold: false,
            erasure: lifecycle.erasure.as_ref().map(|e| ErasureView {
                kind: e.kind,
                reference: e.reference.clone(),
                requested_by: e.requested_by,
                requested_at: e.requested_at,
                purge_after: e.purge_after,
                previous_status: e.previous_status,
            }),
            deadlines: lifecycle
                .deadlines
                .iter()
                .map(|d| DeadlineView::of(d, claim.claim_type.track()))
                .collect(),
            small_claim: (claim.claim_type.track() == Track::SmallClaims).then_some(SmallClaimView {
                liability_accepted_at: lifecycle.liability_accepted_at,
                medical_reports: lifecycle.medical_reports,
                losses: lifecycle.losses,
                court: lifecycle.court,
                removal: lifecycle.removal,
                dormant_since: lifecycle.dormant_since,
            }),
            interim_payments: lifecycle.interim_payments,
            settlement_pack: lifecycle.settlement_pack,
            offers: lifecycle.offers,
            settlement: lifecycle.settlement,
            payments: lifecycle.payments,
            court_pack: lifecycle.court_pack,
            allowed_actions,
            exit_windows,
            submitted_at: claim.submitted_at,
            updated_at: claim.updated_at,
        }
    }
}

/// An erasure, rectification or restriction request holding a claim.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErasureView {
    pub kind: ErasureKind,
    /// The requesting party's reference.
    pub reference: String,
    pub requested_by: Side,
    pub requested_at: DateTime<Utc>,
    /// The last day either party may cancel; the claim is purged once it has passed.
    pub purge_after: NaiveDate,
    /// The status a cancellation restores.
    pub previous_status: ClaimStatus,
}

/// The small-claims track's own record of a claim.
#[derive(Debug, Serialize, ToSchema)]
pub struct SmallClaimView {
    /// When the claimant accepted a partial admission, a causation dispute or a denial.
    pub liability_accepted_at: Option<DateTime<Utc>>,
    /// Medical reports, oldest first; the latest values the tariff.
    pub medical_reports: Vec<MedicalReport>,
    /// The claimant's losses, as valued by the hub.
    pub losses: Option<LossTable>,
    /// Each time the claim went to court, with the court's finding once it came back.
    pub court: Vec<CourtReferral>,
    /// A removal the compensator proposed.
    pub removal: Option<Removal>,
    /// Since when nobody has acted on the claim for 30 calendar days (until somebody does).
    pub dormant_since: Option<DateTime<Utc>>,
}

/// A deadline of a claim.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeadlineView {
    pub name: DeadlineName,
    /// The party that must act.
    pub party: Side,
    /// The last day, in England.
    pub due_date: NaiveDate,
    /// When it passes: the start of the next day in England.
    pub due_at: DateTime<Utc>,
    pub status: DeadlineStatus,
    /// What happens when it passes without the action.
    pub on_miss: &'static str,
    /// Dates the parties agreed to move it to, oldest first.
    pub extensions: Vec<ExtensionView>,
}

/// An agreed extension of a deadline.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExtensionView {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub recorded_by: Side,
    /// Who at the other party agreed.
    pub agreed_with: String,
    pub recorded_at: DateTime<Utc>,
}

impl DeadlineView {
    fn of(deadline: &Deadline, track: Track) -> Self {
        Self {
            name: deadline.name,
            party: deadline.party,
            due_date: deadline.due_date,
            due_at: deadline.due_at,
            status: deadline.status,
            on_miss: deadline.on_miss(track),
            extensions: deadline
                .extensions
                .iter()
                .map(|e| ExtensionView {
                    from: e.from,
                    to: e.to,
                    recorded_by: e.recorded_by,
                    agreed_with: e.agreed_with.clone(),
                    recorded_at: e.recorded_at,
                })
                .collect(),
        }
    }
}

/// A claim in a list: enough to find it, no personal data. Read the claim itself for the form
/// (each such read is recorded in its audit trail).
#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimSummary {
    #[schema(value_type = String, format = Uuid)]
    pub id: ClaimId,
    #[serde(rename = "type")]
    pub claim_type: ClaimType,
    pub status: ClaimStatus,
    pub version: i64,
    #[schema(example = "CR00001")]
    pub claimant_representative: String,
    #[schema(example = "CM00001")]
    pub compensator: String,
    pub references: References,
    pub notification_date: NaiveDate,
    /// The earliest due date among the claim's open deadlines.
    pub next_deadline: Option<NaiveDate>,
    /// A small claim nobody has acted on for 30 calendar days.
    pub dormant: bool,
    pub updated_at: DateTime<Utc>,
}

impl From<claims_persistence::records::ClaimOverview> for ClaimSummary {
    fn from(claim: claims_persistence::records::ClaimOverview) -> Self {
        Self {
            id: claim.id,
            claim_type: claim.claim_type,
            status: claim.status,
            version: claim.version,
            claimant_representative: claim.claimant_representative.to_string(),
            compensator: claim.compensator.to_string(),
            references: References {
                claimant_representative: claim.cr_reference,
                compensator: claim.cm_reference,
            },
            notification_date: claim.notification_date,
            next_deadline: claim.next_deadline,
            dormant: claim.dormant,
            updated_at: claim.updated_at,
        }
    }
}

/// Filters of `GET /v1/claims`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListClaimsQuery {
    pub status: Option<ClaimStatus>,
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub claim_type: Option<ClaimType>,
    /// Only claims changed at or after this instant.
    pub updated_since: Option<DateTime<Utc>>,
    /// Either party's own reference, exactly.
    pub reference: Option<String>,
    /// Code of the organisation on the other side.
    pub counterparty: Option<String>,
    /// Only claims with an open deadline due before this date.
    pub deadline_before: Option<NaiveDate>,
    /// `true`: only small claims nobody has acted on for 30 calendar days; `false`: only others.
    pub dormant: Option<bool>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Position in a walk of the claim list: when the walk began, and the last item's ordering key
/// (its last change before then) and id.
#[derive(Debug, Serialize, Deserialize)]
pub struct ClaimCursor {
    pub as_of: DateTime<Utc>,
    pub key: DateTime<Utc>,
    pub id: ClaimId,
}

/// A claim's audit trail, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct History {
    pub items: Vec<HistoryEntry>,
}

/// One entry of the audit trail.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub occurred_at: DateTime<Utc>,
    /// `claim.submitted`, `claim.acknowledged`, `claim.time_passed`, `claim.read`, …
    pub action: AuditAction,
    pub actor: crate::dto::event::ActorView,
    /// Statuses, version and the events raised.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl From<AuditEntry> for HistoryEntry {
    fn from(entry: AuditEntry) -> Self {
        Self {
            occurred_at: entry.occurred_at,
            action: entry.action,
            actor: crate::dto::event::ActorView::from(&entry.actor),
            detail: entry.detail,
        }
    }
}

/// `resubmit`: a corrected CNF, possibly addressed to another compensator.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({ "cnf": crate::examples::submit_claim(claims_domain::claim_type::ClaimType::Rta)["cnf"] }))]
pub struct ResubmitRequest {
    #[validate(nested)]
    pub cnf: Cnf,
}

/// What is left of a purged claim: anonymous facts only.
#[derive(Debug, Serialize, ToSchema)]
pub struct TombstoneView {
    #[schema(value_type = String, format = Uuid)]
    pub id: ClaimId,
    #[serde(rename = "type")]
    pub claim_type: ClaimType,
    /// `portal` or `small_claims`.
    pub track: &'static str,
    pub final_status: ClaimStatus,
    pub outcome: Option<Outcome>,
    /// Why the claim left the protocol, if it did.
    pub exit_reason: Option<String>,
    /// The kind of request (`erasure`, `rectification`, `restriction`) that purged the claim
    /// early, if one did; `final_status` is then the status the claim had when it was made.
    pub erasure: Option<String>,
    pub claimant_representative: String,
    pub compensator: String,
    pub notification_date: NaiveDate,
    pub submitted_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub purged_at: DateTime<Utc>,
}

impl From<claims_persistence::records::Tombstone> for TombstoneView {
    fn from(t: claims_persistence::records::Tombstone) -> Self {
        Self {
            id: t.id,
            claim_type: t.claim_type,
            track: t.claim_type.track().as_str(),
            final_status: t
                .facts
                .get("status_before_erasure")
                .and_then(|s| serde_json::from_value(s.clone()).ok())
                .unwrap_or(t.final_status),
            outcome: t.facts.get("outcome").and_then(|o| serde_json::from_value(o.clone()).ok()),
            exit_reason: t.facts.get("exit_reason").and_then(|r| r.as_str()).map(str::to_owned),
            erasure: t.facts.get("erasure").and_then(|r| r.as_str()).map(str::to_owned),
            claimant_representative: t.claimant_representative.to_string(),
            compensator: t.compensator.to_string(),
            notification_date: t.notification_date,
            submitted_at: t.submitted_at,
            ended_at: t.ended_at,
            purged_at: t.purged_at,
        }
    }
}

/// A page of the caller's purged claims.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PurgedClaimsQuery {
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Position in the list of purged claims: the last item's purge time and id.
#[derive(Debug, Serialize, Deserialize)]
pub struct PurgedCursor {
    pub purged_at: DateTime<Utc>,
    pub id: ClaimId,
}
