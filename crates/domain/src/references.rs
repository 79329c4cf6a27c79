//! Formats of the identifiers and references a CNF carries. Each parser returns the canonical
//! form (upper case, standard spacing) or says why the input is not one.

use std::sync::LazyLock;

use regex::Regex;

fn regex(pattern: &str) -> Regex {
    // The patterns are literals in this file and covered by its tests.
    Regex::new(pattern).expect("pattern in references.rs is valid")
}

/// A UK National Insurance number, stored without spaces (`AB123456C`).
///
/// Two prefix letters, six digits and a suffix A to D. The first prefix letter is never D, F, I,
/// Q, U or V; the second never D, F, I, O, Q, U or V; and BG, GB, KN, NK, NT, TN and ZZ are never
/// issued.
pub fn parse_ni_number(raw: &str) -> Option<String> {
    static SHAPE: LazyLock<Regex> =
        LazyLock::new(|| regex("^[ABCEGHJ-PRSTW-Z][ABCEGHJ-NPRSTW-Z][0-9]{6}[A-D]$"));
    const NEVER_ISSUED: [&str; 7] = ["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"];
    let compact: String = raw.chars().filter(|c| *c != ' ').collect::<String>().to_uppercase();
    let valid = SHAPE.is_match(&compact) && !NEVER_ISSUED.contains(&&compact[..2]);
    valid.then_some(compact)
}

/// A UK postcode, returned upper case with one space before the inward code (`SW1A 1AA`).
pub fn parse_postcode(raw: &str) -> Option<String> {
    static SHAPE: LazyLock<Regex> =
        LazyLock::new(|| regex("^(?:[A-Z]{1,2}[0-9][A-Z0-9]?|GIR)[0-9][A-Z]{2}$"));
    let compact: String = raw.chars().filter(|c| *c != ' ').collect::<String>().to_uppercase();
    if !SHAPE.is_match(&compact) {
        return None;
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    Some(format!("{outward} {inward}"))
}

/// The claimant representative's own case reference: at most 50 letters, digits, spaces, `/`,
/// `.` or `-`.
pub fn is_case_reference(raw: &str) -> bool {
    !raw.trim().is_empty()
        && raw.chars().count() <= 50
        && raw.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '/' | '.' | '-'))
}

/// A fraud-check (askCUE PI) search reference: `ASKCUEPI` optionally followed by 1 to 10 digits,
/// or 1 to 10 digits alone.
pub fn is_fraud_check_reference(raw: &str) -> bool {
    static SHAPE: LazyLock<Regex> = LazyLock::new(|| regex("^(?:ASKCUEPI[0-9]{0,10}|[0-9]{1,10})$"));
    SHAPE.is_match(raw)
}

/// The reference of a claim on the small-claims (whiplash) service: `OIC-` then digits and
/// hyphens, ending in a digit.
pub fn is_small_claims_reference(raw: &str) -> bool {
    static SHAPE: LazyLock<Regex> = LazyLock::new(|| regex("^OIC-[0-9][0-9-]*[0-9]$|^OIC-[0-9]$"));
    SHAPE.is_match(raw) && raw.len() <= 30
}

/// A time of day written `HH:MM`, from 00:00 to 23:59.
pub fn is_time_of_day(raw: &str) -> bool {
    static SHAPE: LazyLock<Regex> = LazyLock::new(|| regex("^(?:[01][0-9]|2[0-3]):[0-5][0-9]$"));
    SHAPE.is_match(raw)
}

/// A telephone number: digits with optional spaces, a leading `+` and brackets; 10 to 15 digits.
pub fn is_telephone(raw: &str) -> bool {
    let allowed = raw
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || matches!(c, ' ' | '(' | ')' | '-') || (c == '+' && i == 0));
    let digits = raw.chars().filter(char::is_ascii_digit).count();
    allowed && (10..=15).contains(&digits) && raw.len() <= 25
}

/// A vehicle registration mark: letters and digits (spaces ignored), at most 12 characters.
pub fn parse_vehicle_registration(raw: &str) -> Option<String> {
    let compact: String = raw.chars().filter(|c| *c != ' ').collect::<String>().to_uppercase();
    let valid = !compact.is_empty()
        && raw.chars().count() <= 12
        && compact.chars().all(|c| c.is_ascii_alphanumeric());
    valid.then_some(compact)
}

/// The Financial Conduct Authority firm reference number of a claims management company: six or
/// seven digits.
pub fn is_fca_firm_reference(raw: &str) -> bool {
    (6..=7).contains(&raw.len()) && raw.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ni_numbers_follow_the_allocation_rules() {
        assert_eq!(parse_ni_number("AB123456C").as_deref(), Some("AB123456C"));
        assert_eq!(parse_ni_number("ab 12 34 56 c").as_deref(), Some("AB123456C"));
        for bad in ["QQ123456C", "AB123456E", "DA123456A", "AO123456A", "GB123456A", "AB12345C", ""] {
            assert_eq!(parse_ni_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn postcodes_are_normalised() {
        assert_eq!(parse_postcode("sw1a1aa").as_deref(), Some("SW1A 1AA"));
        assert_eq!(parse_postcode("M1 1AE").as_deref(), Some("M1 1AE"));
        assert_eq!(parse_postcode("B33 8TH").as_deref(), Some("B33 8TH"));
        for bad in ["SW1A", "12345", "SW1A 1A", "SW1A-1AA"] {
            assert_eq!(parse_postcode(bad), None, "{bad}");
        }
    }

    #[test]
    fn case_references_allow_a_small_alphabet() {
        assert!(is_case_reference("ABC/2025/001-a.b"));
        assert!(!is_case_reference("ABC_001"));
        assert!(!is_case_reference(&"A".repeat(51)));
        assert!(!is_case_reference("  "));
    }

    #[test]
    fn fraud_check_references() {
        for good in ["ASKCUEPI", "ASKCUEPI1234567890", "1234567890", "7"] {
            assert!(is_fraud_check_reference(good), "{good}");
        }
        for bad in ["ASKCUEPI12345678901", "12345678901", "askcuepi1", "ASKCUE1", ""] {
            assert!(!is_fraud_check_reference(bad), "{bad}");
        }
    }

    #[test]
    fn small_claims_references() {
        assert!(is_small_claims_reference("OIC-123-456"));
        assert!(is_small_claims_reference("OIC-7"));
        assert!(!is_small_claims_reference("OIC-"));
        assert!(!is_small_claims_reference("OIC-12-"));
        assert!(!is_small_claims_reference("OIC-AB"));
    }

    #[test]
    fn times_of_day_run_from_midnight_to_one_minute_before() {
        assert!(is_time_of_day("00:00"));
        assert!(is_time_of_day("23:59"));
        for bad in ["24:00", "7:30", "12:60", "12:5", "1230"] {
            assert!(!is_time_of_day(bad), "{bad}");
        }
    }

    #[test]
    fn telephone_numbers() {
        assert!(is_telephone("020 7946 0000"));
        assert!(is_telephone("+44 (0)20 7946 0000"));
        assert!(!is_telephone("12345"));
        assert!(!is_telephone("020 7946 000O"));
    }

    #[test]
    fn vehicle_registrations() {
        assert_eq!(parse_vehicle_registration("ab12 cde").as_deref(), Some("AB12CDE"));
        assert_eq!(parse_vehicle_registration("AB12-CDE"), None);
        assert_eq!(parse_vehicle_registration("ABCDEFGHIJKLM"), None);
    }
}
