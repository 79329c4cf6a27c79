//! API clients and their secrets.

use chrono::{DateTime, Utc};
use claims_domain::organisation::OrganisationKind;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::Conn;
use super::events::insert_organisation_event;
use crate::error::StoreError;
use crate::models::{ApiClientRow, ClientSecretRow, OrganisationRow, parse_code, parse_role, parse_word};
use crate::records::{ClientCredentials, ClientStatus, ClientSummary, NewClient, OrganisationEvent};
use crate::schema::{api_clients, client_secrets, organisations};
use crate::sql_types::{DbInstant, DbUuid};

pub(crate) async fn insert_client(conn: &mut Conn, client: &NewClient) -> Result<(), StoreError> {
    let client = client.clone();
    transaction!(conn, async |conn| {
        diesel::insert_into(api_clients::table)
            .values(ApiClientRow {
                client_id: client.client_id.clone(),
                organisation_code: client.organisation.to_string(),
                role: client.role.as_str().to_owned(),
                label: client.label.clone(),
                created_at: client.created_at.into(),
                disabled_at: None,
                failed_attempts: 0,
                locked_until: None,
                last_used_at: None,
                disabled_reason: None,
                last_token_at: None,
            })
            .execute(conn)
            .await?;
        insert_secret(conn, &client.client_id, &client.secret_hash, client.created_at).await
    })
}

