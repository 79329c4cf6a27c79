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
use crate::records::OrganisationQuery;
use crate::schema::organisations;

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
    let mut select = organisations::table.select(OrganisationRow::as_select()).into_boxed();
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
