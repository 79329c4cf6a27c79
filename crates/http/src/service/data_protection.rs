//! The hub's data-protection duties towards the people a claim is about: the export of a
//! claim's whole record (access and portability), and the requests people make to a claim's
//! parties (recorded, due by a computed date, extended once, closed with an outcome).

use base64::Engine;
use claims_domain::claim::Claim;
use claims_domain::data_subject::{self, DsrOutcome, EXTENDED_RESPONSE_MONTHS, RESPONSE_MONTHS};
use claims_domain::events::{AuditAction, EventType};
use claims_domain::ids::ClaimId;
use claims_domain::validation::FieldErrors;
use claims_persistence::records::{DataSubjectRequest, DsrQuery};
use serde_json::json;

use super::claims::{history_of, record_read, step_records, view_of, visible_claim};
use crate::auth::Caller;
use crate::dto::attachment::AttachmentView;
use crate::dto::claim::HistoryEntry;
use crate::dto::data_subject::{
    CloseDsrRequest, DsrCursor, DsrView, ExtendDsrRequest, ListDsrQuery, RecordDsrRequest,
};
use crate::dto::event::EventView;
use crate::dto::export::{ClaimExport, EXPORT_SCHEMA_VERSION, ExportedAttachment};
use crate::dto::page::{self, Page};
use crate::error::ApiError;
use crate::state::AppState;

/// The complete record of a claim of the caller's, as one document; recorded in the audit trail
/// as a read (`claim.exported`) before it is assembled, so the export holds its own entry.
pub async fn export(state: &AppState, caller: &Caller, id: ClaimId) -> Result<ClaimExport, ApiError> {
    caller.require_claims_role()?;
    let (claim, side) = visible_claim(state, caller, id).await?;
    record_read(state, caller, &claim, AuditAction::Exported).await?;
    state.sequencer.catch_up(&state.db).await?;
    let organisation = caller.organisation.to_string();
    let events = state.db.claim_events_for(claim.id, &organisation).await?;
    let history = history_of(state, claim.id).await?;
    let mut attachments = Vec::new();
    for info in state.db.attachments_of(claim.id).await? {
        let Some((info, bytes)) = state.db.attachment(claim.id, info.id).await? else { continue };
        attachments.push(ExportedAttachment {
            attachment: AttachmentView::from(info),
            content_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        });
    }
    Ok(ClaimExport {
        schema_version: EXPORT_SCHEMA_VERSION,
        exported_at: state.clock.now(),
        exported_by: organisation,
        claim: view_of(state, claim, side).await?,
        history: history.into_iter().map(HistoryEntry::from).collect(),
        events: events.into_iter().map(EventView::from).collect(),
        attachments,
    })
}

/// Records a request the caller received about a claim of its own; both parties are told.
pub async fn record_request(
    state: &AppState,
    caller: &Caller,
    id: ClaimId,
    body: impl FnOnce() -> Result<RecordDsrRequest, ApiError>,
) -> Result<DsrView, ApiError> {
    caller.require_claims_role()?;
    // Whose claim it is comes first: someone else's is a 404 whatever the body says.
    let (claim, _side) = visible_claim(state, caller, id).await?;
    let body = body()?;
    let today = state.clock.today();
    if body.received_on > today {
        return Err(ApiError::invalid_field("received_on", "date_in_future", "must not be in the future"));
    }
    let calendar = state.calendar.current(&state.db).await?;
    let now = state.clock.now();
    let request = DataSubjectRequest {
        id: uuid::Uuid::now_v7(),
        claim_id: claim.id,
        kind: body.kind,
        received_on: body.received_on,
        reference: body.reference,
        recorded_by: caller.organisation.clone(),
        recorded_at: now,
        due_on: data_subject::due_date(body.received_on, RESPONSE_MONTHS, &calendar),
        extension_reason: None,
        extended_at: None,
        outcome: None,
        ground: None,
        closed_at: None,
    };
    let (event, audit) = records_of(
        &claim,
        caller,
        &request,
        (EventType::DataSubjectRequestRecorded, AuditAction::DataSubjectRequestRecorded),
        now,
    );
    state.db.insert_dsr(&request, &event, &audit).await?;
    state.sequencer.after_write();
    tracing::info!(claim_id = %claim.id, request_id = %request.id, kind = %request.kind, "data-subject request recorded");
    Ok(DsrView::of(request, today))
}

