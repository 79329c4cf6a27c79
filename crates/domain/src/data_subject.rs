//! Requests people make about the data a claim holds on them (data-subject requests, domain.md
//! §9): their kinds and outcomes, and when the answer is due.

use chrono::{Months, NaiveDate};

use crate::calendar::Calendar;

string_enum! {
    /// What a person asked for.
    DsrKind {
        Access => "access",
        Rectification => "rectification",
        Erasure => "erasure",
        Restriction => "restriction",
        Portability => "portability",
        Objection => "objection",
    }
}

string_enum! {
    /// How a request was closed.
    DsrOutcome {
        Completed => "completed",
        /// Refused on a legal ground (which is recorded).
        Refused => "refused",
        Withdrawn => "withdrawn",
    }
}

/// Months after receipt a request is answered in, and once extended for a complex request.
pub const RESPONSE_MONTHS: u32 = 1;
pub const EXTENDED_RESPONSE_MONTHS: u32 = 3;

/// When the answer to a request received on `received` is due, `months` calendar months later:
/// the same day of that month, or its last day when it has no such day, moved to the next
/// business day when it is not one.
pub fn due_date(received: NaiveDate, months: u32, calendar: &Calendar) -> NaiveDate {
    // `checked_add_months` keeps the day or clamps it to the month's last day.
    let day = received.checked_add_months(Months::new(months)).unwrap_or(received);
    if calendar.is_business_day(day) { day } else { calendar.add_business_days(day, 1) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn scenario_35_month_end_clamp_and_next_business_day() {
        let calendar = Calendar::england_and_wales();
        let received = date("2026-01-31");
        assert_eq!(due_date(received, RESPONSE_MONTHS, &calendar), date("2026-03-02"));
        assert_eq!(due_date(received, EXTENDED_RESPONSE_MONTHS, &calendar), date("2026-04-30"));
    }

    #[test]
    fn a_business_day_stays_and_holidays_move_on() {
        let calendar = Calendar::england_and_wales();
        assert_eq!(due_date(date("2026-02-10"), 1, &calendar), date("2026-03-10"));
        // One month after 25 Nov 2026 is Fri 25 Dec: Christmas, then Boxing Day (Mon 28 Dec as
        // substitute), so Tue 29 Dec.
        assert_eq!(due_date(date("2026-11-25"), 1, &calendar), date("2026-12-29"));
    }
}
