//! Organisations.

use chrono::{DateTime, Utc};
use claims_domain::organisation::{Organisation, OrganisationKind};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::Conn;
use crate::backend::escape_like;
use crate::backend::lower;
use crate::error::StoreError;
use crate::models::OrganisationRow;
use crate::records::{InactiveOrganisation, OrganisationQuery, Removal};
use crate::schema::{api_clients, claims, client_secrets, organisations};
use crate::sql_types::DbInstant;

pub(crate) async fn insert_organisation(
    conn: &mut Conn,
    organisation: &Organisation,
    created_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::insert_into(organisations::table)
        .values(OrganisationRow::from_domain(organisation, created_at))
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn organisation(conn: &mut Conn, code: &str) -> Result<Option<Organisation>, StoreError> {
    organisations::table
        .find(code)
        .filter(organisations::removed_at.is_null())
        .select(OrganisationRow::as_select())
        .first(conn)
        .await
        .optional()?
        .map(OrganisationRow::into_domain)
        .transpose()
}

pub(crate) async fn list_organisations(
    conn: &mut Conn,
    query: &OrganisationQuery,
) -> Result<Vec<Organisation>, StoreError> {
    let mut select = organisations::table
        .filter(organisations::removed_at.is_null())
        .select(OrganisationRow::as_select())
        .into_boxed();
    if let Some(kind) = query.kind {
        select = select.filter(organisations::kind.eq(kind.as_str()));
    }
    if !query.include_operators {
        select = select.filter(organisations::kind.ne(OrganisationKind::Operator.as_str()));
    }
    if let Some(text) = &query.text {
        let pattern = format!("%{}%", escape_like(&text.to_lowercase()));
        select = select.filter(
            lower(organisations::name)
                .like(pattern)
                .escape('\\')
                .or(organisations::code.eq(text.to_uppercase())),
        );
    }
    if let Some(after) = &query.after_code {
        select = select.filter(organisations::code.gt(after.clone()));
    }
    select
        .order(organisations::code.asc())
        .limit(query.limit)
        .load(conn)
        .await?
        .into_iter()
        .map(OrganisationRow::into_domain)
        .collect()
}

/// The highest code in use with a prefix, so the next one can be allocated.
pub(crate) async fn highest_organisation_code(
    conn: &mut Conn,
    prefix: &str,
) -> Result<Option<String>, StoreError> {
    Ok(organisations::table
        .filter(organisations::code.like(format!("{prefix}%")))
        .select(diesel::dsl::max(organisations::code))
        .first::<Option<String>>(conn)
        .await?)
}

/// Organisations (operators aside) created before `cutoff` none of whose clients was used since:
/// each with its last use and its claims not yet purged. Removed ones are left out.
pub(crate) async fn inactive_organisations(
    conn: &mut Conn,
    cutoff: DateTime<Utc>,
) -> Result<Vec<InactiveOrganisation>, StoreError> {
    let cutoff = DbInstant::from(cutoff);
    let recently_used = api_clients::table
        .filter(api_clients::last_used_at.ge(cutoff))
        .select(api_clients::organisation_code);
    let rows: Vec<(OrganisationRow, DbInstant)> = organisations::table
        .filter(organisations::removed_at.is_null())
        .filter(organisations::kind.ne(OrganisationKind::Operator.as_str()))
        .filter(organisations::created_at.lt(cutoff))
        .filter(diesel::dsl::not(organisations::code.eq_any(recently_used)))
        .order(organisations::code.asc())
        .select((OrganisationRow::as_select(), organisations::created_at))
        .load(conn)
        .await?;
    let mut found = Vec::with_capacity(rows.len());
    for (row, created_at) in rows {
        let last_used: Option<DbInstant> = api_clients::table
            .filter(api_clients::organisation_code.eq(&row.code))
            .select(diesel::dsl::max(api_clients::last_used_at))
            .first(conn)
            .await?;
        let live_claims = live_claims(conn, &row.code).await?;
        found.push(InactiveOrganisation {
            organisation: row.into_domain()?,
            created_at: created_at.0,
            last_used_at: last_used.map(|t| t.0),
            live_claims,
        });
    }
    Ok(found)
}

/// How many claims naming the organisation still hold personal data (not purged).
async fn live_claims(conn: &mut Conn, code: &str) -> Result<i64, StoreError> {
    Ok(claims::table
        .filter(claims::purged_at.is_null())
        .filter(claims::claimant_rep_code.eq(code).or(claims::compensator_code.eq(code)))
        .count()
        .get_result(conn)
        .await?)
}

/// Removes an inactive organisation (see [`inactive_organisations`]) with no claim left
/// unpurged: its clients and their secrets are deleted and its name is replaced by its code; the
/// row stays, so the codes in its claims' tombstones, events and audit trail still resolve.
pub(crate) async fn remove_organisation(
    conn: &mut Conn,
    code: &str,
    cutoff: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Removal, StoreError> {
    let code = code.to_owned();
    transaction!(conn, async |conn| {
        let Some(row) = organisations::table
            .find(&code)
            .filter(organisations::removed_at.is_null())
            .filter(organisations::kind.ne(OrganisationKind::Operator.as_str()))
            .select((organisations::created_at, organisations::legal_hold, organisations::legal_hold_until))
            .first::<(DbInstant, bool, Option<DbInstant>)>(conn)
            .await
            .optional()?
        else {
            return Ok(Removal::NotFound);
        };
        let used: i64 = api_clients::table
            .filter(api_clients::organisation_code.eq(&code))
            .filter(api_clients::last_used_at.ge(DbInstant::from(cutoff)))
            .count()
            .get_result(conn)
            .await?;
        if used > 0 || row.0.0 >= cutoff {
            return Ok(Removal::Active);
        }
        if row.1 && row.2.is_none_or(|until| until.0 > now) {
            return Ok(Removal::OnLegalHold);
        }
        let live = live_claims(conn, &code).await?;
        if live > 0 {
            return Ok(Removal::HasLiveClaims(live));
        }
        let clients = api_clients::table
            .filter(api_clients::organisation_code.eq(&code))
            .select(api_clients::client_id);
        diesel::delete(client_secrets::table.filter(client_secrets::client_id.eq_any(clients)))
            .execute(conn)
            .await?;
        diesel::delete(api_clients::table.filter(api_clients::organisation_code.eq(&code)))
            .execute(conn)
            .await?;
        diesel::update(organisations::table.find(&code))
            .set((
                organisations::name.eq(&code),
                organisations::group_name.eq(None::<String>),
                organisations::removed_at.eq(Some(DbInstant::from(now))),
            ))
            .execute(conn)
            .await?;
        Ok(Removal::Removed)
    })
}
