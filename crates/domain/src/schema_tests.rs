//! The OpenAPI schemas state the limits the field checks enforce: the server checks bodies
//! against the schema before the field rules run, so a schema stricter than its check would turn
//! away values the domain accepts, and a looser one lets contract testers send values it refuses.
//! Each pattern (with the schema's length limits) must accept exactly the strings its check does.

use regex::Regex;
use serde_json::Value;
use utoipa::PartialSchema;

use crate::cnf::{self, checks};
use crate::ids::OrganisationCode;
use crate::lifecycle::action::{AcknowledgeInput, DecideLiabilityInput};
use crate::lifecycle::state::CompensatorContact;

/// The schema of property `name` of `T`.
fn property<T: PartialSchema>(name: &str) -> Value {
    let schema = serde_json::to_value(T::schema()).expect("schema as JSON");
    let property = schema["properties"][name].clone();
    assert!(property.is_object(), "{name} is a property");
    property
}

/// Whether the string schema accepts `text` (its pattern, `maxLength` and `minLength`).
struct StringSchema {
    pattern: Regex,
    max_length: Option<u64>,
    min_length: Option<u64>,
}

impl StringSchema {
    fn of(property: &Value) -> Self {
        let pattern = property["pattern"].as_str().expect("a pattern");
        assert!(pattern.starts_with('^') && pattern.ends_with('$'), "{pattern} is anchored");
        Self {
            pattern: Regex::new(pattern).expect("the pattern compiles"),
            max_length: property["maxLength"].as_u64(),
            min_length: property["minLength"].as_u64(),
        }
    }

