//! The queries, written once in `queries/*.rs` and compiled once per backend. Each backend module
//! names its connection type `Conn` and its way of opening a write transaction (`BEGIN IMMEDIATE`
//! on SQLite, so concurrent writers queue on the busy timeout instead of failing to upgrade a read
//! lock), then includes the same query files. The compiler type-checks every query against both
//! backends.

use chrono::{DateTime, NaiveDate, Utc};
use claims_domain::claim::Claim;
use claims_domain::claim_status::ClaimStatus;
use claims_domain::claim_type::ClaimType;
use claims_domain::ids::ClaimId;
use claims_domain::lifecycle::TransferNote;
use claims_domain::organisation::{Organisation, OrganisationKind};
use claims_domain::party::Side;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};

use crate::error::StoreError;
use crate::models::*;
use crate::records::*;
use crate::schema::*;
use crate::sql_types::{DbInstant, DbJson, DbUuid};

diesel::table! {
    /// Diesel's record of applied migrations (only the column the readiness check reads).
    __diesel_schema_migrations (version) {
        version -> Text,
    }
}

diesel::define_sql_function!(fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// Escapes `%`, `_` and `\` so user text matches literally inside a LIKE pattern.
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

macro_rules! backend {
    ($name:ident, $conn:ty, $db:ty, $begin:ident, { $($specific:item)* }) => {
        pub(crate) mod $name {
            use super::*;

            pub(crate) type Conn = $conn;
            pub(crate) type Db = $db;

            macro_rules! transaction {
                ($c:ident, $body:expr) => {
                    $c.$begin($body).await
                };
            }

            include!("queries/organisations.rs");
            include!("queries/clients.rs");
            include!("queries/signing_keys.rs");
            include!("queries/claims.rs");
            include!("queries/idempotency.rs");
            include!("queries/events.rs");
            include!("queries/calendar.rs");
            include!("queries/transfers.rs");
            include!("queries/attachments.rs");
            include!("queries/sandbox_clock.rs");

            $($specific)*

            pub(crate) async fn applied_migrations(conn: &mut Conn) -> Result<i64, StoreError> {
                Ok(__diesel_schema_migrations::table.count().get_result(conn).await?)
            }
        }
    };
}

// PostgreSQL takes many rows in one INSERT (in chunks that keep under its 65,535 parameters).
backend!(pg, diesel_async::AsyncPgConnection, diesel::pg::Pg, transaction, {
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

    pub(crate) async fn insert_recipient_rows(
        conn: &mut Conn,
        rows: &[RecipientRow],
    ) -> Result<(), StoreError> {
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
});
// diesel-async has no multi-row INSERT for SQLite: one statement per row, on the local file.
backend!(sqlite, crate::db::SqliteConn, diesel::sqlite::Sqlite, immediate_transaction, {
    pub(crate) async fn insert_event_rows(
        conn: &mut Conn,
        rows: &[NewEventRow],
    ) -> Result<Vec<(i64, DbUuid)>, StoreError> {
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

    pub(crate) async fn insert_recipient_rows(
        conn: &mut Conn,
        rows: &[RecipientRow],
    ) -> Result<(), StoreError> {
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
});
