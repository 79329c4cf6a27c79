//! Claims, their events and their audit trail.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use claims_domain::claim::Claim;
use claims_domain::events::AuditAction;
use claims_domain::ids::ClaimId;
use claims_domain::party::Side;
use claims_domain::retention::RetentionRules;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::idempotency::complete_idempotency;
use super::statistics::insert_facts;
use super::transfers::write_transfer_note;
use super::{Conn, Db, insert_audit_rows, insert_event_rows, insert_recipient_rows, update_claim_rows};
use crate::error::StoreError;
use crate::models::{AuditRow, ClaimOverviewRow, ClaimRow, NewAuditRow, NewEventRow, RecipientRow};
use crate::records::{
    AccessEntry, AccessQuery, AuditEntry, ClaimChange, ClaimListing, ClaimQuery, IdempotencyScope,
    ListedClaim, NewAudit, NewEvent, StoredResponse,
};
use crate::schema::{claim_audit, claim_events, claims};
use crate::sql_types::{DbInstant, DbUuid};

/// Stores a new claim with its first event and audit entry, and (when the request carried an
/// Idempotency-Key) the response, all in one transaction: a claim never exists without its event,
/// and a retried request can never create a second one.
pub(crate) async fn insert_claim(
    conn: &mut Conn,
    (claim, row): (&Claim, &ClaimRow),
    event: &NewEvent,
    audit: &NewAudit,
    idempotency: Option<(&IdempotencyScope, &StoredResponse)>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    transaction!(conn, async |conn| {
        diesel::insert_into(claims::table).values(row).execute(conn).await?;
        insert_event(conn, event).await?;
        insert_audit(conn, audit).await?;
        insert_facts(conn, &claims_domain::statistics::of_submission(claim)).await?;
        if let Some((scope, response)) = idempotency {
            complete_idempotency(conn, scope, response, now).await?;
        }
        Ok(())
    })
}

pub(crate) async fn insert_event(conn: &mut Conn, event: &NewEvent) -> Result<i64, StoreError> {
    let id: i64 = diesel::insert_into(claim_events::table)
        .values(NewEventRow::of(event))
        .returning(claim_events::id)
        .get_result(conn)
        .await?;
    // Two or three recipients: one statement on PostgreSQL, one a row on SQLite.
    let recipients: Vec<RecipientRow> = event
        .recipients
        .iter()
        .map(|code| RecipientRow { organisation_code: code.to_string(), event_id: id })
        .collect();
    insert_recipient_rows(conn, &recipients).await?;
    Ok(id)
}

pub(crate) async fn insert_audit(conn: &mut Conn, audit: &NewAudit) -> Result<(), StoreError> {
    diesel::insert_into(claim_audit::table).values(NewAuditRow::of(audit)).execute(conn).await?;
    Ok(())
}

pub(crate) async fn claim(conn: &mut Conn, id: ClaimId) -> Result<Option<Claim>, StoreError> {
    claims::table
        .find(DbUuid(id.as_uuid()))
        .filter(claims::purged_at.is_null())
        .select(ClaimRow::as_select())
        .first(conn)
        .await
        .optional()?
        .map(ClaimRow::into_domain)
        .transpose()
}

/// The caller's claims matching the query's filters (no ordering or cursor yet).
fn matching_claims(query: &ClaimQuery) -> claims::BoxedQuery<'static, Db> {
    let organisation = query.organisation.to_string();
    let mut select = claims::table.filter(claims::purged_at.is_null()).into_boxed();
    // Each organisation is on one side of all its claims, so only that side's index is needed.
    select = match query.side {
        Side::ClaimantRepresentative => select.filter(claims::claimant_rep_code.eq(organisation)),
        Side::Compensator => select.filter(claims::compensator_code.eq(organisation)),
    };
    if let Some(counterparty) = &query.counterparty {
        select = match query.side {
            Side::ClaimantRepresentative => {
                select.filter(claims::compensator_code.eq(counterparty.to_string()))
            }
            Side::Compensator => select.filter(claims::claimant_rep_code.eq(counterparty.to_string())),
        };
    }
    if let Some(status) = query.status {
        select = select.filter(claims::status.eq(status.as_str()));
    }
    if let Some(claim_type) = query.claim_type {
        select = select.filter(claims::claim_type.eq(claim_type.as_str()));
    }
    if let Some(since) = query.updated_since {
        select = select.filter(claims::updated_at.ge(DbInstant::from(since)));
    }
    if let Some(dormant) = query.dormant {
        select = select.filter(claims::dormant.eq(dormant));
    }
    if let Some(before) = query.deadline_before {
        select = select.filter(claims::next_deadline_date.lt(before));
    }
    if let Some(reference) = &query.reference {
        select = select.filter(
            claims::cr_reference.eq(reference.clone()).or(claims::cm_reference.eq(reference.clone())),
        );
    }
    select
}

