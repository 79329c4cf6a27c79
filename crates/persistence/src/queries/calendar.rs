//! The bank-holiday calendar.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::Conn;
use crate::error::StoreError;
use crate::schema::{bank_holidays, calendar_state};
use crate::sql_types::DbInstant;

/// The calendar's revision and whether the shipped holidays were loaded.
pub(crate) async fn calendar_state(conn: &mut Conn) -> Result<(i64, bool), StoreError> {
    Ok(calendar_state::table
        .find(1)
        .select((calendar_state::revision, calendar_state::seeded))
        .first(conn)
        .await?)
}

pub(crate) async fn bank_holidays(conn: &mut Conn) -> Result<Vec<NaiveDate>, StoreError> {
    Ok(bank_holidays::table
        .order(bank_holidays::holiday.asc())
        .select(bank_holidays::holiday)
        .load(conn)
        .await?)
}

/// Loads the shipped holidays into an empty calendar, once (a later removal by the operator is
/// never undone by a restart).
pub(crate) async fn seed_bank_holidays(
    conn: &mut Conn,
    days: &[NaiveDate],
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let now = DbInstant::from(now);
    transaction!(conn, async |conn| {
        let claimed = diesel::update(calendar_state::table.find(1))
            .filter(calendar_state::seeded.eq(false))
            .set((calendar_state::seeded.eq(true), calendar_state::revision.eq(calendar_state::revision + 1)))
            .execute(conn)
            .await?;
        if claimed == 0 {
            return Ok(false);
        }
        for day in days {
            diesel::insert_into(bank_holidays::table)
                .values((bank_holidays::holiday.eq(day), bank_holidays::created_at.eq(now)))
                .on_conflict_do_nothing()
                .execute(conn)
                .await?;
        }
        Ok(true)
    })
}

/// Adds (`add`) or removes a holiday; returns whether the calendar changed (and so its revision).
pub(crate) async fn change_bank_holiday(
    conn: &mut Conn,
    day: NaiveDate,
    add: bool,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let now = DbInstant::from(now);
    transaction!(conn, async |conn| {
        let changed = if add {
            diesel::insert_into(bank_holidays::table)
                .values((bank_holidays::holiday.eq(day), bank_holidays::created_at.eq(now)))
                .on_conflict_do_nothing()
                .execute(conn)
                .await?
        } else {
            diesel::delete(bank_holidays::table.find(day)).execute(conn).await?
        };
        if changed > 0 {
            diesel::update(calendar_state::table.find(1))
                .set(calendar_state::revision.eq(calendar_state::revision + 1))
                .execute(conn)
                .await?;
        }
        Ok(changed > 0)
    })
}
