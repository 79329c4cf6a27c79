//! The operator's changes to the bank-holiday calendar. Only the deadline sweeper recounts
//! deadlines after a change: a change here asks it to and waits for its answer.

use chrono::{Datelike, NaiveDate};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

/// What a change of the calendar did: whether the date's status changed, and how many claims had
/// a deadline move.
pub struct CalendarChanged {
    pub changed: bool,
    pub claims_rescheduled: usize,
}

/// Makes `date` a bank holiday (`add`) or an ordinary day, then has the sweeper recount every open
/// deadline; each claim whose due date moved gets `claim.deadline_changed` to both parties.
pub async fn change_bank_holiday(
    state: &AppState,
    caller: &Caller,
    date: NaiveDate,
    add: bool,
) -> Result<CalendarChanged, ApiError> {
    caller.require_operator()?;
    let changed = state.db.change_bank_holiday(date, add, state.clock.now()).await?;
    if !changed {
        return Ok(CalendarChanged { changed, claims_rescheduled: 0 });
    }
    state.calendar.reload(&state.db).await?;
    let claims_rescheduled = state.recounts.request().await?;
    tracing::info!(%date, add, claims_rescheduled, "bank-holiday calendar changed");
    Ok(CalendarChanged { changed, claims_rescheduled })
}

/// The bank holidays on the calendar in use, of one year or all.
pub async fn bank_holidays(state: &AppState, year: Option<i32>) -> Result<Vec<NaiveDate>, ApiError> {
    let calendar = state.calendar.current(&state.db).await?;
    Ok(calendar.holidays().filter(|d| year.is_none_or(|y| d.year() == y)).collect())
}

/// The `days`-th business day after `from`, on the calendar in use.
/// The most business days one call adds.
pub const MAX_DAYS: u32 = 1000;

pub async fn add_business_days(state: &AppState, from: NaiveDate, days: u32) -> Result<NaiveDate, ApiError> {
    if days > MAX_DAYS {
        return Err(ApiError::bad_request("invalid_query", format!("days must be 0 to {MAX_DAYS}")));
    }
    Ok(state.calendar.current(&state.db).await?.add_business_days(from, days))
}
