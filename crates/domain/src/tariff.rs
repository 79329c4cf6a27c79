//! The whiplash tariff (Whiplash Injury Regulations 2021, as amended from 31 May 2025): injury
//! damages fixed by the duration of the injury. Each table is data with the accident date it
//! applies from.

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::money::Pence;

/// A row: the band's upper limit in calendar months after the accident, its label, and the
/// amounts in pounds for whiplash alone and with a minor psychological injury.
type Band = (u32, &'static str, i64, i64);

/// One set of regulations.
#[derive(Debug)]
pub struct TariffTable {
    pub regulations: &'static str,
    /// Accidents on or after this date use the table.
    pub applies_from: NaiveDate,
    pub bands: [Band; 7],
}

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid date in the tariff tables"),
    }
}

/// The tariff tables, oldest first.
pub const TARIFFS: &[TariffTable] = &[
    TariffTable {
        regulations: "2021",
        applies_from: date(2021, 5, 31),
        bands: [
            (3, "not_more_than_3_months", 240, 260),
            (6, "more_than_3_up_to_6_months", 495, 520),
            (9, "more_than_6_up_to_9_months", 840, 895),
            (12, "more_than_9_up_to_12_months", 1_320, 1_390),
            (15, "more_than_12_up_to_15_months", 2_040, 2_125),
            (18, "more_than_15_up_to_18_months", 3_005, 3_100),
            (24, "more_than_18_up_to_24_months", 4_215, 4_345),
        ],
    },
    TariffTable {
        regulations: "2025",
        applies_from: date(2025, 5, 31),
        bands: [
            (3, "not_more_than_3_months", 275, 300),
            (6, "more_than_3_up_to_6_months", 565, 595),
            (9, "more_than_6_up_to_9_months", 965, 1_025),
            (12, "more_than_9_up_to_12_months", 1_510, 1_595),
            (15, "more_than_12_up_to_15_months", 2_335, 2_435),
            (18, "more_than_15_up_to_18_months", 3_445, 3_550),
            (24, "more_than_18_up_to_24_months", 4_830, 4_975),
        ],
    },
];

/// The highest uplift allowed, in whole percent, in exceptional circumstances.
pub const MAX_UPLIFT_PERCENT: u32 = 20;

/// What is valued.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TariffQuestion {
    pub accident_date: NaiveDate,
    pub prognosis_end_date: NaiveDate,
    pub minor_psychological_injury: bool,
    pub uplift_percent: u32,
}

/// The tariff amount of an injury.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TariffValue {
    pub regulations: &'static str,
    pub band: &'static str,
    pub tariff_pence: Pence,
    pub uplift_pence: Pence,
    pub total_pence: Pence,
}

/// Why an injury cannot be valued on the tariff.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TariffError {
    #[error("the tariff applies to accidents from 31 May 2021")]
    BeforeTariff,
    #[error("the prognosis ends before the accident")]
    PrognosisBeforeAccident,
    #[error("the tariff covers injuries of up to 24 months")]
    OutsideTariff,
    #[error("the uplift is at most 20%")]
    UpliftTooHigh,
}

impl TariffError {
    pub fn code(self) -> &'static str {
        match self {
            TariffError::BeforeTariff => "before_tariff",
            TariffError::PrognosisBeforeAccident => "prognosis_before_accident",
            TariffError::OutsideTariff => "outside_tariff",
            TariffError::UpliftTooHigh => "uplift_too_high",
        }
    }

    /// The field of the question at fault.
    pub fn field(self) -> &'static str {
        match self {
            TariffError::BeforeTariff => "accident_date",
            TariffError::UpliftTooHigh => "uplift_percent",
            TariffError::PrognosisBeforeAccident | TariffError::OutsideTariff => "prognosis_end_date",
        }
    }
}

