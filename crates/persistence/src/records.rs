//! What the storage layer takes and returns, beyond the domain's own types.

use chrono::{DateTime, Utc};
use claims_domain::claim_status::ClaimStatus;
use claims_domain::claim_type::ClaimType;
use claims_domain::events::{AuditAction, EventType};
use claims_domain::ids::{ClaimId, OrganisationCode};
use claims_domain::organisation::{Organisation, OrganisationKind, Role};
use claims_domain::party::Side;

/// Who did something: an organisation's client (and the person it acts for), or the hub itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Actor {
    /// `None` for the hub's own actions (deadline consequences).
    pub organisation: Option<OrganisationCode>,
    pub client_id: Option<String>,
    pub acting_user: Option<String>,
}

/// A new API client with its first secret.
#[derive(Clone, Debug)]
pub struct NewClient {
    pub client_id: String,
    pub organisation: OrganisationCode,
    pub role: Role,
    pub label: String,
    pub secret_hash: String,
    pub created_at: DateTime<Utc>,
}

/// What token issuance needs to know of a client.
#[derive(Clone, Debug)]
pub struct ClientCredentials {
    pub client_id: String,
    pub organisation: Organisation,
    pub role: Role,
    pub disabled: bool,
    pub locked_until: Option<DateTime<Utc>>,
    /// Hashes of the secrets that are valid now (the current one, and during a rotation's
    /// overlap the previous one).
    pub secret_hashes: Vec<String>,
}

/// What a request with a token needs to know of its client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientStatus {
    pub client_id: String,
    pub organisation: OrganisationCode,
    pub organisation_kind: OrganisationKind,
    pub role: Role,
    pub disabled: bool,
    /// When it last got a token or made a request (to the hour), or was created.
    pub last_used_at: DateTime<Utc>,
}

/// An API client as the operator sees it.
#[derive(Clone, Debug)]
pub struct ClientSummary {
    pub client_id: String,
    pub organisation: OrganisationCode,
    pub role: Role,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
    /// When it last got a token or made a request (to the hour).
    pub last_used_at: Option<DateTime<Utc>>,
    /// `operator` or `unused` (90 days without use), when disabled.
    pub disabled_reason: Option<String>,
}

/// An event about an organisation itself rather than one of its claims, for its own feed.
#[derive(Clone, Debug)]
pub struct OrganisationEvent {
    pub organisation: OrganisationCode,
    pub event_type: claims_domain::events::EventType,
    pub occurred_at: DateTime<Utc>,
    pub data: serde_json::Value,
}

/// A token-signing key pair.
#[derive(Clone, Debug)]
pub struct SigningKey {
    pub kid: String,
    /// PKCS#8 DER of the Ed25519 private key.
    pub private_key: Vec<u8>,
    /// The 32-byte Ed25519 public key.
    pub public_key: Vec<u8>,
    pub created_at: DateTime<Utc>,
    pub retired_at: Option<DateTime<Utc>>,
}

/// An event for the feed, with the organisations that are told of it.
#[derive(Clone, Debug)]
pub struct NewEvent {
    pub claim_id: ClaimId,
    pub event_type: EventType,
    pub occurred_at: DateTime<Utc>,
    pub actor: Actor,
    pub data: serde_json::Value,
    pub recipients: Vec<OrganisationCode>,
}

/// An event as an organisation's feed shows it.
#[derive(Clone, Debug)]
pub struct FeedEvent {
    /// The feed position: the cursor of the feed.
    pub position: i64,
    /// `None` for an event about the organisation itself.
    pub claim_id: Option<ClaimId>,
    pub event_type: EventType,
    pub occurred_at: DateTime<Utc>,
    pub actor: Actor,
    pub data: serde_json::Value,
}

/// An entry of a claim's audit trail.
#[derive(Clone, Debug)]
pub struct NewAudit {
    pub claim_id: ClaimId,
    pub occurred_at: DateTime<Utc>,
    pub action: AuditAction,
    pub actor: Actor,
    pub detail: serde_json::Value,
}

/// An entry of a claim's audit trail, as read back.
#[derive(Clone, Debug)]
pub struct AuditEntry {
    pub occurred_at: DateTime<Utc>,
    pub action: AuditAction,
    pub actor: Actor,
    pub detail: serde_json::Value,
}