/// The requests recorded on a claim of the caller's, oldest first.
pub async fn requests_of_claim(
    state: &AppState,
    caller: &Caller,
    id: ClaimId,
) -> Result<Vec<DsrView>, ApiError> {
    caller.require_claims_role()?;
    let (claim, _side) = visible_claim(state, caller, id).await?;
    let today = state.clock.today();
    Ok(state.db.dsrs_of_claim(claim.id).await?.into_iter().map(|r| DsrView::of(r, today)).collect())
}

/// The one extension of a complex request: due three months after receipt. Only the party that
/// recorded it answers it; a closed or already extended request is a `409`.
pub async fn extend_request(
    state: &AppState,
    caller: &Caller,
    id: ClaimId,
    request_id: uuid::Uuid,
    body: impl FnOnce() -> Result<ExtendDsrRequest, ApiError>,
) -> Result<DsrView, ApiError> {
    let (claim, mut request) = own_open_request(state, caller, id, request_id).await?;
    let body = body()?;
    if request.extended_at.is_some() {
        return Err(conflict("already_extended", "a request can be extended once only"));
    }
    let calendar = state.calendar.current(&state.db).await?;
    let now = state.clock.now();
    request.due_on = data_subject::due_date(request.received_on, EXTENDED_RESPONSE_MONTHS, &calendar);
    request.extension_reason = Some(body.reason);
    request.extended_at = Some(now);
    let (event, audit) = records_of(
        &claim,
        caller,
        &request,
        (EventType::DataSubjectRequestExtended, AuditAction::DataSubjectRequestExtended),
        now,
    );
    if !state.db.update_dsr(&request, true, &event, &audit).await? {
        return Err(conflict("already_extended", "the request was extended or closed meanwhile"));
    }
    state.sequencer.after_write();
    Ok(DsrView::of(request, state.clock.today()))
}

