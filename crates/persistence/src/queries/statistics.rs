//! Management information: the anonymous facts changes add, and their counts for a period.

use chrono::NaiveDate;
use claims_domain::ids::ClaimId;
use claims_domain::statistics::Fact;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::Conn;
use crate::error::StoreError;
use crate::records::StatisticCount;
use crate::schema::claim_statistics;
use crate::sql_types::DbUuid;

#[derive(Insertable)]
#[diesel(table_name = claim_statistics)]
struct NewFactRow {
    claim_id: DbUuid,
    kind: &'static str,
    claim_type: &'static str,
    occurred_on: NaiveDate,
    month: String,
    detail: Option<&'static str>,
    party: Option<&'static str>,
    business_days: Option<i32>,
}

/// Adds facts about claims (in the caller's transaction). A change adds a few at most, so they go
/// one row per statement (SQLite takes no multi-row insert with optional columns).
pub(crate) async fn insert_facts(conn: &mut Conn, facts: &[(ClaimId, &Fact)]) -> Result<(), StoreError> {
    let rows: Vec<NewFactRow> = facts
        .iter()
        .map(|(claim_id, fact)| NewFactRow {
            claim_id: claim_id.as_uuid().into(),
            kind: fact.kind.as_str(),
            claim_type: fact.claim_type.as_str(),
            occurred_on: fact.on,
            month: fact.on.format("%Y-%m").to_string(),
            detail: fact.detail,
            party: fact.party,
            business_days: fact.business_days.map(|days| i32::try_from(days).unwrap_or(i32::MAX)),
        })
        .collect();
    for row in &rows {
        diesel::insert_into(claim_statistics::table).values(row).execute(conn).await?;
    }
    Ok(())
}

/// The facts from `from` to `to` (inclusive), counted by month, kind, claim type, detail, party
/// and business days.
pub(crate) async fn statistics(
    conn: &mut Conn,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<StatisticCount>, StoreError> {
    type Row = (String, String, String, Option<String>, Option<String>, Option<i32>, i64);
    let rows: Vec<Row> = claim_statistics::table
        .filter(claim_statistics::occurred_on.ge(from))
        .filter(claim_statistics::occurred_on.le(to))
        .group_by((
            claim_statistics::month,
            claim_statistics::kind,
            claim_statistics::claim_type,
            claim_statistics::detail,
            claim_statistics::party,
            claim_statistics::business_days,
        ))
        .select((
            claim_statistics::month,
            claim_statistics::kind,
            claim_statistics::claim_type,
            claim_statistics::detail,
            claim_statistics::party,
            claim_statistics::business_days,
            diesel::dsl::count_star(),
        ))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(month, kind, claim_type, detail, party, business_days, count)| StatisticCount {
            month,
            kind,
            claim_type,
            detail,
            party,
            business_days: business_days.map(|days| u32::try_from(days).unwrap_or(0)),
            count: u64::try_from(count).unwrap_or(0),
        })
        .collect())
}
