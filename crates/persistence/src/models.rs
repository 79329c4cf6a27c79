//! Rows as they are read from and written to the tables, and their conversion to domain types.

use chrono::{DateTime, NaiveDate, Utc};
use claims_domain::claim::Claim;
use claims_domain::claim_status::ClaimStatus;
use claims_domain::claim_type::ClaimType;
use claims_domain::events::{AuditAction, EventType};
use claims_domain::ids::{ClaimId, OrganisationCode};
use claims_domain::organisation::{CompensatorType, Organisation, OrganisationKind, Role};
use claims_domain::retention::RetentionRules;
use diesel::prelude::*;

use crate::error::StoreError;
use crate::records::{Actor, AuditEntry, FeedEvent, NewAudit, NewEvent};
use crate::schema::*;
use crate::sql_types::{DbInstant, DbJson, DbUuid};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = organisations)]
pub(crate) struct OrganisationRow {
    pub code: String,
    pub kind: String,
    pub name: String,
    pub compensator_type: Option<String>,
    pub group_name: Option<String>,
    pub created_at: DbInstant,
}

impl OrganisationRow {
    pub(crate) fn from_domain(organisation: &Organisation, created_at: DateTime<Utc>) -> Self {
        Self {
            code: organisation.code.to_string(),
            kind: organisation.kind.as_str().to_owned(),
            name: organisation.name.clone(),
            compensator_type: organisation.compensator_type.map(|t| t.as_str().to_owned()),
            group_name: organisation.group.clone(),
            created_at: created_at.into(),
        }
    }

    pub(crate) fn into_domain(self) -> Result<Organisation, StoreError> {
        Ok(Organisation {
            code: parse_code(&self.code)?,
            kind: parse_word(&self.kind, OrganisationKind::parse)?,
            name: self.name,
            compensator_type: self
                .compensator_type
                .map(|t| parse_word(&t, CompensatorType::parse))
                .transpose()?,
            group: self.group_name,
        })
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_clients)]
pub(crate) struct ApiClientRow {
    pub client_id: String,
    pub organisation_code: String,
    pub role: String,
    pub label: String,
    pub created_at: DbInstant,
    pub disabled_at: Option<DbInstant>,
    pub failed_attempts: i32,
    pub locked_until: Option<DbInstant>,
    pub last_used_at: Option<DbInstant>,
    pub disabled_reason: Option<String>,
    pub last_token_at: Option<DbInstant>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = client_secrets)]
pub(crate) struct ClientSecretRow {
    pub id: DbUuid,
    pub client_id: String,
    pub secret_hash: String,
    pub created_at: DbInstant,
    pub expires_at: Option<DbInstant>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = signing_keys)]
pub(crate) struct SigningKeyRow {
    pub kid: String,
    pub private_key: Vec<u8>,
    pub public_key: Vec<u8>,
    pub created_at: DbInstant,
    pub retired_at: Option<DbInstant>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = claims)]
pub(crate) struct ClaimRow {
    pub id: DbUuid,
    pub claim_type: String,
    pub status: String,
    pub version: i64,
    pub claimant_rep_code: String,
    pub compensator_code: String,
    pub created_by_code: String,
    pub notification_date: NaiveDate,
    pub child: bool,
    pub cr_reference: String,
    pub cm_reference: Option<String>,
    pub cnf: DbJson,
    pub lifecycle: DbJson,
    pub next_due_at: Option<DbInstant>,
    pub next_deadline_date: Option<NaiveDate>,
    pub submitted_at: DbInstant,
    pub updated_at: DbInstant,
    /// A small claim nobody has acted on for a while (kept from the lifecycle, for lists).
    pub dormant: bool,
    /// When the claim's personal data is due to be purged (retention rules), if it has ended.
    pub purge_at: Option<DbInstant>,
    /// The revision of the bank-holiday calendar its deadlines were counted on (0: unknown).
    pub calendar_revision: i64,
}

