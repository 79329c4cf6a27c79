//! Scenario 24 and the other CNF rules, through the API.

use claims_domain::claim_type::ClaimType;
use serde_json::json;

use crate::on_both_backends;
use crate::support::*;

fn pair(field: &str, code: &str) -> (String, String) {
    (field.to_owned(), code.to_owned())
}

on_both_backends! {
    async fn national_insurance_numbers_follow_the_allocation_rules(app) {
        let mut cnf = rta();
        cnf["claimant"]["national_insurance_number"] = json!("QQ123456C");
        let refused = app.submit("CR00001", &cnf).await.expect(422);
        assert_eq!(refused.json()["code"], "validation_failed");
        assert_eq!(refused.field_errors(), [pair("cnf.claimant.national_insurance_number", "invalid_ni_number")]);
        cnf["claimant"]["national_insurance_number"] = json!("AB123456C");
        app.submit("CR00001", &cnf).await.expect(201);
    }
}

on_both_backends! {
    async fn four_faults_are_listed_in_one_response(app) {
        let mut cnf = rta();
        cnf["accident"]["time"] = json!("24:00");
        let party = cnf["other_parties"][0].clone();
        cnf["other_parties"] = json!(vec![party; 7]);
        let hospital = cnf["injury"]["hospitals"][0].clone();
        cnf["injury"]["hospitals"] = json!(vec![hospital; 5]);
        cnf["claimant"]["date_of_birth"] = json!("2025-08-23");
        let reply = app.submit("CR00001", &cnf).await.expect(422);
        let body = reply.json();
        assert_eq!(reply.header("content-type").as_deref(), Some("application/problem+json"));
        assert_eq!(body["status"], 422);
        assert_eq!(body["instance"], "/v1/claims");
        assert_eq!(body["detail"], "4 fields are invalid");
        assert_eq!(
            reply.field_errors(),
            [
                pair("cnf.accident.time", "invalid_time"),
                pair("cnf.claimant.date_of_birth", "date_in_future"),
                pair("cnf.injury.hospitals", "too_many"),
                pair("cnf.other_parties", "too_many"),
            ]
        );
        // Validation without storing gives the same answer.
        let checked = app.post("CR00001", "/v1/claims/validate", &json!({ "cnf": cnf })).await.expect(422);
        assert_eq!(checked.field_errors(), reply.field_errors());
        let list = app.get("CR00001", "/v1/claims").await.expect(200).json();
        assert_eq!(list["items"], json!([]));
    }
}

on_both_backends! {
    async fn each_limit_is_checked_alone(app) {
        let cases: Vec<(&str, serde_json::Value, (String, String))> = vec![
            ("/accident/time", json!("23:59"), pair("", "")),
            ("/accident/time", json!("24:00"), pair("cnf.accident.time", "invalid_time")),
            ("/claimant/date_of_birth", json!("1899-12-31"), pair("cnf.claimant.date_of_birth", "date_too_early")),
            ("/claimant/first_name", json!("A".repeat(26)), pair("cnf.claimant.first_name", "too_long")),
            ("/claimant/address/postcode", json!("NOT A POSTCODE"), pair("cnf.claimant.address.postcode", "invalid_postcode")),
            ("/defendant/compensator", json!("CM09999"), pair("cnf.defendant.compensator", "unknown_compensator")),
            ("/defendant/compensator", json!("CR00002"), pair("cnf.defendant.compensator", "not_a_compensator")),
            ("/claim/statement_of_truth", json!(false), pair("cnf.claim.statement_of_truth", "must_be_true")),
            ("/claimant/bankrupt", json!(true), pair("cnf.claimant.bankrupt", "out_of_scope")),
            ("/claim/fraud_check_reference", json!("ASKCUEPI12345678901"), pair("cnf.claim.fraud_check_reference", "invalid_format")),
        ];
        for (pointer, value, expected) in cases {
            let mut cnf = rta();
            *cnf.pointer_mut(pointer).expect("pointer") = value;
            let reply = app.submit("CR00001", &cnf).await;
            if expected.0.is_empty() {
                reply.expect(201);
            } else {
                assert_eq!(reply.expect(422).field_errors(), [expected], "{pointer}");
            }
        }
    }
}

on_both_backends! {
    async fn wrongly_shaped_forms_name_the_field(app) {
        let mut cnf = example(ClaimType::ElAccident);
        cnf["claimant"]["nickname"] = json!("Al");
        let reply = app.submit("CR00001", &cnf).await.expect(422);
        assert_eq!(reply.field_errors(), [pair("cnf.claimant.nickname", "unknown_field")]);

        let mut cnf = rta();
        cnf["claimant"].as_object_mut().expect("object").remove("surname");
        assert_eq!(app.submit("CR00001", &cnf).await.expect(422).field_errors(), [pair("cnf.claimant.surname", "required")]);

        let mut cnf = rta();
        cnf["injury"]["whiplash"] = json!("very");
        let reply = app.submit("CR00001", &cnf).await.expect(422);
        assert_eq!(reply.field_errors(), [pair("cnf.injury.whiplash", "invalid_type")]);
        assert!(!String::from_utf8_lossy(&reply.body).contains("very"), "the value is not echoed");

        let mut cnf = rta();
        cnf["claim"]["type"] = json!("mib_rta");
        assert_eq!(app.submit("CR00001", &cnf).await.expect(422).field_errors(), [pair("cnf.claim.type", "invalid_value")]);
    }
}

on_both_backends! {
    /// Hostile text is stored and returned literally.
    async fn metacharacters_are_stored_literally(app) {
        let mut cnf = rta();
        let hostile = "'; DROP TABLE claims; -- <script>alert(1)</script>";
        cnf["accident"]["description"] = json!(hostile);
        cnf["liability"]["reasons"] = json!("Robert\"); DELETE FROM claims;--");
        let claim = app.submit_ok("CR00001", &cnf).await;
        let read = app.get("CR00001", &format!("/v1/claims/{}", claim["id"].as_str().expect("id"))).await.expect(200);
        assert_eq!(read.json()["cnf"]["accident"]["description"], hostile);
        assert_eq!(read.json()["cnf"]["liability"]["reasons"], "Robert\"); DELETE FROM claims;--");
    }
}