/// Closes a request with its outcome (a refusal with its legal ground).
pub async fn close_request(
    state: &AppState,
    caller: &Caller,
    id: ClaimId,
    request_id: uuid::Uuid,
    body: impl FnOnce() -> Result<CloseDsrRequest, ApiError>,
) -> Result<DsrView, ApiError> {
    let (claim, mut request) = own_open_request(state, caller, id, request_id).await?;
    let body = body()?;
    let mut errors = FieldErrors::new();
    match (body.outcome, &body.ground) {
        (DsrOutcome::Refused, None) => errors.add("ground", "required", "a refusal gives its legal ground"),
        (DsrOutcome::Completed | DsrOutcome::Withdrawn, Some(_)) => {
            errors.add("ground", "not_applicable", "only with refused")
        }
        _ => {}
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let now = state.clock.now();
    request.outcome = Some(body.outcome);
    request.ground = body.ground;
    request.closed_at = Some(now);
    let (event, audit) = records_of(
        &claim,
        caller,
        &request,
        (EventType::DataSubjectRequestClosed, AuditAction::DataSubjectRequestClosed),
        now,
    );
    if !state.db.update_dsr(&request, false, &event, &audit).await? {
        return Err(conflict("request_closed", "the request was closed meanwhile"));
    }
    state.sequencer.after_write();
    Ok(DsrView::of(request, state.clock.today()))
}

/// The requests on every claim of the caller's organisation, by due date (`overdue`: only open
/// ones past it).
pub async fn requests_of_organisation(
    state: &AppState,
    caller: &Caller,
    query: ListDsrQuery,
) -> Result<Page<DsrView>, ApiError> {
    let side = caller.require_claims_role()?;
    let limit = page::limit(query.limit)?;
    let cursors = state.cursors();
    let after = query.cursor.as_deref().map(|c| cursors.decode::<DsrCursor>(c)).transpose()?;
    let today = state.clock.today();
    let rows = state
        .db
        .dsrs_of_organisation(&DsrQuery {
            organisation: caller.organisation.clone(),
            side,
            overdue_on: query.overdue.filter(|o| *o).map(|_| today),
            after: after.map(|c| (c.due_on, c.id)),
            limit: limit + 1,
        })
        .await?;
    Ok(cursors.paginate(rows, limit, |r| DsrCursor { due_on: r.due_on, id: r.id }, |r| DsrView::of(r, today)))
}

/// A still-open request of a claim of the caller's, recorded by the caller's organisation.
async fn own_open_request(
    state: &AppState,
    caller: &Caller,
    id: ClaimId,
    request_id: uuid::Uuid,
) -> Result<(Claim, DataSubjectRequest), ApiError> {
    caller.require_claims_role()?;
    let (claim, _side) = visible_claim(state, caller, id).await?;
    let request = state
        .db
        .dsrs_of_claim(claim.id)
        .await?
        .into_iter()
        .find(|r| r.id == request_id)
        .ok_or(ApiError::NotFound)?;
    if request.recorded_by != caller.organisation {
        return Err(conflict("not_recording_party", "only the party that recorded a request answers it"));
    }
    if request.closed_at.is_some() {
        return Err(conflict("request_closed", "the request is already closed"));
    }
    Ok((claim, request))
}

fn conflict(code: &'static str, detail: &str) -> ApiError {
    ApiError::Conflict { code, detail: detail.to_owned(), retry_after: None }
}

/// The event to both parties and the audit entry of a step of a request: ids, kind, dates and
/// outcome, never the reference or reasons.
fn records_of(
    claim: &Claim,
    caller: &Caller,
    request: &DataSubjectRequest,
    step: (EventType, AuditAction),
    now: chrono::DateTime<chrono::Utc>,
) -> (claims_persistence::records::NewEvent, claims_persistence::records::NewAudit) {
    let data = json!({
        "request_id": request.id,
        "kind": request.kind,
        "received_on": request.received_on,
        "due_on": request.due_on,
        "outcome": request.outcome,
        "status": claim.status,
        "version": claim.version,
    });
    let detail = json!({ "request_id": request.id, "kind": request.kind, "due_on": request.due_on, "outcome": request.outcome });
    step_records(claim, step, caller.actor(), now, data, detail)
}

/// An access report: the organisation's clients (for one organisation) and, between the start
/// of `from` and the end of `to` in England, every read and change of a claim by its clients.
/// `organisation`: `None` for every organisation (operators only).
pub async fn access_report(
    state: &AppState,
    organisation: Option<claims_domain::ids::OrganisationCode>,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<crate::dto::access::AccessReport, ApiError> {
    use crate::dto::access::{AccessCursor, AccessEntryView, AccessReport};
    if to < from {
        return Err(ApiError::bad_request("invalid_period", "to must not be before from"));
    }
    let limit = page::limit(limit)?;
    let cursors = state.cursors();
    let after = cursor.map(|c| cursors.decode::<AccessCursor>(c)).transpose()?;
    let until = claims_domain::calendar::start_of_day(to.succ_opt().unwrap_or(to));
    let rows = state
        .db
        .access_entries(&claims_persistence::records::AccessQuery {
            organisation: organisation.clone(),
            from: claims_domain::calendar::start_of_day(from),
            until,
            after: after.map(|c| c.after),
            limit: limit + 1,
        })
        .await?;
    let clients = match &organisation {
        Some(code) => state.db.list_clients(code.as_str()).await?.into_iter().map(Into::into).collect(),
        None => Vec::new(),
    };
    let page = cursors.paginate(rows, limit, |r| AccessCursor { after: r.id }, AccessEntryView::from);
    Ok(AccessReport { clients, items: page.items, next_cursor: page.next_cursor })
}

/// The operator's access report of one organisation (by its code) or of every organisation.
pub async fn operator_access_report(
    state: &AppState,
    caller: &Caller,
    organisation: Option<&str>,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<crate::dto::access::AccessReport, ApiError> {
    caller.require_operator()?;
    let organisation = match organisation {
        None => None,
        Some(code) => {
            let code = claims_domain::ids::OrganisationCode::parse(code).map_err(|_| ApiError::NotFound)?;
            state.directory.get(&state.db, &code).await?.ok_or(ApiError::NotFound)?;
            Some(code)
        }
    };
    access_report(state, organisation, from, to, limit, cursor).await
}

/// The caller organisation's purged claims (it was a party when they were purged), latest purge
/// first: anonymous tombstones only.
pub async fn purged_claims(
    state: &AppState,
    caller: &Caller,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<crate::dto::claim::TombstoneView>, ApiError> {
    use crate::dto::claim::{PurgedCursor, TombstoneView};
    let limit = page::limit(limit)?;
    let cursors = state.cursors();
    let after = cursor.map(|c| cursors.decode::<PurgedCursor>(c)).transpose()?.map(|c| (c.purged_at, c.id));
    let rows = state.db.tombstones_of(caller.organisation.as_str(), after, limit + 1).await?;
    Ok(cursors.paginate(
        rows,
        limit,
        |t| PurgedCursor { purged_at: t.purged_at, id: t.id },
        TombstoneView::from,
    ))
}
