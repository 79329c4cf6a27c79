//! Token-signing keys.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::Conn;
use crate::error::StoreError;
use crate::models::SigningKeyRow;
use crate::records::SigningKey;
use crate::schema::signing_keys;
use crate::sql_types::DbInstant;

pub(crate) async fn signing_keys(conn: &mut Conn) -> Result<Vec<SigningKey>, StoreError> {
    Ok(signing_keys::table
        .order(signing_keys::created_at.desc())
        .select(SigningKeyRow::as_select())
        .load(conn)
        .await?
        .into_iter()
        .map(|row| SigningKey {
            kid: row.kid,
            private_key: row.private_key,
            public_key: row.public_key,
            created_at: row.created_at.0,
            retired_at: row.retired_at.map(|t| t.0),
        })
        .collect())
}

pub(crate) async fn insert_signing_key(conn: &mut Conn, key: &SigningKey) -> Result<(), StoreError> {
    diesel::insert_into(signing_keys::table)
        .values(SigningKeyRow {
            kid: key.kid.clone(),
            private_key: key.private_key.clone(),
            public_key: key.public_key.clone(),
            created_at: key.created_at.into(),
            retired_at: key.retired_at.map(Into::into),
        })
        .execute(conn)
        .await?;
    Ok(())
}

/// Stops every key but `keep` from signing, from `now`.
pub(crate) async fn retire_signing_keys_except(
    conn: &mut Conn,
    keep: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(signing_keys::table)
        .filter(signing_keys::kid.ne(keep))
        .filter(signing_keys::retired_at.is_null())
        .set(signing_keys::retired_at.eq(Some(DbInstant::from(now))))
        .execute(conn)
        .await?;
    Ok(())
}