/// Values an injury: the table chosen by accident date, the shortest band whose limit (the
/// accident date plus that many calendar months) is on or after the prognosis end date.
pub fn value(question: TariffQuestion) -> Result<TariffValue, TariffError> {
    if question.uplift_percent > MAX_UPLIFT_PERCENT {
        return Err(TariffError::UpliftTooHigh);
    }
    let table = TARIFFS
        .iter()
        .filter(|t| t.applies_from <= question.accident_date)
        .max_by_key(|t| t.applies_from)
        .ok_or(TariffError::BeforeTariff)?;
    if question.prognosis_end_date < question.accident_date {
        return Err(TariffError::PrognosisBeforeAccident);
    }
    let &(_, band, whiplash, with_psychological) = table
        .bands
        .iter()
        .find(|(months, ..)| {
            question
                .accident_date
                .checked_add_months(Months::new(*months))
                .is_some_and(|limit| limit >= question.prognosis_end_date)
        })
        .ok_or(TariffError::OutsideTariff)?;
    let tariff =
        Pence::pounds(if question.minor_psychological_injury { with_psychological } else { whiplash });
    // Whole percent of whole pounds: exact in pence.
    let uplift = Pence::new(tariff.get() * i64::from(question.uplift_percent) / 100);
    Ok(TariffValue {
        regulations: table.regulations,
        band,
        tariff_pence: tariff,
        uplift_pence: uplift,
        total_pence: Pence::new(tariff.get() + uplift.get()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn ask(
        accident: &str,
        prognosis_end: &str,
        psychological: bool,
        uplift: u32,
    ) -> Result<TariffValue, TariffError> {
        value(TariffQuestion {
            accident_date: d(accident),
            prognosis_end_date: d(prognosis_end),
            minor_psychological_injury: psychological,
            uplift_percent: uplift,
        })
    }

    fn total(result: Result<TariffValue, TariffError>) -> i64 {
        result.expect("valued").total_pence.get()
    }

    #[test]
    fn scenario_16_the_2021_table() {
        let whiplash = ask("2025-05-30", "2026-07-30", false, 0).expect("valued");
        assert_eq!(
            (whiplash.regulations, whiplash.band, whiplash.total_pence.get()),
            ("2021", "more_than_12_up_to_15_months", 204_000)
        );
        assert_eq!(total(ask("2025-05-30", "2026-07-30", true, 0)), 212_500);
        assert_eq!(total(ask("2025-05-30", "2026-07-30", false, 20)), 244_800);
        assert_eq!(total(ask("2025-05-30", "2026-07-30", true, 20)), 255_000);
    }

    #[test]
    fn scenario_17_the_2025_table_and_band_edges() {
        let with_psychological = ask("2025-05-31", "2025-12-31", true, 0).expect("valued");
        assert_eq!((with_psychological.regulations, with_psychological.total_pence.get()), ("2025", 102_500));
        assert_eq!(total(ask("2025-05-31", "2025-12-31", true, 20)), 123_000);
        assert_eq!(total(ask("2025-05-31", "2025-08-31", false, 0)), 27_500);
        assert_eq!(total(ask("2025-05-31", "2025-09-01", false, 0)), 56_500);
        assert_eq!(ask("2025-05-31", "2025-12-31", false, 21), Err(TariffError::UpliftTooHigh));
        assert_eq!(
            ask("2025-05-31", "2027-05-31", false, 0).map(|v| v.band),
            Ok("more_than_18_up_to_24_months")
        );
        assert_eq!(ask("2025-05-31", "2027-06-01", false, 0), Err(TariffError::OutsideTariff));
    }

    #[test]
    fn accidents_before_the_reform_are_outside_the_tariff() {
        assert_eq!(ask("2021-05-30", "2021-08-01", false, 0), Err(TariffError::BeforeTariff));
        assert_eq!(ask("2025-05-31", "2025-05-30", false, 0), Err(TariffError::PrognosisBeforeAccident));
    }

    #[test]
    fn month_ends_clamp_to_the_shorter_month() {
        // 30 November plus 3 months is 28 February (29 in a leap year).
        assert_eq!(ask("2025-11-30", "2026-02-28", false, 0).map(|v| v.band), Ok("not_more_than_3_months"));
        assert_eq!(
            ask("2025-11-30", "2026-03-01", false, 0).map(|v| v.band),
            Ok("more_than_3_up_to_6_months")
        );
    }
}