    fn accepts(&self, text: &str) -> bool {
        let length = text.chars().count() as u64;
        self.max_length.is_none_or(|max| length <= max)
            && self.min_length.is_none_or(|min| length >= min)
            && self.pattern.is_match(text)
    }
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Samples(u64);

impl Samples {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    /// Random strings over `alphabet`, and the `seeds` changed in a few places.
    fn strings(&mut self, alphabet: &str, seeds: &[&str], count: usize) -> Vec<String> {
        let alphabet: Vec<char> = alphabet.chars().collect();
        let mut found = Vec::with_capacity(count);
        for round in 0..count {
            let mut text: Vec<char> = if round % 2 == 0 {
                let length = self.below(17);
                (0..length).map(|_| alphabet[self.below(alphabet.len())]).collect()
            } else {
                seeds[self.below(seeds.len())].chars().collect()
            };
            for _ in 0..=self.below(3) {
                let at = self.below(text.len() + 1);
                let letter = alphabet[self.below(alphabet.len())];
                match self.below(3) {
                    0 if at < text.len() => text[at] = letter,
                    1 if at < text.len() => {
                        text.remove(at);
                    }
                    _ => text.insert(at, letter),
                }
            }
            found.push(text.into_iter().collect());
        }
        found
    }
}

/// Letters that upper-case to ASCII letters (`ß` is `SS`, `ı` is `I`, `ﬃ` is `FFI`), which the
/// normalising checks accept, and a few that do not.
const UNICODE: &str = "ßıſﬀﬁﬂﬃﬄﬅﬆéİK\u{a0}";

fn agree(property: &Value, check: impl Fn(&str) -> bool, alphabet: &str, good: &[&str], bad: &[&str]) {
    let schema = StringSchema::of(property);
    for text in good {
        assert!(check(text), "the check accepts {text:?}");
        assert!(schema.accepts(text), "the schema accepts {text:?}: {property}");
    }
    for text in bad {
        assert!(!check(text), "the check refuses {text:?}");
        assert!(!schema.accepts(text), "the schema refuses {text:?}: {property}");
    }
    let mut samples = Samples(0x9e37_79b9_7f4a_7c15);
    let alphabet = format!("{alphabet}{UNICODE} \t\n-");
    let mut accepted = 0;
    for text in samples.strings(&alphabet, good, 40_000) {
        let checked = check(&text);
        accepted += usize::from(checked);
        assert_eq!(schema.accepts(&text), checked, "{text:?} against {property}");
    }
    assert!(accepted > 100, "the samples reach accepted values ({accepted})");
}

#[test]
fn postcodes() {
    agree(
        &property::<cnf::Address>("postcode"),
        |t| checks::postcode(t).is_ok(),
        "ABGIRSWXYZabgirswxyz0123456789",
        &[
            "SW1A 1AA",
            "sw1a1aa",
            "M1 1AE",
            "B33 8TH",
            "GIR 0AA",
            "gır0aa",
            "ß1 1aa",
            "ﬅ1 1ß",
            " s w 1 a 1 a a ",
        ],
        &["SW1A", "12345", "SW1A 1A", "SW1A-1AA", "ﬃ1 1AA", "SW1A 1AA\n", "SW1A\t1AA", ""],
    );
}

#[test]
fn national_insurance_numbers() {
    agree(
        &property::<cnf::Claimant>("national_insurance_number"),
        |t| checks::ni_number(t).is_ok(),
        "ABCDEGKNOQTVZabcdgknotz0123456789",
        &["AB123456C", "ab 12 34 56 c", "ß123456A", "ﬅ123456d", "ſA123456B", "OA123456A", "ZY123456D"],
        &[
            "QQ123456C",
            "AB123456E",
            "DA123456A",
            "AO123456A",
            "GB123456A",
            "BG123456A",
            "NK123456A",
            "NT123456A",
        ],
    );
    agree(
        &property::<cnf::Claimant>("national_insurance_number"),
        |t| checks::ni_number(t).is_ok(),
        "ABGKNTZbgkntz123456",
        &["BA123456A", "NA123456D", "TA123456B", "KA123456C", "ZA123456A", "GA123456A"],
        &["TN123456A", "KN123456A", "ZZ123456A", "NT123456A", "BG123456A", "GB123456A", "NK123456A"],
    );
}

#[test]
fn vehicle_registrations() {
    for property in
        [property::<cnf::ClaimantVehicle>("registration"), property::<cnf::Defendant>("vehicle_registration")]
    {
        agree(
            &property,
            |t| checks::vehicle_registration(t).is_ok(),
            "ABCabc0129_.",
            &["ab12 cde", "AB12CDE", " A ", "ﬃﬃﬃ", "ABCDEFGHIJKL"],
            &["AB12-CDE", "ABCDEFGHIJKLM", "   ", "", "AB\n"],
        );
    }
}

#[test]
fn case_references() {
    for property in [
        property::<cnf::Representative>("case_reference"),
        property::<AcknowledgeInput>("compensator_reference"),
        property::<DecideLiabilityInput>("compensator_reference"),
    ] {
        agree(
            &property,
            |t| checks::case_reference(t).is_ok(),
            "Aa0/._",
            &["ABC/2025/001-a.b", "  x", "-", &"A".repeat(50)],
            &["ABC_001", &"A".repeat(51), "  ", "", "\u{a0}A"],
        );
    }
}

#[test]
fn fraud_check_and_small_claims_references() {
    agree(
        &property::<cnf::ClaimSection>("fraud_check_reference"),
        |t| checks::fraud_check_reference(t).is_ok(),
        "ASKCUEPIaskcuepi0123456789",
        &["ASKCUEPI", "ASKCUEPI1234567890", "1234567890", "7"],
        &["ASKCUEPI12345678901", "12345678901", "askcuepi1", "ASKCUE1", ""],
    );
    agree(
        &property::<cnf::ClaimSection>("small_claims_reference"),
        |t| checks::small_claims_reference(t).is_ok(),
        "OIC0123456789",
        &["OIC-123-456", "OIC-7", "OIC-1--2", &format!("OIC-{}", "1".repeat(26))],
        &["OIC-", "OIC-12-", "OIC-AB", &format!("OIC-{}", "1".repeat(27))],
    );
}

#[test]
fn times_of_day() {
    agree(
        &property::<cnf::Accident>("time"),
        |t| checks::time_of_day(t).is_ok(),
        "0123456789:",
        &["00:00", "23:59", "09:30"],
        &["24:00", "7:30", "12:60", "12:5", "1230"],
    );
}

#[test]
fn telephone_numbers() {
    for property in [
        property::<cnf::Representative>("telephone"),
        property::<cnf::OtherParty>("telephone"),
        property::<CompensatorContact>("telephone"),
    ] {
        agree(
            &property,
            |t| checks::telephone(t).is_ok(),
            "0123456789 ()+.",
            &["020 7946 0000", "+44 (0)20 7946 0000", "0123456789", "+(((0123456789)))"],
            &[
                "12345",
                "020 7946 000O",
                "+",
                "1+123456789012",
                "0123456789012345",
                "0 1 2 3 4 5 6 7 8 9 0 1 2 ",
            ],
        );
    }
}

#[test]
fn firm_references_and_organisation_codes() {
    agree(
        &property::<cnf::ClaimsManagementCompany>("authorisation_number"),
        |t| checks::fca_firm_reference(t).is_ok(),
        "0123456789a",
        &["123456", "1234567"],
        &["12345", "12345678", "12345a"],
    );
    agree(
        &property::<cnf::Defendant>("compensator"),
        |t| OrganisationCode::parse(t).is_ok(),
        "CMRcm0123456789",
        &["CM00001", "CR00019"],
        &["cm00001", "CM0001", "CM000001", "C100001"],
    );
}