impl ClaimRow {
    pub(crate) fn from_domain(
        claim: &Claim,
        retention: &RetentionRules,
        calendar_revision: i64,
    ) -> Result<Self, StoreError> {
        Ok(Self {
            id: claim.id.as_uuid().into(),
            claim_type: claim.claim_type.as_str().to_owned(),
            status: claim.status.as_str().to_owned(),
            version: claim.version,
            claimant_rep_code: claim.claimant_representative.to_string(),
            compensator_code: claim.compensator.to_string(),
            created_by_code: claim.created_by.to_string(),
            notification_date: claim.notification_date,
            child: claim.child,
            cr_reference: claim.cr_reference.clone(),
            cm_reference: claim.cm_reference.clone(),
            cnf: to_document(&claim.cnf)?,
            lifecycle: to_document(&claim.lifecycle)?,
            next_due_at: claim.lifecycle.next_due_at().map(Into::into),
            next_deadline_date: claim.lifecycle.next_deadline_date(),
            submitted_at: claim.submitted_at.into(),
            updated_at: claim.updated_at.into(),
            dormant: claim.lifecycle.dormant_since.is_some(),
            purge_at: claims_domain::retention::purge_at(claim, retention).map(Into::into),
            calendar_revision,
        })
    }

    pub(crate) fn into_domain(self) -> Result<Claim, StoreError> {
        Ok(Claim {
            id: ClaimId::from_uuid(self.id.0),
            claim_type: parse_word(&self.claim_type, ClaimType::parse)?,
            status: parse_word(&self.status, ClaimStatus::parse)?,
            version: self.version,
            claimant_representative: parse_code(&self.claimant_rep_code)?,
            compensator: parse_code(&self.compensator_code)?,
            created_by: parse_code(&self.created_by_code)?,
            notification_date: self.notification_date,
            child: self.child,
            cr_reference: self.cr_reference,
            cm_reference: self.cm_reference,
            cnf: from_document(self.cnf)?,
            lifecycle: from_document(self.lifecycle)?,
            submitted_at: self.submitted_at.0,
            updated_at: self.updated_at.0,
        })
    }
}

/// The columns of a claim row a list shows (no documents to read or decode).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = claims)]
pub(crate) struct ClaimOverviewRow {
    pub id: DbUuid,
    pub claim_type: String,
    pub status: String,
    pub version: i64,
    pub claimant_rep_code: String,
    pub compensator_code: String,
    pub notification_date: NaiveDate,
    pub cr_reference: String,
    pub cm_reference: Option<String>,
    pub next_deadline_date: Option<NaiveDate>,
    pub updated_at: DbInstant,
    pub dormant: bool,
}

impl ClaimOverviewRow {
    pub(crate) fn into_record(self) -> Result<crate::records::ClaimOverview, StoreError> {
        Ok(crate::records::ClaimOverview {
            id: ClaimId::from_uuid(self.id.0),
            claim_type: parse_word(&self.claim_type, ClaimType::parse)?,
            status: parse_word(&self.status, ClaimStatus::parse)?,
            version: self.version,
            claimant_representative: parse_code(&self.claimant_rep_code)?,
            compensator: parse_code(&self.compensator_code)?,
            cr_reference: self.cr_reference,
            cm_reference: self.cm_reference,
            notification_date: self.notification_date,
            next_deadline: self.next_deadline_date,
            dormant: self.dormant,
            updated_at: self.updated_at.0,
        })
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = claim_events)]
pub(crate) struct NewEventRow {
    pub claim_id: Option<DbUuid>,
    pub event_type: String,
    pub occurred_at: DbInstant,
    pub actor_org: Option<String>,
    pub actor_client: Option<String>,
    pub acting_user: Option<String>,
    pub data: DbJson,
}

