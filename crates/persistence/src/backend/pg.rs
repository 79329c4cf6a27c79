//! The PostgreSQL backend: its connection, its write transaction, the query files compiled for it,
//! and multi-row inserts (PostgreSQL takes many rows in one INSERT; chunks keep under its 65,535
//! parameters).

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::__diesel_schema_migrations;
use crate::error::StoreError;
use crate::models::{ClaimRow, NewAuditRow, NewEventRow, RecipientRow};
use crate::schema::{claim_audit, claim_events, event_recipients};
use crate::sql_types::DbUuid;

pub(crate) type Conn = diesel_async::AsyncPgConnection;
pub(crate) type Db = diesel::pg::Pg;

/// Runs `$body` in a write transaction of this backend.
macro_rules! transaction {
    ($c:ident, $body:expr) => {
        diesel_async::AsyncConnection::transaction($c, $body).await
    };
}

#[path = "../queries/attachments.rs"]
mod attachments;
#[path = "../queries/calendar.rs"]
mod calendar;
#[path = "../queries/claims.rs"]
mod claims;
#[path = "../queries/clients.rs"]
mod clients;
#[path = "../queries/data_subject.rs"]
mod data_subject;
#[path = "../queries/events.rs"]
mod events;
#[path = "../queries/idempotency.rs"]
mod idempotency;
#[path = "../queries/organisations.rs"]
mod organisations;
#[path = "../queries/retention.rs"]
mod retention;
#[path = "../queries/sandbox_clock.rs"]
mod sandbox_clock;
#[path = "../queries/signing_keys.rs"]
mod signing_keys;
#[path = "../queries/statistics.rs"]
mod statistics;
#[path = "../queries/transfers.rs"]
mod transfers;

pub(crate) use attachments::*;
pub(crate) use calendar::*;
pub(crate) use claims::*;
pub(crate) use clients::*;
pub(crate) use data_subject::*;
pub(crate) use events::*;
pub(crate) use idempotency::*;
pub(crate) use organisations::*;
pub(crate) use retention::*;
pub(crate) use sandbox_clock::*;
pub(crate) use signing_keys::*;
pub(crate) use statistics::*;
pub(crate) use transfers::*;

pub(crate) async fn applied_migrations(conn: &mut Conn) -> Result<i64, StoreError> {
    Ok(__diesel_schema_migrations::table.count().get_result(conn).await?)
}

pub(crate) async fn insert_event_rows(
    conn: &mut Conn,
    rows: &[NewEventRow],
) -> Result<Vec<(i64, Option<DbUuid>)>, StoreError> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(5_000) {
        let inserted: Vec<(i64, Option<DbUuid>)> = diesel::insert_into(claim_events::table)
            .values(chunk)
            .returning((claim_events::id, claim_events::claim_id))
            .get_results(conn)
            .await?;
        ids.extend(inserted);
    }
    Ok(ids)
}

pub(crate) async fn insert_recipient_rows(conn: &mut Conn, rows: &[RecipientRow]) -> Result<(), StoreError> {
    for chunk in rows.chunks(20_000) {
        diesel::insert_into(event_recipients::table).values(chunk).execute(conn).await?;
    }
    Ok(())
}

pub(crate) async fn insert_audit_rows(conn: &mut Conn, rows: &[NewAuditRow]) -> Result<(), StoreError> {
    for chunk in rows.chunks(5_000) {
        diesel::insert_into(claim_audit::table).values(chunk).execute(conn).await?;
    }
    Ok(())
}

/// A row of `update_claim_rows`'s answer.
#[derive(QueryableByName)]
struct Written {
    #[diesel(sql_type = crate::sql_types::sql::Uuid)]
    id: DbUuid,
}