/// A change to an existing claim: the claim as it now is, the version it must still have in
/// storage, and what to record and tell.
#[derive(Clone, Debug)]
pub struct ClaimChange {
    pub claim: claims_domain::claim::Claim,
    pub expected_version: i64,
    pub events: Vec<NewEvent>,
    pub audit: NewAudit,
    /// A transfer offer the change opened or closed.
    pub transfer: Option<claims_domain::lifecycle::TransferNote>,
    /// The anonymous facts the change adds to the statistics.
    pub statistics: Vec<claims_domain::statistics::Fact>,
    /// The revision of the bank-holiday calendar the claim's deadlines are counted on (0 when
    /// they may not match the calendar in use: the recount then checks the claim).
    pub calendar_revision: i64,
}

/// A transfer offer as its two representatives see it: ids, codes and dates, no personal data.
#[derive(Clone, Debug)]
pub struct TransferOfferSummary {
    pub id: uuid::Uuid,
    pub claim_id: ClaimId,
    pub from: OrganisationCode,
    pub to: OrganisationCode,
    /// `open`, `accepted`, `declined` or `cancelled`.
    pub status: String,
    pub offered_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub claim_type: ClaimType,
    pub claim_status: ClaimStatus,
    pub notification_date: chrono::NaiveDate,
}

/// A new attachment.
#[derive(Clone, Debug)]
pub struct NewAttachment {
    pub id: uuid::Uuid,
    pub claim_id: ClaimId,
    pub title: String,
    pub description: Option<String>,
    pub file_name: String,
    pub media_type: String,
    pub sha256: String,
    pub content: Vec<u8>,
    pub uploaded_by: OrganisationCode,
    pub uploaded_at: DateTime<Utc>,
}

/// An attachment's description, without its bytes.
#[derive(Clone, Debug)]
pub struct AttachmentInfo {
    pub id: uuid::Uuid,
    pub claim_id: ClaimId,
    pub title: String,
    pub description: Option<String>,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: OrganisationCode,
    pub uploaded_at: DateTime<Utc>,
}

/// A response kept for an idempotency key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// One POST's idempotency key, scoped to the client that sent it.
#[derive(Clone, Debug)]
pub struct IdempotencyScope {
    pub client_id: String,
    pub key: String,
    pub request_hash: String,
}

/// What a key already holds when a request arrives with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdempotencyState {
    /// The key is new: this request owns it and must complete or release it.
    Acquired,
    /// A request with this key is still being processed.
    InFlight { request_hash: String },
    /// A request with this key finished with this response.
    Completed { request_hash: String, response: StoredResponse },
}

/// Which of an organisation's claims to list, and where a page starts.
#[derive(Clone, Debug)]
pub struct ClaimQuery {
    pub organisation: OrganisationCode,
    /// The side the organisation is on (claimant representatives and compensators never swap).
    pub side: Side,
    pub status: Option<ClaimStatus>,
    pub claim_type: Option<ClaimType>,
    pub updated_since: Option<DateTime<Utc>>,
    pub reference: Option<String>,
    pub counterparty: Option<OrganisationCode>,
    /// Only claims with an open deadline due before this date.
    pub deadline_before: Option<chrono::NaiveDate>,
    /// Only dormant small claims (`true`), or only claims that are not (`false`).
    pub dormant: Option<bool>,
    /// When the walk began: the list is ordered as the claims stood then.
    pub as_of: DateTime<Utc>,
    /// The last item of the previous page: its ordering key and id.
    pub after: Option<(DateTime<Utc>, ClaimId)>,
    pub limit: i64,
    /// How many of the walk's claims may have changed since it began before a later page is
    /// refused (each page re-places them, so this bounds its cost).
    pub changed_limit: usize,
}

/// A page of claims, or why a walk cannot go on.
#[derive(Clone, Debug)]
pub enum ClaimListing {
    Page(Vec<ListedClaim>),
    /// More of the walk's claims changed since it began than a page may re-place.
    Outdated,
}

/// A claim in a list, with the key it is ordered by (its last change before the walk began).
#[derive(Clone, Debug)]
pub struct ListedClaim {
    pub claim: ClaimOverview,
    pub key: DateTime<Utc>,
}

