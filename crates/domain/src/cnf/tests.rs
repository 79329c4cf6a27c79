use chrono::NaiveDate;

use super::*;
use crate::ids::OrganisationCode;
use crate::organisation::{CompensatorType, Organisation, OrganisationKind};

fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn insurer(code: &str) -> Organisation {
    Organisation {
        code: OrganisationCode::parse(code).expect("code"),
        kind: OrganisationKind::Compensator,
        name: "Example Insurance".to_owned(),
        compensator_type: Some(CompensatorType::Insurer),
        group: Some("example".to_owned()),
    }
}

fn context() -> ValidationContext {
    ValidationContext { today: date("2025-08-22"), compensator: Some(insurer("CM00001")) }
}

fn errors_of(cnf: Cnf) -> Vec<(String, String)> {
    match validate(cnf, &context(), "cnf") {
        Ok(_) => Vec::new(),
        Err(errors) => errors.into_sorted().into_iter().map(|e| (e.field, e.code)).collect(),
    }
}

fn pair(field: &str, code: &str) -> (String, String) {
    (field.to_owned(), code.to_owned())
}

#[test]
fn every_example_is_valid() {
    for claim_type in ClaimType::ALL {
        let cnf = examples::for_type(*claim_type);
        assert_eq!(errors_of(cnf), Vec::new(), "{claim_type}");
    }
}

#[test]
fn ni_numbers_with_a_forbidden_prefix_are_refused() {
    let mut cnf = examples::rta();
    cnf.claimant.national_insurance_number = Some("QQ123456C".to_owned());
    assert_eq!(errors_of(cnf), [pair("cnf.claimant.national_insurance_number", "invalid_ni_number")]);
}

#[test]
fn four_faults_are_reported_together() {
    let mut cnf = examples::rta();
    let accident = cnf.accident.as_mut().expect("rta has an accident");
    accident.time = "24:00".to_owned();
    cnf.claimant.date_of_birth = date("2025-08-23");
    cnf.other_parties = vec![cnf.other_parties[0].clone(); 7];
    cnf.injury.hospitals = vec![cnf.injury.hospitals[0].clone(); 5];
    let errors = errors_of(cnf);
    for expected in [
        pair("cnf.accident.time", "invalid_time"),
        pair("cnf.claimant.date_of_birth", "date_in_future"),
        pair("cnf.injury.hospitals", "too_many"),
        pair("cnf.other_parties", "too_many"),
    ] {
        assert!(errors.contains(&expected), "{expected:?} missing from {errors:?}");
    }
}

#[test]
fn nested_list_items_are_named_by_index() {
    let mut cnf = examples::rta();
    cnf.injury.hospitals[0].name = " ".to_owned();
    assert_eq!(errors_of(cnf), [pair("cnf.injury.hospitals[0].name", "required")]);
}

#[test]
fn rta_needs_its_own_fields_and_others_may_not_have_them() {
    let mut rta = examples::rta();
    rta.claim.fraud_check_reference = None;
    rta.defendant.vehicle_registration = None;
    assert_eq!(
        errors_of(rta),
        [
            pair("cnf.claim.fraud_check_reference", "required"),
            pair("cnf.defendant.vehicle_registration", "required")
        ]
    );

    let mut pl = examples::pl();
    pl.vehicle_damage = examples::rta().vehicle_damage;
    pl.disease = examples::el_disease().disease;
    assert_eq!(
        errors_of(pl),
        [pair("cnf.disease", "not_applicable"), pair("cnf.vehicle_damage", "not_applicable")]
    );

    let mut disease = examples::el_disease();
    disease.accident = examples::pl().accident;
    disease.disease = None;
    assert_eq!(errors_of(disease), [pair("cnf.accident", "not_applicable"), pair("cnf.disease", "required")]);
}

#[test]
fn claims_outside_the_protocols_are_refused() {
    let mut cnf = examples::rta();
    cnf.claimant.bankrupt = true;
    cnf.claimant.protected_party = true;
    cnf.defendant.vehicle_registered_outside_uk = Some(true);
    assert_eq!(
        errors_of(cnf),
        [
            pair("cnf.claimant.bankrupt", "out_of_scope"),
            pair("cnf.claimant.protected_party", "out_of_scope"),
            pair("cnf.defendant.vehicle_registered_outside_uk", "out_of_scope"),
        ]
    );
}

#[test]
fn small_road_traffic_injuries_belong_to_the_small_claims_track() {
    let mut cnf = examples::rta();
    cnf.claim.injury_damages_estimate_pence = 500_000;
    assert_eq!(
        errors_of(cnf),
        [pair("cnf.claim.injury_damages_estimate_pence", "small_claims_track_applies")]
    );

    // A cyclist's limit stays at £1,000.
    let mut cyclist = examples::rta();
    cyclist.claim.injury_damages_estimate_pence = 150_000;
    let accident = cyclist.accident.as_mut().expect("accident");
    accident.claimant_role = Some(ClaimantRole::Cyclist);
    accident.seat_belt_worn = None;
    assert_eq!(errors_of(cyclist), Vec::new());
}

#[test]
fn value_above_the_limit_or_in_the_wrong_band_is_refused() {
    let mut cnf = examples::el_accident();
    cnf.claim.total_value_estimate_pence = 2_600_000;
    assert_eq!(
        errors_of(cnf),
        [
            pair("cnf.claim.total_value_estimate_pence", "above_protocol_limit"),
            pair("cnf.claim.value_band", "inconsistent_value_band"),
        ]
    );
}

#[test]
fn the_compensator_must_exist_and_be_a_compensator() {
    let unknown = ValidationContext { compensator: None, ..context() };
    let errors = validate(examples::rta(), &unknown, "cnf").expect_err("unknown compensator");
    assert_eq!(errors.iter().map(|e| e.code.as_str()).collect::<Vec<_>>(), ["unknown_compensator"]);

    let mut representative = insurer("CM00001");
    representative.kind = OrganisationKind::ClaimantRepresentative;
    let wrong_kind = ValidationContext { compensator: Some(representative), ..context() };
    let errors = validate(examples::rta(), &wrong_kind, "cnf").expect_err("not a compensator");
    assert_eq!(errors.iter().map(|e| e.code.as_str()).collect::<Vec<_>>(), ["not_a_compensator"]);
}

#[test]
fn accepted_forms_are_stored_in_canonical_spelling() {
    let mut cnf = examples::rta();
    cnf.claimant.national_insurance_number = Some("ab 12 34 56 c".to_owned());
    cnf.claimant.address.postcode = "ls14ap".to_owned();
    let valid = validate(cnf, &context(), "cnf").expect("valid");
    assert_eq!(valid.cnf.claimant.national_insurance_number.as_deref(), Some("AB123456C"));
    assert_eq!(valid.cnf.claimant.address.postcode, "LS1 4AP");
    assert_eq!(valid.cnf.defendant.vehicle_registration.as_deref(), Some("YX19ABC"));
    assert!(!valid.child);
}

#[test]
fn a_claimant_under_eighteen_on_the_notification_date_is_a_child() {
    let mut cnf = examples::pl();
    cnf.claimant.date_of_birth = date("2010-01-01");
    let valid = validate(cnf, &context(), "cnf").expect("valid");
    assert!(valid.child);
}

#[test]
fn unknown_fields_are_refused_when_reading_the_form() {
    let mut json = serde_json::to_value(examples::rta()).expect("serialise");
    json["claimant"]["nickname"] = serde_json::json!("Al");
    let error = serde_json::from_value::<Cnf>(json).expect_err("unknown field");
    assert!(error.to_string().contains("unknown field `nickname`"), "{error}");
}