/// A page of an organisation's claims, newest change first, as the walk saw them when it began
/// (`query.as_of`). Claims unchanged since then come straight from the index; a claim changed
/// since is placed where its last change before `as_of` put it (read from the audit trail), so a
/// walk neither repeats nor skips it. Claims submitted after the walk began are not part of it.
pub(crate) async fn list_claims(conn: &mut Conn, query: &ClaimQuery) -> Result<ClaimListing, StoreError> {
    let as_of = DbInstant::from(query.as_of);
    let limit = usize::try_from(query.limit).unwrap_or(usize::MAX);
    let mut stable = matching_claims(query);
    // The first page is every claim as it stands (whatever the clock says: a sandbox clock put
    // back never hides a claim); later pages are the walk as of its start.
    if query.after.is_some() {
        stable = stable.filter(claims::updated_at.le(as_of));
    }
    if let Some((key, id)) = query.after {
        // A row-value comparison: both databases read it as one range of the party's index, so
        // a deep page costs what the first does (an OR of the two conditions made PostgreSQL
        // walk the index from the top: 103 ms against 0.13 ms at a quarter of 200,000 claims,
        // benches/list-plans.sh).
        use crate::sql_types::sql::{Instant, Uuid};
        stable = stable.filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("(claims.updated_at, claims.id) < (")
                .bind::<Instant, _>(DbInstant::from(key))
                .sql(", ")
                .bind::<Uuid, _>(DbUuid(id.as_uuid()))
                .sql(")"),
        );
    }
    let listed: Vec<ClaimOverviewRow> = stable
        .order((claims::updated_at.desc(), claims::id.desc()))
        .limit(query.limit)
        .select(ClaimOverviewRow::as_select())
        .load::<ClaimOverviewRow>(conn)
        .await?;
    let mut page: Vec<(DbInstant, DbUuid, Option<ClaimOverviewRow>)> =
        listed.into_iter().map(|row| (row.updated_at, row.id, Some(row))).collect();

    if let Some((after_key, after_id)) = query.after {
        let Some(moved) =
            moved_during_walk(conn, query, (after_key.into(), DbUuid(after_id.as_uuid()))).await?
        else {
            return Ok(ClaimListing::Outdated);
        };
        // Only the claims that make the page are read.
        page.extend(moved.into_iter().map(|(id, key)| (key, id, None)));
        page.sort_by(|(a_key, a_id, _), (b_key, b_id, _)| (b_key, b_id.0).cmp(&(a_key, a_id.0)));
        page.truncate(limit);
        let wanted: Vec<DbUuid> =
            page.iter().filter(|(_, _, row)| row.is_none()).map(|(_, id, _)| *id).collect();
        if !wanted.is_empty() {
            let mut rows: Vec<ClaimOverviewRow> = claims::table
                .filter(claims::id.eq_any(&wanted))
                .select(ClaimOverviewRow::as_select())
                .load(conn)
                .await?;
            for (_, id, slot) in page.iter_mut().filter(|(_, _, row)| row.is_none()) {
                if let Some(at) = rows.iter().position(|row| row.id == *id) {
                    *slot = Some(rows.swap_remove(at));
                }
            }
        }
    }
    let claims = page
        .into_iter()
        .filter_map(|(key, _, row)| row.map(|row| (key, row)))
        .map(|(key, row)| Ok(ListedClaim { key: key.0, claim: row.into_record()? }))
        .collect::<Result<_, StoreError>>()?;
    Ok(ClaimListing::Page(claims))
}