/// What a list shows of a claim: columns of its row, read without its form and lifecycle
/// documents.
#[derive(Clone, Debug)]
pub struct ClaimOverview {
    pub id: ClaimId,
    pub claim_type: ClaimType,
    pub status: ClaimStatus,
    pub version: i64,
    pub claimant_representative: OrganisationCode,
    pub compensator: OrganisationCode,
    pub cr_reference: String,
    pub cm_reference: Option<String>,
    pub notification_date: chrono::NaiveDate,
    /// The earliest due date among its open deadlines.
    pub next_deadline: Option<chrono::NaiveDate>,
    pub dormant: bool,
    pub updated_at: DateTime<Utc>,
}

/// Which organisations to list, and where a page starts.
#[derive(Clone, Debug, Default)]
pub struct OrganisationQuery {
    pub kind: Option<OrganisationKind>,
    /// Matches the code or (case-insensitively) part of the name.
    pub text: Option<String>,
    pub after_code: Option<String>,
    pub limit: i64,
    /// The public directory leaves the hub's operators out.
    pub include_operators: bool,
}

/// A data-subject request recorded on a claim (domain.md §9).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataSubjectRequest {
    pub id: uuid::Uuid,
    pub claim_id: ClaimId,
    pub kind: claims_domain::data_subject::DsrKind,
    pub received_on: chrono::NaiveDate,
    /// The recording party's own reference.
    pub reference: String,
    pub recorded_by: OrganisationCode,
    pub recorded_at: DateTime<Utc>,
    pub due_on: chrono::NaiveDate,
    pub extension_reason: Option<String>,
    pub extended_at: Option<DateTime<Utc>>,
    pub outcome: Option<claims_domain::data_subject::DsrOutcome>,
    /// The legal ground of a refusal.
    pub ground: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// Which data-subject requests to list across an organisation's claims, and where a page starts.
#[derive(Clone, Debug)]
pub struct DsrQuery {
    pub organisation: OrganisationCode,
    pub side: Side,
    /// Only open requests due before this date.
    pub overdue_on: Option<chrono::NaiveDate>,
    /// The last item of the previous page: its due date and id.
    pub after: Option<(chrono::NaiveDate, uuid::Uuid)>,
    pub limit: i64,
}

/// What is left of a purged claim: anonymous facts, for statistics and for the parties' `410`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tombstone {
    pub id: ClaimId,
    pub claim_type: claims_domain::claim_type::ClaimType,
    pub final_status: claims_domain::claim_status::ClaimStatus,
    pub claimant_representative: OrganisationCode,
    pub compensator: OrganisationCode,
    pub notification_date: chrono::NaiveDate,
    pub submitted_at: DateTime<Utc>,
    /// The claim's last change before the purge (when it ended).
    pub ended_at: DateTime<Utc>,
    pub purged_at: DateTime<Utc>,
    /// Outcome and exit reason, as recorded at the purge.
    pub facts: serde_json::Value,
}

/// Which audit entries an access report shows, and where a page starts.
#[derive(Clone, Debug)]
pub struct AccessQuery {
    /// Only this organisation's actions (`None`: every organisation's, for the operator).
    pub organisation: Option<OrganisationCode>,
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
    /// The last entry of the previous page.
    pub after: Option<i64>,
    pub limit: i64,
}

/// One read or change of a claim, for an access report.
#[derive(Clone, Debug)]
pub struct AccessEntry {
    pub id: i64,
    pub claim_id: ClaimId,
    pub entry: AuditEntry,
}

/// How many facts of one shape a period holds (see `claims_domain::statistics`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatisticCount {
    /// `YYYY-MM`.
    pub month: String,
    pub kind: String,
    pub claim_type: String,
    pub detail: Option<String>,
    pub party: Option<String>,
    pub business_days: Option<u32>,
    pub count: u64,
}

/// An organisation none of whose clients was used for the inactivity period.
#[derive(Clone, Debug)]
pub struct InactiveOrganisation {
    pub organisation: Organisation,
    pub created_at: DateTime<Utc>,
    /// The last use of any of its clients; `None` if none was ever used.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Its claims not yet purged (removal waits for them).
    pub live_claims: i64,
}

/// What removing an organisation came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Removal {
    Removed,
    /// No such organisation (or removed already, or an operator organisation).
    NotFound,
    /// One of its clients was used within the period, or it is newer than the period.
    Active,
    OnLegalHold,
    /// Claims naming it still hold personal data.
    HasLiveClaims(i64),
}
