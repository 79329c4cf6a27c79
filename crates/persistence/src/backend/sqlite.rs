//! The SQLite backend: its connection, its write transaction (`BEGIN IMMEDIATE`), the query files
//! compiled for it, and row-by-row inserts (diesel-async has no multi-row INSERT for SQLite; one
//! statement per row, on the local file).

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::__diesel_schema_migrations;
use crate::error::StoreError;
use crate::models::{ClaimRow, NewAuditRow, NewEventRow, RecipientRow};
use crate::schema::{claim_audit, claim_events, event_recipients};
use crate::sql_types::DbUuid;

pub(crate) type Conn = crate::db::SqliteConn;
pub(crate) type Db = diesel::sqlite::Sqlite;

/// This process's writers, in the order they came. SQLite lets one connection write at a time,
/// and writers left to its busy timeout sleep and retry (up to 100 ms a time), so under load
/// they waited hundreds of milliseconds; the hub's frequent writes (`dispatch!(… writing …)`)
/// queue here instead, before taking a connection. The busy timeout still covers writes from
/// other processes on the file and the writes not marked.
pub(crate) static WRITERS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Runs `$body` in a write transaction of this backend.
macro_rules! transaction {
    ($c:ident, $body:expr) => {
        $c.immediate_transaction($body).await
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
    for row in rows {
        let id: i64 = diesel::insert_into(claim_events::table)
            .values(row)
            .returning(claim_events::id)
            .get_result(conn)
            .await?;
        ids.push((id, row.claim_id));
    }
    Ok(ids)
}

pub(crate) async fn insert_recipient_rows(conn: &mut Conn, rows: &[RecipientRow]) -> Result<(), StoreError> {
    for row in rows {
        diesel::insert_into(event_recipients::table).values(row).execute(conn).await?;
    }
    Ok(())
}

pub(crate) async fn insert_audit_rows(conn: &mut Conn, rows: &[NewAuditRow]) -> Result<(), StoreError> {
    for row in rows {
        diesel::insert_into(claim_audit::table).values(row).execute(conn).await?;
    }
    Ok(())
}

/// Writes claim rows whose stored version is still the expected one, one statement each (on the
/// local file that costs little); returns the ids written.
pub(crate) async fn update_claim_rows(
    conn: &mut Conn,
    rows: &[(ClaimRow, i64)],
) -> Result<Vec<DbUuid>, StoreError> {
    let mut written = Vec::with_capacity(rows.len());
    for (row, expected) in rows {
        if claims::write_row(conn, row, *expected).await? {
            written.push(row.id);
        }
    }
    Ok(written)
}

/// Moves up to `limit` statistics facts, oldest first, into the daily counts; how many moved.
/// SQLite has one writer at a time, so the count and the delete see the same rows.
pub(crate) async fn roll_up_facts(conn: &mut Conn, limit: i64) -> Result<usize, StoreError> {
    transaction!(conn, async |conn| {
        let last: Option<i64> = diesel::sql_query(
            "SELECT max(id) AS last FROM (SELECT id FROM claim_statistics ORDER BY id LIMIT ?)",
        )
        .bind::<diesel::sql_types::BigInt, _>(limit)
        .get_result::<Last>(conn)
        .await?
        .last;
        let Some(last) = last else { return Ok(0) };
        diesel::sql_query(
            "INSERT INTO claim_statistics_daily \
                 (occurred_on, kind, claim_type, detail, party, business_days, month, count) \
             SELECT occurred_on, kind, claim_type, detail, party, business_days, month, count(*) \
             FROM claim_statistics WHERE id <= ? \
             GROUP BY occurred_on, kind, claim_type, detail, party, business_days, month \
             ON CONFLICT (occurred_on, kind, claim_type, detail, party, business_days) \
             DO UPDATE SET count = claim_statistics_daily.count + excluded.count",
        )
        .bind::<diesel::sql_types::BigInt, _>(last)
        .execute(conn)
        .await?;
        let moved = diesel::sql_query("DELETE FROM claim_statistics WHERE id <= ?")
            .bind::<diesel::sql_types::BigInt, _>(last)
            .execute(conn)
            .await?;
        Ok(moved)
    })
}

#[derive(QueryableByName)]
struct Last {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    last: Option<i64>,
}
