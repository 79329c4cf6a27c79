use super::*;

fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn calendar() -> Calendar {
    Calendar::england_and_wales()
}

#[test]
fn the_scenarios_periods_land_on_the_documented_dates() {
    let c = calendar();
    // Scenario 1: acknowledgement over the August bank holiday.
    assert_eq!(c.add_business_days(date("2025-08-22"), 1), date("2025-08-26"));
    // Scenarios 2 and 3: 15 and 30 business days.
    assert_eq!(c.add_business_days(date("2025-08-22"), 15), date("2025-09-15"));
    assert_eq!(c.add_business_days(date("2025-08-22"), 30), date("2025-10-06"));
    // Scenario 4: over Christmas.
    assert_eq!(c.add_business_days(date("2025-12-18"), 30), date("2026-02-03"));
    assert_eq!(c.add_business_days(date("2025-12-18"), 40), date("2026-02-17"));
    // Scenario 5: over Easter.
    assert_eq!(c.add_business_days(date("2026-04-02"), 15), date("2026-04-27"));
    // Scenario 8: a resubmission on a Monday.
    assert_eq!(c.add_business_days(date("2026-03-02"), 15), date("2026-03-23"));
    // Scenarios 10 to 12 and 15, for the next stages.
    assert_eq!(c.add_business_days(date("2025-05-30"), 10), date("2025-06-13"));
    assert_eq!(c.add_business_days(date("2025-05-30"), 15), date("2025-06-20"));
    assert_eq!(c.add_business_days(date("2025-05-30"), 30), date("2025-07-11"));
    assert_eq!(c.add_business_days(date("2026-03-20"), 15), date("2026-04-14"));
    assert_eq!(c.add_business_days(date("2026-03-20"), 35), date("2026-05-13"));
    assert_eq!(c.add_business_days(date("2026-12-21"), 5), date("2026-12-30"));
    assert_eq!(c.add_business_days(date("2026-12-21"), 15), date("2027-01-14"));
}

#[test]
fn the_event_day_never_counts_even_on_a_weekend() {
    let c = calendar();
    assert_eq!(c.add_business_days(date("2025-08-23"), 1), date("2025-08-26"));
    assert_eq!(c.add_business_days(date("2025-08-24"), 1), date("2025-08-26"));
    assert_eq!(c.add_business_days(date("2025-08-22"), 0), date("2025-08-22"));
}

#[test]
fn counting_back_mirrors_counting_forward() {
    let c = calendar();
    assert_eq!(c.subtract_business_days(date("2025-09-15"), 5), date("2025-09-08"));
    assert_eq!(c.subtract_business_days(date("2025-09-15"), 3), date("2025-09-10"));
    assert_eq!(c.subtract_business_days(date("2025-08-26"), 1), date("2025-08-22"));
}

#[test]
fn good_friday_and_christmas_day_are_never_business_days() {
    let without_list = Calendar::new([]);
    assert!(!without_list.is_business_day(date("2030-04-19")), "Good Friday 2030");
    assert!(!without_list.is_business_day(date("2030-12-25")));
    assert!(without_list.is_business_day(date("2030-04-22")), "Easter Monday is only a bank holiday");
}

#[test]
fn easter_is_computed_for_every_shipped_year() {
    let good_fridays = ["2015-04-03", "2016-03-25", "2020-04-10", "2024-03-29", "2026-04-03", "2027-03-26"];
    for good_friday in good_fridays {
        let friday = date(good_friday);
        assert_eq!(easter_sunday(friday.year()), friday.checked_add_days(Days::new(2)));
    }
}

#[test]
fn the_one_off_holidays_are_shipped() {
    let c = calendar();
    for day in ["2020-05-08", "2022-06-03", "2022-09-19", "2023-05-08"] {
        assert!(!c.is_business_day(date(day)), "{day}");
    }
    assert!(c.is_business_day(date("2020-05-04")), "the early May holiday of 2020 moved to the 8th");
}

#[test]
fn deadlines_pass_at_midnight_in_england_on_both_sides_of_the_clock_changes() {
    let at = |s: &str| DateTime::parse_from_rfc3339(s).expect("instant").with_timezone(&Utc);
    // BST: the day after starts at 23:00 UTC.
    assert_eq!(deadline_instant(date("2025-09-15")), at("2025-09-15T23:00:00Z"));
    // GMT.
    assert_eq!(deadline_instant(date("2026-02-03")), at("2026-02-04T00:00:00Z"));
    // The last day of GMT: clocks go forward at 01:00 on 29 March 2026.
    assert_eq!(deadline_instant(date("2026-03-28")), at("2026-03-29T00:00:00Z"));
    assert_eq!(deadline_instant(date("2026-03-29")), at("2026-03-29T23:00:00Z"));
    // The last day of BST: clocks go back at 02:00 on 25 October 2026.
    assert_eq!(deadline_instant(date("2026-10-24")), at("2026-10-24T23:00:00Z"));
    assert_eq!(deadline_instant(date("2026-10-25")), at("2026-10-26T00:00:00Z"));
}

#[test]
fn the_shipped_list_has_eight_days_a_year_plus_the_one_offs() {
    for year in 2015..=2027 {
        let count = BANK_HOLIDAYS.iter().filter(|(y, _, _)| *y == year).count();
        let expected = match year {
            2022 => 10,
            2023 => 9,
            _ => 8,
        };
        assert_eq!(count, expected, "{year}");
    }
}

#[test]
fn counting_the_days_between_two_dates_inverts_adding_them() {
    let calendar = calendar();
    // Across the Easter weekend of 2026 (Good Friday 3 April, Easter Monday 6 April).
    let from = date("2026-03-30");
    for days in 0..30 {
        let to = calendar.add_business_days(from, days);
        assert_eq!(calendar.business_days_between(from, to), days, "{to}");
    }
    assert_eq!(calendar.business_days_between(date("2026-04-02"), date("2026-04-06")), 0);
    assert_eq!(calendar.business_days_between(date("2026-04-10"), date("2026-04-01")), 0);
}
