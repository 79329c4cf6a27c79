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
    /// Claims whose open deadlines moved; each party of each was sent `claim.deadline_changed`.
    pub claims_rescheduled: usize,
}
