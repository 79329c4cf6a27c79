//! Time as the hub sees it: an injected clock and the English calendar date of an instant.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::London;

/// The source of "now". Production reads the system clock; the sandbox and the tests use a clock
/// they can move. Nothing in the hub reads the system time for business purposes directly.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in England.
    fn today(&self) -> NaiveDate {
        england_date(self.now())
    }
}

/// The local date in England (GMT or BST) of an instant.
pub fn england_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&London).date_naive()
}

/// Drops sub-microsecond precision so an instant survives a round trip through either database
/// unchanged.
pub fn truncate_to_micros(instant: DateTime<Utc>) -> DateTime<Utc> {
    let nanos = instant.timestamp_subsec_nanos();
    instant - chrono::Duration::nanoseconds(i64::from(nanos % 1_000))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).map(|d| d.with_timezone(&Utc)).expect("valid instant")
    }

    #[test]
    fn late_evening_utc_in_summer_is_already_the_next_day_in_england() {
        assert_eq!(
            england_date(at("2025-09-15T23:30:00Z")),
            NaiveDate::from_ymd_opt(2025, 9, 16).expect("date")
        );
    }

    #[test]
    fn late_evening_utc_in_winter_is_the_same_day_in_england() {
        assert_eq!(
            england_date(at("2025-12-15T23:30:00Z")),
            NaiveDate::from_ymd_opt(2025, 12, 15).expect("date")
        );
    }

    #[test]
    fn truncation_keeps_microseconds() {
        let t = at("2025-01-01T00:00:00.123456789Z");
        assert_eq!(truncate_to_micros(t), at("2025-01-01T00:00:00.123456Z"));
    }
}