/// The claims of the walk that changed after it began, each with the key its last change before
/// then gave it (from the audit trail), the `query.limit` nearest below the cursor. `None` when
/// more than `query.changed_limit` of the walk's claims changed since it began: the cost of a
/// page stays bounded, and the walk must start again.
async fn moved_during_walk(
    conn: &mut Conn,
    query: &ClaimQuery,
    cursor: (DbInstant, DbUuid),
) -> Result<Option<Vec<(DbUuid, DbInstant)>>, StoreError> {
    let as_of = DbInstant::from(query.as_of);
    let moved: Vec<DbUuid> = matching_claims(query)
        .filter(claims::updated_at.gt(as_of))
        .filter(claims::submitted_at.le(as_of))
        .select(claims::id)
        .limit(i64::try_from(query.changed_limit).unwrap_or(i64::MAX).saturating_add(1))
        .load(conn)
        .await?;
    if moved.len() > query.changed_limit {
        return Ok(None);
    }
    if moved.is_empty() {
        return Ok(Some(Vec::new()));
    }
    let keys: Vec<(DbUuid, Option<DbInstant>)> = claim_audit::table
        .filter(claim_audit::claim_id.eq_any(&moved))
        .filter(claim_audit::occurred_at.le(as_of))
        .filter(claim_audit::action.ne_all(AuditAction::READS.map(AuditAction::as_str)))
        .group_by(claim_audit::claim_id)
        .select((claim_audit::claim_id, diesel::dsl::max(claim_audit::occurred_at)))
        .load(conn)
        .await?;
    let mut keyed: Vec<(DbUuid, DbInstant)> = keys
        .into_iter()
        .filter_map(|(id, key)| key.map(|key| (id, key)))
        .filter(|(id, key)| (*key, id.0) < (cursor.0, cursor.1.0))
        .collect();
    keyed.sort_by(|(a_id, a_key), (b_id, b_key)| (b_key, b_id.0).cmp(&(a_key, a_id.0)));
    keyed.truncate(usize::try_from(query.limit).unwrap_or(usize::MAX));
    Ok(Some(keyed))
}

/// Writes a change to a claim if its stored version is still `expected_version`, with its events
/// and audit entry, in one transaction. Whoever changes a claim first wins; the other gets
/// `VersionConflict` and nothing of theirs is written.
pub(crate) async fn update_claim(
    conn: &mut Conn,
    change: &ClaimChange,
    retention: &RetentionRules,
) -> Result<(), StoreError> {
    transaction!(conn, async |conn| {
        if !write_claim(conn, change, retention).await? {
            return Err(StoreError::VersionConflict);
        }
        for event in &change.events {
            insert_event(conn, event).await?;
        }
        insert_facts(conn, &change.statistics).await?;
        insert_audit(conn, &change.audit).await
    })
}

