//! English business days: the calendar, counting periods, and the instant a deadline passes.

#[rustfmt::skip]
mod england_and_wales;

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Europe::London;

pub use england_and_wales::BANK_HOLIDAYS;

/// The non-business days beyond weekends. Good Friday and Christmas Day are never business days,
/// whatever the list says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    holidays: BTreeSet<NaiveDate>,
}

impl Calendar {
    pub fn new(holidays: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self { holidays: holidays.into_iter().collect() }
    }

    /// The shipped England and Wales calendar.
    pub fn england_and_wales() -> Self {
        Self::new(BANK_HOLIDAYS.iter().filter_map(|&(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)))
    }

    pub fn holidays(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.holidays.iter().copied()
    }

    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        let christmas_day = date.month() == 12 && date.day() == 25;
        let good_friday =
            easter_sunday(date.year()).and_then(|e| e.checked_sub_days(Days::new(2))) == Some(date);
        !(weekend || christmas_day || good_friday || self.holidays.contains(&date))
    }

    /// The end of a period of `days` business days from an event on `from`: the `days`-th business
    /// day after `from` (the event's own day never counts).
    pub fn add_business_days(&self, from: NaiveDate, days: u32) -> NaiveDate {
        let mut date = from;
        let mut counted = 0;
        while counted < days {
            date = date.succ_opt().unwrap_or(NaiveDate::MAX);
            if self.is_business_day(date) {
                counted += 1;
            }
        }
        date
    }

    /// How many business days fall after `from`, up to and including `to` (0 when `to` is not
    /// later): the business days a step took, counted like a period.
    pub fn business_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        from.iter_days()
            .skip(1)
            .take_while(|date| *date <= to)
            .filter(|date| self.is_business_day(*date))
            .count() as u32
    }

    /// The `days`-th business day before `date`.
    pub fn subtract_business_days(&self, date: NaiveDate, days: u32) -> NaiveDate {
        let mut current = date;
        let mut counted = 0;
        while counted < days {
            current = current.pred_opt().unwrap_or(NaiveDate::MIN);
            if self.is_business_day(current) {
                counted += 1;
            }
        }
        current
    }
}

/// The instant a date begins in England (00:00 GMT or BST).
pub fn start_of_day(date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    // Clocks change at 01:00 and 02:00, so local midnight always exists exactly once.
    match London.from_local_datetime(&midnight).earliest() {
        Some(local) => local.with_timezone(&Utc),
        None => Utc.from_utc_datetime(&midnight),
    }
}

/// The instant a deadline on `date` passes: the start of the next calendar day in England.
pub fn deadline_instant(date: NaiveDate) -> DateTime<Utc> {
    start_of_day(date.succ_opt().unwrap_or(NaiveDate::MAX))
}

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm).
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, u32::try_from(month).ok()?, u32::try_from(day).ok()?)
}

#[cfg(test)]
mod tests;
