//! The bank-holiday calendar and business-day arithmetic, as the API shows them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HolidaysQuery {
    /// Only this year (default: every year in the calendar).
    pub year: Option<i32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BankHolidays {
    /// Bank holidays in England and Wales, in date order. Weekends, Good Friday and Christmas Day
    /// are never business days whether listed or not.
    pub dates: Vec<NaiveDate>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AddBusinessDaysQuery {
    /// The date of the event the period counts from (it never counts itself).
    pub from: NaiveDate,
    /// Business days, 0 to 1000.
    pub days: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BusinessDayResult {
    /// The last day of the period.
    #[schema(example = "2025-09-15")]
    pub date: NaiveDate,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarChange {
    pub date: NaiveDate,
    /// Whether the date is now a bank holiday.
    pub bank_holiday: bool,
    /// Whether the calendar changed (adding a listed day or removing an unlisted one does not).
    pub changed: bool,
    /// Claims whose open deadlines moved by the time of this answer; each party of each was sent
    /// `claim.deadline_changed`. (0 while the recount is still running.)
    pub claims_rescheduled: usize,
    /// Whether every open deadline was recounted before this answer. A large recount goes on in
    /// the background (in batches, resumed after a restart); its `claim.deadline_changed` events
    /// arrive on the feed as it goes.
    pub recount_complete: bool,
    /// When the recount did not finish before the answer: the claims with an open deadline it had
    /// to recount when the change was made (0 otherwise).
    pub claims_to_recount: i64,
}
