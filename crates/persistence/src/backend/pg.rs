//! The PostgreSQL backend: its connection, its write transaction, the query files compiled for it,
//! and multi-row inserts (PostgreSQL takes many rows in one INSERT; chunks keep under its 65,535
//! parameters).

use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::__diesel_schema_migrations;
use crate::error::StoreError;
use crate::models::{NewAuditRow, NewEventRow, RecipientRow};
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
#[path = "../queries/events.rs"]
mod events;
#[path = "../queries/idempotency.rs"]
mod idempotency;
#[path = "../queries/organisations.rs"]
mod organisations;
#[path = "../queries/sandbox_clock.rs"]
mod sandbox_clock;
#[path = "../queries/signing_keys.rs"]
mod signing_keys;
#[path = "../queries/transfers.rs"]
mod transfers;

pub(crate) use attachments::*;
pub(crate) use calendar::*;
pub(crate) use claims::*;
pub(crate) use clients::*;
pub(crate) use events::*;
pub(crate) use idempotency::*;
pub(crate) use organisations::*;
pub(crate) use sandbox_clock::*;
pub(crate) use signing_keys::*;
pub(crate) use transfers::*;

pub(crate) async fn applied_migrations(conn: &mut Conn) -> Result<i64, StoreError> {
    Ok(__diesel_schema_migrations::table.count().get_result(conn).await?)
}

pub(crate) async fn insert_event_rows(
    conn: &mut Conn,
    rows: &[NewEventRow],
) -> Result<Vec<(i64, DbUuid)>, StoreError> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(5_000) {
        let inserted: Vec<(i64, DbUuid)> = diesel::insert_into(claim_events::table)
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
