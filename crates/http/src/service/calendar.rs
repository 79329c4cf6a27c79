//! The operator's changes to the bank-holiday calendar. Only the deadline sweeper recounts
//! deadlines after a change (in the background, in batches): a change here raises the calendar's
//! revision, nudges the sweeper and waits a short while (`recount_wait`) for it to finish, then
//! answers whether it did.

use chrono::{Datelike, NaiveDate};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;

/// What a change of the calendar did: whether the date's status changed; and, if the recount
/// finished within the wait, how many claims had a deadline move, else how many claims had an
/// open deadline to recount when the change was made.
pub struct CalendarChanged {
    pub changed: bool,
    pub claims_rescheduled: usize,
    pub recount_complete: bool,
    pub claims_to_recount: i64,
}

/// Makes `date` a bank holiday (`add`) or an ordinary day; every open deadline is then recounted
/// by the sweeper, and each claim whose due date moved gets `claim.deadline_changed` to both
/// parties.
pub async fn change_bank_holiday(
    state: &AppState,
    caller: &Caller,
    date: NaiveDate,
    add: bool,
) -> Result<CalendarChanged, ApiError> {
    caller.require_operator()?;
    let changed = state.db.change_bank_holiday(date, add, state.clock.now()).await?;
    if !changed {
        return Ok(CalendarChanged {
            changed,
            claims_rescheduled: 0,
            recount_complete: true,
            claims_to_recount: 0,
        });
    }
    state.calendar.reload(&state.db).await?;
    let revision = state.calendar.revision();
    let claims_to_recount = state.db.count_to_recount(revision).await?;
    state.recounts.nudge();
    let answer = match state.recounts.wait_for(revision, state.settings.recount_wait).await {
        Some(done) => CalendarChanged {
            changed,
            claims_rescheduled: done.rescheduled,
            recount_complete: true,
            claims_to_recount: 0,
        },
        None => CalendarChanged {
            changed,
            claims_rescheduled: 0,
            recount_complete: claims_to_recount == 0,
            claims_to_recount,
        },
    };
    tracing::info!(
        %date,
        add,
        revision,
        recount_complete = answer.recount_complete,
        claims_rescheduled = answer.claims_rescheduled,
        claims_to_recount = answer.claims_to_recount,
        "bank-holiday calendar changed"
    );
    Ok(answer)
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
