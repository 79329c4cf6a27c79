//! Idempotency keys.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::Conn;
use crate::error::StoreError;
use crate::models::IdempotencyRow;
use crate::records::{IdempotencyScope, IdempotencyState, StoredResponse};
use crate::schema::idempotency_keys;
use crate::sql_types::{DbInstant, DbJson};

/// Claims a key for a request, or reports what it already holds. A key left in flight since
/// before `stale_before` (its request died) is taken over.
pub(crate) async fn acquire_idempotency(
    conn: &mut Conn,
    scope: &IdempotencyScope,
    now: DateTime<Utc>,
    stale_before: DateTime<Utc>,
) -> Result<IdempotencyState, StoreError> {
    let inserted = diesel::insert_into(idempotency_keys::table)
        .values(IdempotencyRow {
            client_id: scope.client_id.clone(),
            idempotency_key: scope.key.clone(),
            request_hash: scope.request_hash.clone(),
            created_at: now.into(),
            completed_at: None,
            response_status: None,
            response_headers: None,
            response_body: None,
        })
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    if inserted == 1 {
        return Ok(IdempotencyState::Acquired);
    }
    let key = || idempotency_keys::table.find((scope.client_id.clone(), scope.key.clone()));
    let Some(row) = key().select(IdempotencyRow::as_select()).first(conn).await.optional()? else {
        // Released between our insert and our read: the caller may simply retry.
        return Ok(IdempotencyState::InFlight { request_hash: scope.request_hash.clone() });
    };
    if let (Some(status), Some(body)) = (row.response_status, row.response_body) {
        let headers = match row.response_headers {
            Some(DbJson(headers)) => {
                serde_json::from_value(headers).map_err(|e| StoreError::Corrupt(e.to_string()))?
            }
            None => Vec::new(),
        };
        let status = u16::try_from(status).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        return Ok(IdempotencyState::Completed {
            request_hash: row.request_hash,
            response: StoredResponse { status, headers, body },
        });
    }
    if row.created_at.0 < stale_before {
        let taken = diesel::update(key())
            .filter(idempotency_keys::completed_at.is_null())
            .filter(idempotency_keys::created_at.eq(row.created_at))
            .set((
                idempotency_keys::created_at.eq(DbInstant::from(now)),
                idempotency_keys::request_hash.eq(&scope.request_hash),
            ))
            .execute(conn)
            .await?;
        if taken == 1 {
            return Ok(IdempotencyState::Acquired);
        }
    }
    Ok(IdempotencyState::InFlight { request_hash: row.request_hash })
}

pub(crate) async fn complete_idempotency(
    conn: &mut Conn,
    scope: &IdempotencyScope,
    response: &StoredResponse,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let headers = serde_json::to_value(&response.headers).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    diesel::update(idempotency_keys::table.find((scope.client_id.clone(), scope.key.clone())))
        .set((
            idempotency_keys::completed_at.eq(Some(DbInstant::from(now))),
            idempotency_keys::response_status.eq(Some(i32::from(response.status))),
            idempotency_keys::response_headers.eq(Some(DbJson(headers))),
            idempotency_keys::response_body.eq(Some(response.body.clone())),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Gives a key back after a request failed in a way a retry may fix.
pub(crate) async fn release_idempotency(conn: &mut Conn, scope: &IdempotencyScope) -> Result<(), StoreError> {
    diesel::delete(idempotency_keys::table.find((scope.client_id.clone(), scope.key.clone())))
        .filter(idempotency_keys::completed_at.is_null())
        .execute(conn)
        .await?;
    Ok(())
}

/// Forgets keys created before `before`; returns how many.
pub(crate) async fn purge_idempotency(conn: &mut Conn, before: DateTime<Utc>) -> Result<usize, StoreError> {
    Ok(diesel::delete(idempotency_keys::table)
        .filter(idempotency_keys::created_at.lt(DbInstant::from(before)))
        .execute(conn)
        .await?)
}