async fn insert_secret(
    conn: &mut Conn,
    client_id: &str,
    secret_hash: &str,
    created_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::insert_into(client_secrets::table)
        .values(ClientSecretRow {
            id: DbUuid(uuid::Uuid::now_v7()),
            client_id: client_id.to_owned(),
            secret_hash: secret_hash.to_owned(),
            created_at: created_at.into(),
            expires_at: None,
        })
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn client_credentials(
    conn: &mut Conn,
    client_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<ClientCredentials>, StoreError> {
    let Some((client, organisation)) = api_clients::table
        .inner_join(organisations::table)
        .filter(api_clients::client_id.eq(client_id))
        .select((ApiClientRow::as_select(), OrganisationRow::as_select()))
        .first::<(ApiClientRow, OrganisationRow)>(conn)
        .await
        .optional()?
    else {
        return Ok(None);
    };
    let now = DbInstant::from(now);
    let secret_hashes = client_secrets::table
        .filter(client_secrets::client_id.eq(client_id))
        .filter(client_secrets::expires_at.is_null().or(client_secrets::expires_at.gt(now)))
        .order(client_secrets::created_at.desc())
        .select(client_secrets::secret_hash)
        .load::<String>(conn)
        .await?;
    Ok(Some(ClientCredentials {
        role: parse_role(&client.role)?,
        client_id: client.client_id,
        organisation: organisation.into_domain()?,
        disabled: client.disabled_at.is_some(),
        locked_until: client.locked_until.map(|t| t.0),
        secret_hashes,
    }))
}

pub(crate) async fn client_status(
    conn: &mut Conn,
    client_id: &str,
) -> Result<Option<ClientStatus>, StoreError> {
    let Some((client, kind)) = api_clients::table
        .inner_join(organisations::table)
        .filter(api_clients::client_id.eq(client_id))
        .select((ApiClientRow::as_select(), organisations::kind))
        .first::<(ApiClientRow, String)>(conn)
        .await
        .optional()?
    else {
        return Ok(None);
    };
    Ok(Some(ClientStatus {
        organisation: parse_code(&client.organisation_code)?,
        organisation_kind: parse_word(&kind, OrganisationKind::parse)?,
        role: parse_role(&client.role)?,
        disabled: client.disabled_at.is_some(),
        last_used_at: client.last_used_at.unwrap_or(client.created_at).0,
        client_id: client.client_id,
    }))
}

pub(crate) async fn list_clients(
    conn: &mut Conn,
    organisation: &str,
) -> Result<Vec<ClientSummary>, StoreError> {
    api_clients::table
        .filter(api_clients::organisation_code.eq(organisation))
        .order(api_clients::client_id.asc())
        .select(ApiClientRow::as_select())
        .load(conn)
        .await?
        .into_iter()
        .map(|row| {
            Ok(ClientSummary {
                organisation: parse_code(&row.organisation_code)?,
                role: parse_role(&row.role)?,
                client_id: row.client_id,
                label: row.label,
                created_at: row.created_at.0,
                disabled_at: row.disabled_at.map(|t| t.0),
                last_used_at: row.last_used_at.map(|t| t.0),
                disabled_reason: row.disabled_reason,
            })
        })
        .collect()
}

/// Clears the failure count after a good secret and notes when the client was last used (by the
/// hub's clock, `used_at`) and got a token (by real time, `real_now`).
pub(crate) async fn record_successful_attempt(
    conn: &mut Conn,
    client_id: &str,
    used_at: DateTime<Utc>,
    real_now: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(api_clients::table.find(client_id))
        .set((
            api_clients::failed_attempts.eq(0),
            api_clients::locked_until.eq(None::<DbInstant>),
            api_clients::last_used_at.eq(Some(DbInstant::from(used_at))),
            api_clients::last_token_at.eq(Some(DbInstant::from(real_now))),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// The most secrets a client holds valid at once: a rotation (or a sandbox restart) beyond this
/// ends the oldest at once, so checking a wrong secret stays cheap.
const MAX_LIVE_SECRETS: i64 = 5;

/// Adds a new secret; older secrets stay valid until `old_valid_until` (or their own earlier
/// expiry), the oldest beyond [`MAX_LIVE_SECRETS`] end now. Passing `now` ends them all at once.
pub(crate) async fn rotate_secret(
    conn: &mut Conn,
    client_id: &str,
    secret_hash: &str,
    now: DateTime<Utc>,
    old_valid_until: DateTime<Utc>,
) -> Result<(), StoreError> {
    let (client_id, secret_hash) = (client_id.to_owned(), secret_hash.to_owned());
    let until = DbInstant::from(old_valid_until);
    transaction!(conn, async |conn| {
        diesel::update(client_secrets::table)
            .filter(client_secrets::client_id.eq(&client_id))
            .filter(client_secrets::expires_at.is_null().or(client_secrets::expires_at.gt(until)))
            .set(client_secrets::expires_at.eq(Some(until)))
            .execute(conn)
            .await?;
        insert_secret(conn, &client_id, &secret_hash, now).await?;
        let now = DbInstant::from(now);
        let surplus: Vec<DbUuid> = client_secrets::table
            .filter(client_secrets::client_id.eq(&client_id))
            .filter(client_secrets::expires_at.is_null().or(client_secrets::expires_at.gt(now)))
            .order((client_secrets::created_at.desc(), client_secrets::id.desc()))
            .offset(MAX_LIVE_SECRETS)
            .limit(i64::MAX)
            .select(client_secrets::id)
            .load(conn)
            .await?;
        if !surplus.is_empty() {
            diesel::update(client_secrets::table.filter(client_secrets::id.eq_any(&surplus)))
                .set(client_secrets::expires_at.eq(Some(now)))
                .execute(conn)
                .await?;
        }
        Ok(())
    })
}

/// Returns whether the client existed.
pub(crate) async fn disable_client(
    conn: &mut Conn,
    client_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let now = DbInstant::from(now);
    let updated = diesel::update(api_clients::table.find(client_id))
        .set((api_clients::disabled_at.eq(Some(now)), api_clients::disabled_reason.eq(Some("operator"))))
        .execute(conn)
        .await?;
    Ok(updated == 1)
}

/// Notes that a client was used at `now` (its requests stamp it at most hourly).
pub(crate) async fn touch_client(
    conn: &mut Conn,
    client_id: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(api_clients::table.find(client_id))
        .set(api_clients::last_used_at.eq(Some(DbInstant::from(now))))
        .execute(conn)
        .await?;
    Ok(())
}

/// The filter of enabled clients last used (or, never used, created) before `cutoff`.
#[diesel::dsl::auto_type]
fn idle_since(cutoff: DbInstant) -> _ {
    api_clients::disabled_at.is_null().and(
        api_clients::last_used_at
            .lt(cutoff)
            .or(api_clients::last_used_at.is_null().and(api_clients::created_at.lt(cutoff))),
    )
}

/// Enabled clients unused since before `cutoff`, with their organisations.
pub(crate) async fn idle_clients(
    conn: &mut Conn,
    cutoff: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<(String, String)>, StoreError> {
    Ok(api_clients::table
        .filter(idle_since(cutoff.into()))
        .order(api_clients::client_id.asc())
        .limit(limit)
        .select((api_clients::client_id, api_clients::organisation_code))
        .load(conn)
        .await?)
}

/// Disables a client for disuse if it is still unused since before `cutoff`, telling its
/// organisation with `event`, in one transaction; whether it did.
pub(crate) async fn disable_idle_client(
    conn: &mut Conn,
    client_id: &str,
    cutoff: DateTime<Utc>,
    event: &OrganisationEvent,
) -> Result<bool, StoreError> {
    let (client_id, event) = (client_id.to_owned(), event.clone());
    transaction!(conn, async |conn| {
        let disabled = diesel::update(api_clients::table.find(&client_id))
            .filter(idle_since(cutoff.into()))
            .set((
                api_clients::disabled_at.eq(Some(DbInstant::from(event.occurred_at))),
                api_clients::disabled_reason.eq(Some("unused")),
            ))
            .execute(conn)
            .await?;
        if disabled == 0 {
            return Ok(false);
        }
        insert_organisation_event(conn, &event).await?;
        Ok(true)
    })
}

/// Notes every enabled client that got a token since `tokens_since` (real time: it may hold a
/// live one) as used at `now` (the sandbox clock jumped).
pub(crate) async fn carry_active_clients(
    conn: &mut Conn,
    tokens_since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<usize, StoreError> {
    Ok(diesel::update(api_clients::table)
        .filter(api_clients::disabled_at.is_null())
        .filter(api_clients::last_token_at.ge(DbInstant::from(tokens_since)))
        .set(api_clients::last_used_at.eq(Some(DbInstant::from(now))))
        .execute(conn)
        .await?)
}