/// Writes many changes in one transaction, their events, recipients and audit entries in batches.
/// A claim whose version moved on since it was read is left as it is (with nothing of its change
/// written); returns the claims that were changed.
pub(crate) async fn store_changes(
    conn: &mut Conn,
    changes: &[ClaimChange],
    retention: &RetentionRules,
) -> Result<Vec<ClaimId>, StoreError> {
    let rows = changes
        .iter()
        .map(|change| {
            let row = ClaimRow::from_domain(&change.claim, retention, change.calendar_revision)?;
            Ok((row, change.expected_version))
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    transaction!(conn, async |conn| {
        let written: HashSet<DbUuid> = update_claim_rows(conn, &rows).await?.into_iter().collect();
        let stored: Vec<&ClaimChange> =
            changes.iter().filter(|change| written.contains(&DbUuid(change.claim.id.as_uuid()))).collect();
        for change in &stored {
            if let Some(note) = &change.transfer {
                write_transfer_note(conn, change.claim.id, note, change.claim.updated_at.into()).await?;
            }
        }
        let events: Vec<&NewEvent> = stored.iter().flat_map(|change| change.events.iter()).collect();
        let rows: Vec<NewEventRow> = events.iter().map(|event| NewEventRow::of(event)).collect();
        let ids = insert_event_rows(conn, &rows).await?;
        if ids.len() != events.len() {
            return Err(StoreError::Corrupt("not every event was stored".to_owned()));
        }
        let mut recipients = Vec::new();
        for ((event_id, claim), event) in ids.into_iter().zip(&events) {
            if claim.map(|id| id.0) != Some(event.claim_id.as_uuid()) {
                return Err(StoreError::Corrupt("events came back out of order".to_owned()));
            }
            recipients.extend(
                event
                    .recipients
                    .iter()
                    .map(|code| RecipientRow { organisation_code: code.to_string(), event_id }),
            );
        }
        insert_recipient_rows(conn, &recipients).await?;
        let audits: Vec<NewAuditRow> = stored.iter().map(|change| NewAuditRow::of(&change.audit)).collect();
        insert_audit_rows(conn, &audits).await?;
        insert_facts(conn, stored.iter().flat_map(|change| change.statistics.iter())).await?;
        Ok(stored.iter().map(|change| change.claim.id).collect())
    })
}

/// The claim row of a change, written if the stored version is still the expected one (`false`
/// otherwise), with the transfer offer the change opened or closed.
async fn write_claim(
    conn: &mut Conn,
    change: &ClaimChange,
    retention: &RetentionRules,
) -> Result<bool, StoreError> {
    let row = ClaimRow::from_domain(&change.claim, retention, change.calendar_revision)?;
    if !write_row(conn, &row, change.expected_version).await? {
        return Ok(false);
    }
    if let Some(note) = &change.transfer {
        write_transfer_note(conn, change.claim.id, note, row.updated_at).await?;
    }
    Ok(true)
}

/// Writes a claim row if the stored version is still `expected`; whether it did.
pub(crate) async fn write_row(conn: &mut Conn, row: &ClaimRow, expected: i64) -> Result<bool, StoreError> {
    let updated = diesel::update(claims::table.find(row.id))
        .filter(claims::version.eq(expected))
        .filter(claims::purged_at.is_null())
        .set((
            claims::status.eq(&row.status),
            claims::version.eq(row.version),
            claims::claimant_rep_code.eq(&row.claimant_rep_code),
            claims::compensator_code.eq(&row.compensator_code),
            claims::notification_date.eq(row.notification_date),
            claims::child.eq(row.child),
            claims::cr_reference.eq(&row.cr_reference),
            claims::cm_reference.eq(&row.cm_reference),
            claims::cnf.eq(&row.cnf),
            claims::lifecycle.eq(&row.lifecycle),
            claims::next_due_at.eq(row.next_due_at),
            claims::next_deadline_date.eq(row.next_deadline_date),
            claims::updated_at.eq(row.updated_at),
            claims::dormant.eq(row.dormant),
            claims::purge_at.eq(row.purge_at),
            claims::calendar_revision.eq(row.calendar_revision),
        ))
        .execute(conn)
        .await?;
    Ok(updated == 1)
}

/// The claims of an organisation on `side` (only `ids`, when given), in id order.
pub(crate) async fn claims_of(
    conn: &mut Conn,
    organisation: &str,
    side: Side,
    ids: Option<&[ClaimId]>,
) -> Result<Vec<Claim>, StoreError> {
    let select = || {
        let select =
            claims::table.filter(claims::purged_at.is_null()).select(ClaimRow::as_select()).into_boxed();
        match side {
            Side::ClaimantRepresentative => {
                select.filter(claims::claimant_rep_code.eq(organisation.to_owned()))
            }
            Side::Compensator => select.filter(claims::compensator_code.eq(organisation.to_owned())),
        }
    };
    let mut rows: Vec<ClaimRow> = Vec::new();
    match ids {
        None => rows = select().order(claims::id.asc()).load(conn).await?,
        Some(ids) => {
            for chunk in ids.chunks(5_000) {
                let chunk: Vec<DbUuid> = chunk.iter().map(|id| DbUuid(id.as_uuid())).collect();
                rows.extend(
                    select().filter(claims::id.eq_any(chunk)).order(claims::id.asc()).load(conn).await?,
                );
            }
        }
    }
    rows.into_iter().map(ClaimRow::into_domain).collect()
}

/// Claims whose next reminder or deadline is at or before `now`, soonest first.
pub(crate) async fn due_claims(
    conn: &mut Conn,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Claim>, StoreError> {
    claims::table
        .filter(claims::next_due_at.le(DbInstant::from(now)))
        .order(claims::next_due_at.asc())
        .limit(limit)
        .select(ClaimRow::as_select())
        .load::<ClaimRow>(conn)
        .await?
        .into_iter()
        .map(ClaimRow::into_domain)
        .collect()
}

/// Up to `limit` claims with an open deadline counted on a calendar older than `revision`, in id
/// order (the recount's queue: `claims_recount` index).
pub(crate) async fn claims_to_recount(
    conn: &mut Conn,
    revision: i64,
    limit: i64,
) -> Result<Vec<Claim>, StoreError> {
    claims::table
        .filter(claims::next_deadline_date.is_not_null())
        .filter(claims::calendar_revision.lt(revision))
        .filter(claims::purged_at.is_null())
        .order(claims::id.asc())
        .limit(limit)
        .select(ClaimRow::as_select())
        .load::<ClaimRow>(conn)
        .await?
        .into_iter()
        .map(ClaimRow::into_domain)
        .collect()
}

/// How many claims with an open deadline are counted on a calendar older than `revision`.
pub(crate) async fn count_to_recount(conn: &mut Conn, revision: i64) -> Result<i64, StoreError> {
    Ok(claims::table
        .filter(claims::next_deadline_date.is_not_null())
        .filter(claims::calendar_revision.lt(revision))
        .filter(claims::purged_at.is_null())
        .count()
        .get_result(conn)
        .await?)
}

/// Marks claims whose deadlines the calendar of `revision` leaves where they are as counted on
/// it, each only if it still has the version it was read at (one transaction); how many were.
pub(crate) async fn mark_recounted(
    conn: &mut Conn,
    claims: &[(ClaimId, i64)],
    revision: i64,
) -> Result<usize, StoreError> {
    transaction!(conn, async |conn| {
        let mut marked = 0;
        for (id, version) in claims {
            marked += diesel::update(claims::table.find(DbUuid(id.as_uuid())))
                .filter(claims::version.eq(*version))
                .filter(claims::calendar_revision.lt(revision))
                .set(claims::calendar_revision.eq(revision))
                .execute(conn)
                .await?;
        }
        Ok(marked)
    })
}

/// The instant of the most overdue pending change, if any (for the sweeper-lag metric).
pub(crate) async fn oldest_due(
    conn: &mut Conn,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    Ok(claims::table
        .filter(claims::next_due_at.le(DbInstant::from(now)))
        .select(diesel::dsl::min(claims::next_due_at))
        .first::<Option<DbInstant>>(conn)
        .await?
        .map(|t| t.0))
}

/// A claim's audit trail, oldest first.
pub(crate) async fn claim_history(conn: &mut Conn, id: ClaimId) -> Result<Vec<AuditEntry>, StoreError> {
    claim_audit::table
        .filter(claim_audit::claim_id.eq(DbUuid(id.as_uuid())))
        .order(claim_audit::id.asc())
        .select(AuditRow::as_select())
        .load(conn)
        .await?
        .into_iter()
        .map(AuditRow::into_entry)
        .collect()
}

/// Audit entries of organisations' actions in a time range, oldest first (the access review).
pub(crate) async fn access_entries(
    conn: &mut Conn,
    query: &AccessQuery,
) -> Result<Vec<AccessEntry>, StoreError> {
    let mut select = claim_audit::table
        .filter(claim_audit::actor_org.is_not_null())
        .filter(claim_audit::occurred_at.ge(DbInstant::from(query.from)))
        .filter(claim_audit::occurred_at.lt(DbInstant::from(query.until)))
        .into_boxed();
    if let Some(organisation) = &query.organisation {
        select = select.filter(claim_audit::actor_org.eq(organisation.to_string()));
    }
    if let Some(after) = query.after {
        select = select.filter(claim_audit::id.gt(after));
    }
    let rows: Vec<(i64, DbUuid, AuditRow)> = select
        .order(claim_audit::id.asc())
        .limit(query.limit)
        .select((claim_audit::id, claim_audit::claim_id, AuditRow::as_select()))
        .load(conn)
        .await?;
    rows.into_iter()
        .map(|(id, claim, row)| {
            Ok(AccessEntry { id, claim_id: ClaimId::from_uuid(claim.0), entry: row.into_entry()? })
        })
        .collect()
}