impl NewEventRow {
    pub(crate) fn of(event: &NewEvent) -> Self {
        NewEventRow {
            claim_id: Some(event.claim_id.as_uuid().into()),
            event_type: event.event_type.as_str().to_owned(),
            occurred_at: event.occurred_at.into(),
            actor_org: event.actor.organisation.as_ref().map(ToString::to_string),
            actor_client: event.actor.client_id.clone(),
            acting_user: event.actor.acting_user.clone(),
            data: DbJson(event.data.clone()),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = claim_events)]
pub(crate) struct EventRow {
    pub claim_id: Option<DbUuid>,
    pub event_type: String,
    pub occurred_at: DbInstant,
    pub actor_org: Option<String>,
    pub actor_client: Option<String>,
    pub acting_user: Option<String>,
    pub data: DbJson,
}

impl EventRow {
    pub(crate) fn into_feed_event(self, position: i64) -> Result<FeedEvent, StoreError> {
        Ok(FeedEvent {
            position,
            claim_id: self.claim_id.map(|id| ClaimId::from_uuid(id.0)),
            event_type: parse_word(&self.event_type, EventType::parse)?,
            occurred_at: self.occurred_at.0,
            actor: actor_from(self.actor_org, self.actor_client, self.acting_user)?,
            data: self.data.0,
        })
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = claim_audit)]
pub(crate) struct AuditRow {
    pub occurred_at: DbInstant,
    pub action: String,
    pub actor_org: Option<String>,
    pub actor_client: Option<String>,
    pub acting_user: Option<String>,
    pub detail: DbJson,
}

impl AuditRow {
    pub(crate) fn into_entry(self) -> Result<AuditEntry, StoreError> {
        Ok(AuditEntry {
            occurred_at: self.occurred_at.0,
            action: parse_word(&self.action, AuditAction::parse)?,
            actor: actor_from(self.actor_org, self.actor_client, self.acting_user)?,
            detail: self.detail.0,
        })
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = claim_audit)]
pub(crate) struct NewAuditRow {
    pub claim_id: DbUuid,
    pub occurred_at: DbInstant,
    pub action: String,
    pub actor_org: Option<String>,
    pub actor_client: Option<String>,
    pub acting_user: Option<String>,
    pub detail: DbJson,
}

impl NewAuditRow {
    pub(crate) fn of(audit: &NewAudit) -> Self {
        NewAuditRow {
            claim_id: audit.claim_id.as_uuid().into(),
            occurred_at: audit.occurred_at.into(),
            action: audit.action.as_str().to_owned(),
            actor_org: audit.actor.organisation.as_ref().map(ToString::to_string),
            actor_client: audit.actor.client_id.clone(),
            acting_user: audit.actor.acting_user.clone(),
            detail: DbJson(audit.detail.clone()),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = idempotency_keys)]
pub(crate) struct IdempotencyRow {
    pub client_id: String,
    pub idempotency_key: String,
    pub request_hash: String,
    pub created_at: DbInstant,
    pub completed_at: Option<DbInstant>,
    pub response_status: Option<i32>,
    pub response_headers: Option<DbJson>,
    pub response_body: Option<Vec<u8>>,
}

/// The actor recorded in an event or audit row's three actor columns.
fn actor_from(
    organisation: Option<String>,
    client_id: Option<String>,
    acting_user: Option<String>,
) -> Result<Actor, StoreError> {
    Ok(Actor { organisation: organisation.as_deref().map(parse_code).transpose()?, client_id, acting_user })
}

fn to_document<T: serde::Serialize>(value: &T) -> Result<DbJson, StoreError> {
    serde_json::to_value(value).map(DbJson).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn from_document<T: serde::de::DeserializeOwned>(document: DbJson) -> Result<T, StoreError> {
    serde_json::from_value(document.0).map_err(|e| StoreError::Corrupt(e.to_string()))
}

pub(crate) fn parse_code(raw: &str) -> Result<OrganisationCode, StoreError> {
    OrganisationCode::parse(raw).map_err(|_| StoreError::Corrupt(format!("organisation code {raw:?}")))
}

pub(crate) fn parse_word<T>(raw: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, StoreError> {
    parse(raw).ok_or_else(|| StoreError::Corrupt(format!("unexpected value {raw:?}")))
}

pub(crate) fn parse_role(raw: &str) -> Result<Role, StoreError> {
    parse_word(raw, Role::parse)
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = event_recipients)]
pub(crate) struct RecipientRow {
    pub organisation_code: String,
    pub event_id: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = transfer_offers)]
pub(crate) struct TransferOfferRow {
    pub id: DbUuid,
    pub claim_id: DbUuid,
    pub from_code: String,
    pub to_code: String,
    pub status: String,
    pub offered_at: DbInstant,
    pub answered_at: Option<DbInstant>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = attachments)]
pub(crate) struct AttachmentInfoRow {
    pub id: DbUuid,
    pub claim_id: DbUuid,
    pub title: String,
    pub description: Option<String>,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: DbInstant,
}

impl AttachmentInfoRow {
    pub(crate) fn into_info(self) -> Result<crate::records::AttachmentInfo, StoreError> {
        Ok(crate::records::AttachmentInfo {
            id: self.id.0,
            claim_id: ClaimId::from_uuid(self.claim_id.0),
            title: self.title,
            description: self.description,
            file_name: self.file_name,
            media_type: self.media_type,
            size_bytes: self.size_bytes,
            sha256: self.sha256,
            uploaded_by: parse_code(&self.uploaded_by)?,
            uploaded_at: self.uploaded_at.0,
        })
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = attachments)]
pub(crate) struct NewAttachmentRow {
    pub id: DbUuid,
    pub claim_id: DbUuid,
    pub title: String,
    pub description: Option<String>,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub content: Vec<u8>,
    pub uploaded_by: String,
    pub uploaded_at: DbInstant,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = data_subject_requests, treat_none_as_null = true)]
