//! Management information: the anonymous facts changes add and the counts of a period (the
//! roll-up of facts into daily counts is SQL of each backend, in `backend/`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use claims_domain::statistics::Fact;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::Conn;
use crate::error::StoreError;
use crate::records::StatisticCount;
use crate::schema::{claim_statistics, claim_statistics_daily};

/// How the tables write an absent code and absent business days (their keys have no NULLs).
const NO_CODE: &str = "";
const NO_DAYS: i32 = -1;

#[derive(Insertable)]
#[diesel(table_name = claim_statistics)]
struct NewFactRow {
    kind: &'static str,
    claim_type: &'static str,
    occurred_on: NaiveDate,
    month: String,
    detail: &'static str,
    party: &'static str,
    business_days: i32,
}

/// Adds facts (in the caller's transaction). A change adds a few at most: one row per statement
/// (diesel writes no multi-row INSERT for SQLite).
pub(crate) async fn insert_facts<'a>(
    conn: &mut Conn,
    facts: impl IntoIterator<Item = &'a Fact>,
) -> Result<(), StoreError> {
    let rows: Vec<NewFactRow> = facts
        .into_iter()
        .map(|fact| NewFactRow {
            kind: fact.kind.as_str(),
            claim_type: fact.claim_type.as_str(),
            occurred_on: fact.on,
            month: fact.on.format("%Y-%m").to_string(),
            detail: fact.detail.unwrap_or(NO_CODE),
            party: fact.party.unwrap_or(NO_CODE),
            business_days: fact.business_days.map_or(NO_DAYS, |days| i32::try_from(days).unwrap_or(i32::MAX)),
        })
        .collect();
    for row in &rows {
        diesel::insert_into(claim_statistics::table).values(row).execute(conn).await?;
    }
    Ok(())
}

/// The facts from `from` to `to` (inclusive), counted by month, kind, claim type, detail, party
/// and business days: the daily counts plus the facts not rolled up yet.
pub(crate) async fn statistics(
    conn: &mut Conn,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<StatisticCount>, StoreError> {
    type Row = (String, String, String, String, String, i32, Option<i64>);
    let daily: Vec<Row> = claim_statistics_daily::table
        .filter(claim_statistics_daily::occurred_on.between(from, to))
        .group_by((
            claim_statistics_daily::month,
            claim_statistics_daily::kind,
            claim_statistics_daily::claim_type,
            claim_statistics_daily::detail,
            claim_statistics_daily::party,
            claim_statistics_daily::business_days,
        ))
        .select((
            claim_statistics_daily::month,
            claim_statistics_daily::kind,
            claim_statistics_daily::claim_type,
            claim_statistics_daily::detail,
            claim_statistics_daily::party,
            claim_statistics_daily::business_days,
            diesel::dsl::sum(claim_statistics_daily::count),
        ))
        .load(conn)
        .await?;
    type PendingRow = (String, String, String, String, String, i32, i64);
    let pending: Vec<PendingRow> = claim_statistics::table
        .filter(claim_statistics::occurred_on.between(from, to))
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
    let rows = daily
        .into_iter()
        .map(|(month, kind, claim_type, detail, party, days, count)| {
            (month, kind, claim_type, detail, party, days, count.unwrap_or(0))
        })
        .chain(pending);
    let mut counts: BTreeMap<(String, String, String, String, String, i32), i64> = BTreeMap::new();
    for (month, kind, claim_type, detail, party, days, count) in rows {
        *counts.entry((month, kind, claim_type, detail, party, days)).or_default() += count;
    }
    let code = |text: String| (text != NO_CODE).then_some(text);
    Ok(counts
        .into_iter()
        .map(|((month, kind, claim_type, detail, party, days), count)| StatisticCount {
            month,
            kind,
            claim_type,
            detail: code(detail),
            party: code(party),
            business_days: u32::try_from(days).ok(),
            count: u64::try_from(count).unwrap_or(0),
        })
        .collect())
}