/// Writes claim rows whose stored version is still the expected one, a thousand to a statement
/// (the rows travel as arrays, unnested into the update); returns the ids written.
pub(crate) async fn update_claim_rows(
    conn: &mut Conn,
    rows: &[(ClaimRow, i64)],
) -> Result<Vec<DbUuid>, StoreError> {
    use crate::sql_types::sql::{Instant, Jsonb, Uuid};
    use diesel::sql_types::{Array, BigInt, Bool, Date, Nullable, Text};
    const UPDATE: &str = "UPDATE claims AS c SET status = v.status, version = v.version, \
        claimant_rep_code = v.cr, compensator_code = v.cm, notification_date = v.notified, child = v.child, \
        cr_reference = v.cr_ref, cm_reference = v.cm_ref, cnf = v.cnf, lifecycle = v.lifecycle, \
        next_due_at = v.next_due_at, next_deadline_date = v.next_deadline, updated_at = v.updated_at, \
        dormant = v.dormant, purge_at = v.purge_at, calendar_revision = v.calendar_revision \
        FROM unnest($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) \
        AS v(id, expected, status, version, cr, cm, notified, child, cr_ref, cm_ref, cnf, lifecycle, \
             next_due_at, next_deadline, updated_at, dormant, purge_at, calendar_revision) \
        WHERE c.id = v.id AND c.version = v.expected AND c.purged_at IS NULL RETURNING c.id";
    let mut written = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(1_000) {
        let found: Vec<Written> = diesel::sql_query(UPDATE)
            .bind::<Array<Uuid>, _>(chunk.iter().map(|(r, _)| r.id).collect::<Vec<_>>())
            .bind::<Array<BigInt>, _>(chunk.iter().map(|(_, expected)| *expected).collect::<Vec<_>>())
            .bind::<Array<Text>, _>(chunk.iter().map(|(r, _)| r.status.clone()).collect::<Vec<_>>())
            .bind::<Array<BigInt>, _>(chunk.iter().map(|(r, _)| r.version).collect::<Vec<_>>())
            .bind::<Array<Text>, _>(
                chunk.iter().map(|(r, _)| r.claimant_rep_code.clone()).collect::<Vec<_>>(),
            )
            .bind::<Array<Text>, _>(chunk.iter().map(|(r, _)| r.compensator_code.clone()).collect::<Vec<_>>())
            .bind::<Array<Date>, _>(chunk.iter().map(|(r, _)| r.notification_date).collect::<Vec<_>>())
            .bind::<Array<Bool>, _>(chunk.iter().map(|(r, _)| r.child).collect::<Vec<_>>())
            .bind::<Array<Text>, _>(chunk.iter().map(|(r, _)| r.cr_reference.clone()).collect::<Vec<_>>())
            .bind::<Array<Nullable<Text>>, _>(
                chunk.iter().map(|(r, _)| r.cm_reference.clone()).collect::<Vec<_>>(),
            )
            .bind::<Array<Jsonb>, _>(chunk.iter().map(|(r, _)| r.cnf.clone()).collect::<Vec<_>>())
            .bind::<Array<Jsonb>, _>(chunk.iter().map(|(r, _)| r.lifecycle.clone()).collect::<Vec<_>>())
            .bind::<Array<Nullable<Instant>>, _>(chunk.iter().map(|(r, _)| r.next_due_at).collect::<Vec<_>>())
            .bind::<Array<Nullable<Date>>, _>(
                chunk.iter().map(|(r, _)| r.next_deadline_date).collect::<Vec<_>>(),
            )
            .bind::<Array<Instant>, _>(chunk.iter().map(|(r, _)| r.updated_at).collect::<Vec<_>>())
            .bind::<Array<Bool>, _>(chunk.iter().map(|(r, _)| r.dormant).collect::<Vec<_>>())
            .bind::<Array<Nullable<Instant>>, _>(chunk.iter().map(|(r, _)| r.purge_at).collect::<Vec<_>>())
            .bind::<Array<BigInt>, _>(chunk.iter().map(|(r, _)| r.calendar_revision).collect::<Vec<_>>())
            .load(conn)
            .await?;
        written.extend(found.into_iter().map(|w| w.id));
    }
    Ok(written)
}

/// Moves up to `limit` statistics facts, oldest first, into the daily counts in one statement
/// (the deleted rows are the ones counted, so nothing is counted twice or lost); how many moved.
/// Roll-ups of several processes take turns: one that finds another running does nothing.
pub(crate) async fn roll_up_facts(conn: &mut Conn, limit: i64) -> Result<usize, StoreError> {
    transaction!(conn, async |conn| {
        #[derive(QueryableByName)]
        struct Turn {
            #[diesel(sql_type = diesel::sql_types::Bool)]
            mine: bool,
        }
        // An arbitrary constant naming this job among advisory locks.
        let turn: Turn =
            diesel::sql_query("SELECT pg_try_advisory_xact_lock(7340001) AS mine").get_result(conn).await?;
        if !turn.mine {
            return Ok(0);
        }
        #[derive(QueryableByName)]
        struct Moved {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            moved: i64,
        }
        let moved: Moved = diesel::sql_query(
            "WITH taken AS ( \
                 DELETE FROM claim_statistics WHERE id IN \
                     (SELECT id FROM claim_statistics ORDER BY id LIMIT $1) \
                 RETURNING occurred_on, kind, claim_type, detail, party, business_days, month \
             ), added AS ( \
                 INSERT INTO claim_statistics_daily \
                     (occurred_on, kind, claim_type, detail, party, business_days, month, count) \
                 SELECT occurred_on, kind, claim_type, detail, party, business_days, month, count(*) \
                 FROM taken GROUP BY occurred_on, kind, claim_type, detail, party, business_days, month \
                 ON CONFLICT (occurred_on, kind, claim_type, detail, party, business_days) \
                 DO UPDATE SET count = claim_statistics_daily.count + EXCLUDED.count \
             ) SELECT count(*) AS moved FROM taken",
        )
        .bind::<diesel::sql_types::BigInt, _>(limit)
        .get_result(conn)
        .await?;
        Ok(usize::try_from(moved.moved).unwrap_or(0))
    })
}