pub(crate) struct DsrRow {
    pub id: DbUuid,
    pub claim_id: DbUuid,
    pub kind: String,
    pub received_on: NaiveDate,
    pub reference: String,
    pub recorded_by: String,
    pub recorded_at: DbInstant,
    pub due_on: NaiveDate,
    pub extension_reason: Option<String>,
    pub extended_at: Option<DbInstant>,
    pub outcome: Option<String>,
    pub ground: Option<String>,
    pub closed_at: Option<DbInstant>,
}

impl DsrRow {
    pub(crate) fn of(request: &crate::records::DataSubjectRequest) -> Self {
        Self {
            id: DbUuid(request.id),
            claim_id: DbUuid(request.claim_id.as_uuid()),
            kind: request.kind.as_str().to_owned(),
            received_on: request.received_on,
            reference: request.reference.clone(),
            recorded_by: request.recorded_by.to_string(),
            recorded_at: request.recorded_at.into(),
            due_on: request.due_on,
            extension_reason: request.extension_reason.clone(),
            extended_at: request.extended_at.map(Into::into),
            outcome: request.outcome.map(|o| o.as_str().to_owned()),
            ground: request.ground.clone(),
            closed_at: request.closed_at.map(Into::into),
        }
    }

    pub(crate) fn into_request(self) -> Result<crate::records::DataSubjectRequest, StoreError> {
        use claims_domain::data_subject::{DsrKind, DsrOutcome};
        Ok(crate::records::DataSubjectRequest {
            id: self.id.0,
            claim_id: ClaimId::from_uuid(self.claim_id.0),
            kind: parse_word(&self.kind, DsrKind::parse)?,
            received_on: self.received_on,
            reference: self.reference,
            recorded_by: parse_code(&self.recorded_by)?,
            recorded_at: self.recorded_at.0,
            due_on: self.due_on,
            extension_reason: self.extension_reason,
            extended_at: self.extended_at.map(|i| i.0),
            outcome: self.outcome.as_deref().map(|o| parse_word(o, DsrOutcome::parse)).transpose()?,
            ground: self.ground,
            closed_at: self.closed_at.map(|i| i.0),
        })
    }
}
