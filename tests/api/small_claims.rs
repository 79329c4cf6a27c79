//! The small-claims track (`oic_rta`) through the API: scenarios 25 to 32 of the specification,
//! and two whole lives of a small claim with every event both parties receive.

use serde_json::{Value, json};

use crate::on_both_backends;
use crate::on_both_backends_with;
use crate::support::flow::*;
use crate::support::*;

/// The form with its accident (and the injuries' onset and first treatment) moved to `date`.
fn oic_on(date: &str) -> Value {
    let mut cnf = oic();
    cnf["accident"]["date"] = json!(date);
    cnf["injury"]["first_medical_attention_date"] = json!(date);
    for injury in cnf["small_claim"]["injuries"].as_array_mut().expect("injuries") {
        injury["onset"] = json!(date);
    }
    cnf
}

async fn decided(app: &TestApp, cnf: &Value, body: Value) -> String {
    let id = submitted(app, cnf).await;
    act(app, "CM00001", &id, "decide-liability", body).await.expect(200);
    id
}

/// Uploads a report and records it with the injuries' prognoses (`(kind, months)`).
async fn add_report(app: &TestApp, id: &str, report_date: &str, injuries: &[(&str, u32)]) -> Value {
    let attachment =
        upload(app, "CR00001", id, "report.pdf", b"%PDF-1.7 medical report").await.expect(201).json();
    let injuries: Vec<Value> =
        injuries.iter().map(|(kind, months)| json!({ "kind": kind, "prognosis_months": months })).collect();
    let body = json!({
        "attachment_id": attachment["id"],
        "report_date": report_date,
        "expert_reference": "MEDCO-118",
        "injuries": injuries,
    });
    act(app, "CR00001", id, "add-medical-report", body).await.expect(200).json()
}

fn tariff_line(stated: Option<i64>) -> Value {
    let mut line = json!({ "head": "whiplash_tariff", "evidence_attached": true });
    if let Some(pence) = stated {
        line["gross_pence"] = json!(pence);
    }
    line
}

fn allowed(claim: &Value) -> Vec<&str> {
    claim["allowed_actions"].as_array().expect("allowed").iter().filter_map(Value::as_str).collect()
}

on_both_backends! {
    /// Scenario 25: submitted Mon 2 Mar 2026, the response is due Wed 15 Apr 2026 (30 business
    /// days over Easter); passing it is a deemed admission by the system, told to both parties.
    /// Addressed to the MIB it is due Wed 29 Apr 2026 (40 business days).
    async fn scenario_25_deemed_admission(app) {
        app.set_clock("2026-03-02T10:00:00Z").await.expect(200);
        let id = submitted(&app, &oic()).await;
        let mut to_mib = oic();
        to_mib["defendant"]["compensator"] = json!("CM00003");
        let mib = app.submit_ok("CR00001", &to_mib).await;
        assert_eq!(deadline(&mib, "liability_decision")["due_date"], "2026-04-29");

        let (claim, _) = read(&app, "CR00001", &id).await;
        let due = deadline(&claim, "liability_decision");
        assert_eq!(due["due_date"], "2026-04-15");
        assert_eq!(due["due_at"], "2026-04-15T23:00:00Z");
        assert_eq!(due["on_miss"], "liability is deemed admitted and the claim moves to liability_admitted");
        // No acknowledgement step on this track.
        assert_eq!(claim["deadlines"].as_array().map(Vec::len), Some(1));
        let (as_compensator, _) = read(&app, "CM00001", &id).await;
        assert_eq!(allowed(&as_compensator), ["reassign", "decide_liability", "propose_removal", "request_erasure"]);

        app.set_clock("2026-04-15T22:59:59Z").await.expect(200);
        assert_eq!(read(&app, "CM00001", &id).await.0["status"], "submitted");
        app.set_clock("2026-04-15T23:00:01Z").await.expect(200);
        let (claim, _) = read(&app, "CR00001", &id).await;
        assert_eq!(claim["status"], "liability_admitted");
        assert_eq!(claim["liability"]["deemed"], true);
        assert_eq!(claim["liability"]["outcome"], "admitted");
        assert_eq!(deadline(&claim, "liability_decision")["status"], "missed");
        for party in ["CR00001", "CM00001"] {
            let page = app.get(party, "/v1/events?limit=500").await.expect(200).json();
            let decided = page["items"].as_array().expect("items").iter()
                .find(|e| e["claim_id"] == id.as_str() && e["type"] == "claim.liability_decided")
                .expect("the deemed admission is told").clone();
            assert_eq!(decided["actor"]["kind"], "system");
            assert_eq!(decided["data"]["deemed"], true);
            assert_eq!(decided["data"]["status"], "liability_admitted");
        }
        let history = app.get("CR00001", &format!("/v1/claims/{id}/history")).await.expect(200).json();
        let passed = history["items"].as_array().expect("items").iter()
            .rfind(|e| e["action"] == "claim.time_passed").expect("time passed").clone();
        assert_eq!(passed["actor"]["kind"], "system");
        assert_eq!(passed["detail"]["status"], "liability_admitted");
    }
}

on_both_backends! {
    /// Scenario 26: pedestrians and cyclists, a claimant under 18 on the accident date, an
    /// accident before 31 May 2021 and injury damages over £5,000 are refused, each naming its
    /// rule; a driver's claim for 31 May 2021 at exactly £5,000 is accepted. The RTA track points
    /// a small claim here, and `validate` answers as submission does.
    async fn scenario_26_scope(app) {
        for role in ["pedestrian", "cyclist"] {
            let mut cnf = oic();
            cnf["accident"]["claimant_role"] = json!(role);
            cnf["accident"].as_object_mut().expect("accident").remove("seat_belt_worn");
            let refused = app.submit("CR00001", &cnf).await.expect(422);
            assert_eq!(refused.field_errors(), [("cnf.accident.claimant_role".to_owned(), "vulnerable_road_user".to_owned())]);
        }
        let mut young = oic();
        young["claimant"]["date_of_birth"] = json!("2006-09-01");
        let refused = app.submit("CR00001", &young).await.expect(422);
        assert_eq!(refused.field_errors(), [("cnf.claimant.date_of_birth".to_owned(), "child_claimant".to_owned())]);

        let early = oic_on("2021-05-30");
        let refused = app.submit("CR00001", &early).await.expect(422);
        assert_eq!(refused.field_errors(), [("cnf.accident.date".to_owned(), "before_small_claims_track".to_owned())]);

        let mut large = oic();
        large["claim"]["injury_damages_estimate_pence"] = json!(500_001);
        large["claim"]["total_value_estimate_pence"] = json!(600_000);
        let refused = app.submit("CR00001", &large).await.expect(422);
        assert_eq!(refused.field_errors(), [(
            "cnf.claim.injury_damages_estimate_pence".to_owned(),
            "above_small_claims_limit".to_owned(),
        )]);
        assert!(refused.json()["errors"][0]["message"].as_str().is_some_and(|m| m.contains("rta")));
        let checked = app.post("CR00001", "/v1/claims/validate", &json!({ "cnf": large })).await.expect(422);
        assert_eq!(checked.field_errors(), refused.field_errors());

        // Every fault at once.
        let mut all = oic_on("2021-05-30");
        all["claimant"]["date_of_birth"] = json!("2004-01-01");
        all["accident"]["claimant_role"] = json!("cyclist");
        all["accident"].as_object_mut().expect("accident").remove("seat_belt_worn");
        all["small_claim"]["untraced_driver"] = json!(true);
        let refused = app.submit("CR00001", &all).await.expect(422);
        let codes: Vec<String> = refused.field_errors().into_iter().map(|(_, code)| code).collect();
        for code in ["before_small_claims_track", "child_claimant", "vulnerable_road_user", "out_of_scope"] {
            assert!(codes.iter().any(|c| c == code), "{code} in {codes:?}");
        }

        let mut edge = oic_on("2021-05-31");
        edge["claim"]["injury_damages_estimate_pence"] = json!(500_000);
        edge["claim"]["total_value_estimate_pence"] = json!(600_000);
        let accepted = app.submit_ok("CR00001", &edge).await;
        assert_eq!(accepted["type"], "oic_rta");
        assert_eq!(accepted["status"], "submitted");
        assert_eq!(accepted["cnf"]["small_claim"]["vehicle_costs_on_credit_pence"], 45_000);
        assert!(accepted["small_claim"]["medical_reports"].as_array().is_some_and(Vec::is_empty));

        // Credit vehicle costs do not count towards the £10,000 total.
        let mut with_credit = oic();
        with_credit["claim"]["total_value_estimate_pence"] = json!(1_040_000);
        with_credit["small_claim"]["vehicle_costs_on_credit_pence"] = json!(50_000);
        app.submit("CR00001", &with_credit).await.expect(201);

        // The RTA track sends a small claim here.
        let mut small_rta = rta();
        small_rta["claim"]["injury_damages_estimate_pence"] = json!(250_000);
        let refused = app.submit("CR00001", &small_rta).await.expect(422);
        assert_eq!(refused.field_errors(), [(
            "cnf.claim.injury_damages_estimate_pence".to_owned(),
            "small_claims_track_applies".to_owned(),
        )]);
        assert!(refused.json()["errors"][0]["message"].as_str().is_some_and(|m| m.contains("oic_rta")));
        // No fixed costs on this track.
        let costs = app.post("CR00001", "/v1/calculations/fixed-costs",
            &json!({ "type": "oic_rta", "value_band": "up_to_10000", "london_weighting": false })).await.expect(422);
        assert_eq!(costs.field_errors(), [("type".to_owned(), "no_fixed_costs".to_owned())]);
    }
}

on_both_backends! {
    /// Scenario 27: with a whiplash injury and no medical report, asking for an offer is
    /// `medical_report_required` and the compensator's offer is `pre_medical_offer`.
    async fn scenario_27_no_offer_before_medical_evidence(app) {
        let id = decided(&app, &oic(), small_decision("admitted")).await;
        let refused = act(&app, "CR00001", &id, "request-offer", json!({})).await.expect(422);
        assert_eq!(refused.json()["code"], "medical_report_required");
        let offer = json!({ "losses": [tariff_line(None)] });
        let refused = act(&app, "CM00001", &id, "make-offer", offer.clone()).await.expect(422);
        assert_eq!(refused.json()["code"], "pre_medical_offer");
        assert_eq!(read(&app, "CR00001", &id).await.0["status"], "liability_admitted");

        add_report(&app, &id, "2025-08-20", &[("whiplash", 8)]).await;
        let requested = act(&app, "CR00001", &id, "request-offer", json!({})).await.expect(200).json();
        assert_eq!(requested["status"], "offer_requested");
        act(&app, "CM00001", &id, "make-offer", offer).await.expect(200);
    }
}

on_both_backends! {
    /// Scenario 28: accident Mon 2 Jun 2025, a report of whiplash with a minor psychological
    /// injury and 8 months' prognosis: the hub values the tariff at 102500 pence; an offer saying
    /// 96500 is `tariff_mismatch`; an offer disputing the prognosis as 5 months goes, valued 59500.
    async fn scenario_28_offers_valued_by_the_tariff(app) {
        let id = decided(&app, &oic_on("2025-06-02"), small_decision("admitted")).await;
        let reported = add_report(&app, &id, "2025-08-15", &[("whiplash", 8), ("minor_psychological", 8)]).await;
        assert_eq!(reported["small_claim"]["medical_reports"][0]["injuries"][0]["prognosis_months"], 8);
        let set = act(&app, "CR00001", &id, "set-losses", json!({ "losses": [tariff_line(None)] })).await.expect(200).json();
        let line = &set["small_claim"]["losses"]["lines"][0];
        assert_eq!(line["gross_pence"], 102_500);
        assert_eq!(line["tariff_band"], "2025:more_than_6_up_to_9_months");
        act(&app, "CR00001", &id, "request-offer", json!({})).await.expect(200);

        let wrong = act(&app, "CM00001", &id, "make-offer", json!({ "losses": [tariff_line(Some(96_500))] })).await.expect(422);
        assert_eq!(wrong.field_errors(), [("losses[0].gross_pence".to_owned(), "tariff_mismatch".to_owned())]);
        let uplift = json!({ "losses": [{ "head": "whiplash_tariff", "evidence_attached": true,
            "tariff": { "prognosis_end_date": "2026-02-02", "minor_psychological_injury": true, "uplift_percent": 10 } }] });
        let refused = act(&app, "CM00001", &id, "make-offer", uplift).await.expect(422);
        assert_eq!(refused.field_errors(), [("losses[0].tariff.uplift_percent".to_owned(), "uplift_not_in_offer".to_owned())]);

        let disputed = json!({
            "losses": [tariff_line(None), { "head": "medical_expenses", "gross_pence": 10_000, "evidence_attached": true }],
            "disputed_prognosis_months": 5,
        });
        let offered = act(&app, "CM00001", &id, "make-offer", disputed).await.expect(200).json();
        assert_eq!(offered["status"], "offer_made");
        let offer = &offered["offers"][0];
        assert_eq!(offer["losses"]["lines"][0]["gross_pence"], 59_500);
        assert_eq!(offer["disputed_prognosis_months"], 5);
        assert_eq!(offer["gross_pence"], 69_500);
        // The claimant's counter-offer is valued from the report again.
        let counter = json!({ "losses": [tariff_line(Some(102_500))], "gross_pence": 102_500 });
        let countered = act(&app, "CR00001", &id, "counter-offer", counter).await.expect(200).json();
        assert_eq!(countered["status"], "counter_offer_made");
        assert_eq!(countered["offers"][1]["losses"]["lines"][0]["gross_pence"], 102_500);
    }
}

on_both_backends! {
    /// Scenario 29: an offer asked for on Mon 1 Jun 2026 is due Mon 29 Jun 2026; one made on
    /// Mon 15 Jun 2026 is answered by Mon 13 Jul 2026. Missing either is reported and leaves the
    /// claim open, with `exit_to_court` open to the claimant.
    async fn scenario_29_offer_periods(app) {
        app.set_clock("2026-05-01T09:00:00Z").await.expect(200);
        let mut ids = Vec::new();
        for _ in 0..2 {
            let id = decided(&app, &oic(), small_decision("admitted")).await;
            add_report(&app, &id, "2026-04-20", &[("whiplash", 6)]).await;
            ids.push(id);
        }
        app.set_clock("2026-06-01T09:00:00Z").await.expect(200);
        for id in &ids {
            let requested = act(&app, "CR00001", id, "request-offer", json!({})).await.expect(200).json();
            assert_eq!(open_due(&requested, "offer"), "2026-06-29");
        }
        app.set_clock("2026-06-15T09:00:00Z").await.expect(200);
        let offered = act(&app, "CM00001", &ids[1], "make-offer", json!({ "losses": [tariff_line(None)] })).await.expect(200).json();
        assert_eq!(open_due(&offered, "offer_answer"), "2026-07-13");
        assert_eq!(deadline(&offered, "offer")["status"], "met");

        app.set_clock("2026-06-29T23:00:01Z").await.expect(200);
        let (late, _) = read(&app, "CR00001", &ids[0]).await;
        assert_eq!(late["status"], "offer_requested");
        assert_eq!(deadline(&late, "offer")["status"], "missed");
        assert!(allowed(&late).contains(&"exit_to_court"));
        assert!(event_types(&app, "CR00001", &ids[0]).await.contains(&"claim.deadline_missed".to_owned()));

        app.set_clock("2026-07-13T23:00:01Z").await.expect(200);
        let (unanswered, _) = read(&app, "CR00001", &ids[1]).await;
        assert_eq!(unanswered["status"], "offer_made");
        assert_eq!(deadline(&unanswered, "offer_answer")["status"], "missed");
        assert!(allowed(&unanswered).contains(&"exit_to_court"));
        let to_court = act(&app, "CR00001", &ids[1], "exit-to-court", json!({ "route": "quantum" })).await.expect(200).json();
        assert_eq!(to_court["status"], "exited");
        assert_eq!(to_court["exit"]["reason"], "court_quantum");
        assert_eq!(to_court["small_claim"]["court"][0]["route"], "quantum");
    }
}

on_both_backends! {
    /// Scenario 30: before the liability decision the compensator reassigns the claim to any
    /// compensator, outside its group too; after the decision `reassign` is a `409`.
    async fn scenario_30_reassignment_before_liability_only(app) {
        let id = submitted(&app, &oic()).await;
        let moved = act(&app, "CM00001", &id, "reassign", json!({ "to": "CM00004" })).await.expect(200).json();
        assert_eq!(moved["compensator"]["code"], "CM00004");
        assert_eq!(moved["status"], "submitted");
        app.get("CM00001", &format!("/v1/claims/{id}")).await.expect(404);
        act(&app, "CM00004", &id, "decide-liability", small_decision("admitted")).await.expect(200);
        let refused = act(&app, "CM00004", &id, "reassign", json!({ "to": "CM00001" })).await.expect(409);
        assert_eq!(refused.json()["code"], "not_allowed_in_status");
        assert_eq!(refused.json()["current_status"], "liability_admitted");
    }
}

on_both_backends! {
    /// Scenario 31: a removal proposed on Tue 1 Dec 2026 may be objected to until Tue 15 Dec 2026;
    /// unopposed, the claim is withdrawn once the clock passes 2026-12-16T00:00:00Z. An objection
    /// keeps the claim.
    async fn scenario_31_removal(app) {
        app.set_clock("2026-12-01T10:00:00Z").await.expect(200);
        let unopposed = submitted(&app, &oic()).await;
        let opposed = submitted(&app, &oic()).await;
        for id in [&unopposed, &opposed] {
            let proposed = act(&app, "CM00001", id, "propose-removal", json!({ "reason": "not_pursued" })).await.expect(200).json();
            assert_eq!(open_due(&proposed, "removal_objection"), "2026-12-15");
            assert_eq!(proposed["small_claim"]["removal"]["reason"], "not_pursued");
        }
        let (as_claimant, _) = read(&app, "CR00001", &opposed).await;
        assert!(allowed(&as_claimant).contains(&"object_to_removal"));
        act(&app, "CR00001", &opposed, "object-to-removal", json!({})).await.expect(200);

        app.set_clock("2026-12-15T23:59:59Z").await.expect(200);
        assert_eq!(read(&app, "CR00001", &unopposed).await.0["status"], "submitted");
        app.set_clock("2026-12-16T00:00:01Z").await.expect(200);
        let (gone, _) = read(&app, "CM00001", &unopposed).await;
        assert_eq!(gone["status"], "withdrawn");
        assert_eq!(read(&app, "CR00001", &opposed).await.0["status"], "submitted");
        let told = event_types(&app, "CM00001", &unopposed).await;
        assert_eq!(told, [
            "claim.submitted",
            "claim.removal_proposed",
            "claim.deadline_approaching",
            "claim.deadline_missed",
            "claim.withdrawn",
        ]);
    }
}

on_both_backends! {
    /// Scenario 32: liability denied; the claimant goes to court on `liability_denied`; the court
    /// finds liability with 20% contributory negligence and the claim resumes in
    /// `liability_admitted` with the 20% recorded, ready for the medical stage. Then it settles.
    async fn scenario_32_to_court_and_back(app) {
        let mut denial = small_decision("denied");
        denial["version_of_events"] = json!("Our insured was stationary; the claimant reversed into them.");
        let id = submitted(&app, &oic()).await;
        app.get("CR00001", &format!("/v1/claims/{id}/documents/court_pack")).await.expect(404);
        let mut unsigned = denial.clone();
        unsigned.as_object_mut().expect("object").remove("version_of_events");
        let refused = act(&app, "CM00001", &id, "decide-liability", unsigned).await.expect(422);
        let faults = refused.field_errors();
        assert!(faults.contains(&("version_of_events".to_owned(), "required".to_owned())), "{faults:?}");
        assert!(faults.contains(&("statement_of_truth".to_owned(), "must_be_true".to_owned())), "{faults:?}");
        denial["statement_of_truth"] = json!(true);
        let denied = act(&app, "CM00001", &id, "decide-liability", denial).await.expect(200).json();
        assert_eq!(denied["status"], "liability_denied");
        assert_eq!(denied["liability"]["outcome"], "denied");

        let (as_claimant, _) = read(&app, "CR00001", &id).await;
        assert_eq!(allowed(&as_claimant), ["withdraw", "offer_transfer", "accept_liability_decision", "exit_to_court", "request_erasure"]);
        let wrong = act(&app, "CR00001", &id, "exit-to-court", json!({ "route": "quantum" })).await.expect(422);
        assert_eq!(wrong.json()["code"], "route_not_available");
        let in_court = act(&app, "CR00001", &id, "exit-to-court", json!({ "route": "liability_denied" })).await.expect(200).json();
        assert_eq!(in_court["status"], "exited");
        assert_eq!(in_court["exit"]["reason"], "court_liability");
        assert_eq!(allowed(&in_court), ["resume_after_court", "request_erasure"]);
        let pack = app.get("CR00001", &format!("/v1/claims/{id}/documents/court_pack")).await.expect(200);
        let text = pdf_text(&pack.body);
        assert!(text.contains("liability_denied") && text.contains("Medical evidence"), "{text}");
        assert!(text.contains("the claimant reversed"), "the compensator's version of events: {text}");
        let form = pdf_text(&app.get("CM00001", &format!("/v1/claims/{id}/documents/cnf")).await.expect(200).body);
        assert!(form.contains("small claims track") && form.contains("Ford Focus (AB12CDE)") && form.contains("whiplash"), "{form}");

        let resumed = act(&app, "CR00001", &id, "resume-after-court",
            json!({ "liability_established": true, "contributory_negligence_percent": 20 })).await.expect(200).json();
        assert_eq!(resumed["status"], "liability_admitted");
        assert_eq!(resumed["exit"], Value::Null);
        assert_eq!(resumed["small_claim"]["court"][0]["finding"]["contributory_negligence_percent"], 20);
        assert_eq!(resumed["liability"]["contributory_negligence"]["percent"], 20);
        assert!(allowed(&resumed).contains(&"add_medical_report"));
        assert!(!allowed(&resumed).contains(&"exit_to_court"));

        add_report(&app, &id, "2025-08-20", &[("whiplash", 4)]).await;
        act(&app, "CR00001", &id, "request-offer", json!({})).await.expect(200);
        act(&app, "CM00001", &id, "make-offer", json!({ "losses": [tariff_line(None)] })).await.expect(200);
        let settled = act(&app, "CR00001", &id, "accept-offer", json!({})).await.expect(200).json();
        assert_eq!(settled["status"], "settled");
        act(&app, "CM00001", &id, "record-payment",
            json!({ "kind": "settlement", "amount_pence": 49_500, "paid_on": "2025-08-22" })).await.expect(200);
        let closed = act(&app, "CR00001", &id, "confirm-settlement-received", json!({})).await.expect(200).json();
        assert_eq!(closed["status"], "closed");
        assert_eq!(closed["outcome"], "settled");

        let expected = [
            "claim.submitted", "claim.liability_decided", "claim.exited", "claim.resumed_after_court",
            "claim.attachment_added", "claim.medical_report_added", "claim.offer_requested", "claim.offer_made",
            "claim.settled", "claim.payment_recorded", "claim.closed",
        ];
        assert_eq!(event_types(&app, "CR00001", &id).await, expected);
        assert_eq!(event_types(&app, "CM00001", &id).await, expected);
    }
}

on_both_backends_with! { keeping_events;
    /// A whole small claim: a deemed admission, a medical report, an offer, a counter-offer the
    /// compensator accepts, payment and confirmation, to `closed` / `settled`, with every event
    /// both parties receive. A court finding of no liability closes a claim as `court_dismissed`.
    async fn a_small_claim_from_deemed_admission_to_settlement(app) {
        let id = submitted(&app, &oic_on("2025-06-02")).await;
        app.set_clock("2025-10-07T09:00:00Z").await.expect(200);
        let (claim, _) = read(&app, "CR00001", &id).await;
        assert_eq!(claim["status"], "liability_admitted");
        assert_eq!(
            allowed(&claim),
            ["withdraw", "request_interim_payment", "offer_transfer", "add_medical_report", "set_losses", "request_offer", "request_erasure"]
        );

        add_report(&app, &id, "2025-10-01", &[("whiplash", 8), ("minor_psychological", 8)]).await;
        act(&app, "CR00001", &id, "request-offer", json!({})).await.expect(200);
        let offer = json!({ "losses": [tariff_line(Some(102_500)), { "head": "fares", "gross_pence": 4_000, "evidence_attached": true }] });
        let offered = act(&app, "CM00001", &id, "make-offer", offer).await.expect(200).json();
        assert_eq!(offered["offers"][0]["gross_pence"], 106_500);
        let counter = json!({ "losses": [tariff_line(None), { "head": "fares", "gross_pence": 6_000, "evidence_attached": true }], "gross_pence": 108_500 });
        act(&app, "CR00001", &id, "counter-offer", counter).await.expect(200);
        let (as_compensator, _) = read(&app, "CM00001", &id).await;
        assert_eq!(allowed(&as_compensator), ["accept_offer", "make_offer", "propose_removal", "request_erasure"]);
        let settled = act(&app, "CM00001", &id, "accept-offer", json!({})).await.expect(200).json();
        assert_eq!(settled["status"], "settled");
        assert_eq!(settled["settlement"]["sums"]["damages_pence"], 108_500);
        assert_eq!(settled["settlement"]["sums"]["total_pence"], 108_500);
        assert_eq!(settled["settlement"]["payment_due_date"], open_due(&settled, "settlement_payment"));
        let stage1 = act(&app, "CM00001", &id, "record-payment",
            json!({ "kind": "stage1_costs", "amount_pence": 20_000, "paid_on": "2025-10-07" })).await.expect(422);
        assert_eq!(stage1.field_errors(), [("kind".to_owned(), "not_for_track".to_owned())]);
        act(&app, "CM00001", &id, "record-payment",
            json!({ "kind": "settlement", "amount_pence": 108_500, "paid_on": "2025-10-07" })).await.expect(200);
        let closed = act(&app, "CR00001", &id, "confirm-settlement-received", json!({})).await.expect(200).json();
        assert_eq!(closed["status"], "closed");
        assert_eq!(closed["outcome"], "settled");
        assert_eq!(closed["allowed_actions"], json!(["request_erasure"]));

        let expected = [
            // Nobody acted for the 45 days before the deemed admission: the claim went dormant.
            "claim.submitted", "claim.deadline_missed", "claim.dormant", "claim.liability_decided", "claim.attachment_added",
            "claim.medical_report_added", "claim.offer_requested", "claim.offer_made", "claim.offer_made",
            "claim.settled", "claim.payment_recorded", "claim.closed",
        ];
        assert_eq!(event_types(&app, "CR00001", &id).await, expected);
        assert_eq!(event_types(&app, "CM00001", &id).await, expected);

        let mut in_part = small_decision("admitted_in_part");
        in_part["contributory_negligence"] = json!({ "percent": 25, "seat_belt_only": false });
        let disputed = decided(&app, &oic(), in_part).await;
        act(&app, "CR00001", &disputed, "exit-to-court", json!({ "route": "liability_admitted_in_part" })).await.expect(200);
        let dismissed = act(&app, "CR00001", &disputed, "resume-after-court", json!({ "liability_established": false })).await.expect(200).json();
        assert_eq!(dismissed["status"], "closed");
        assert_eq!(dismissed["outcome"], "court_dismissed");

        let accepted = decided(&app, &oic(), small_decision("admitted_causation_disputed")).await;
        let agreed = act(&app, "CR00001", &accepted, "accept-liability-decision", json!({})).await.expect(200).json();
        assert_eq!(agreed["status"], "liability_admitted");
        assert!(!allowed(&agreed).contains(&"exit_to_court"));
        // The portal's outcomes are not this track's.
        let other = submitted(&app, &oic()).await;
        let refused = act(&app, "CM00001", &other, "decide-liability", small_decision("not_admitted")).await.expect(422);
        assert_eq!(refused.field_errors(), [("outcome".to_owned(), "outcome_not_for_track".to_owned())]);
    }
}

/// The ids of the compensator's small claims that are (or are not) dormant.
async fn dormant_list(app: &TestApp, flag: bool) -> Vec<String> {
    let page =
        app.get("CM00001", &format!("/v1/claims?type=oic_rta&dormant={flag}")).await.expect(200).json();
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect()
}

on_both_backends_with! { keeping_events;
    /// A small claim nobody acts on for 30 calendar days is dormant: both parties are told once,
    /// lists filter on it, and the next action ends it.
    async fn dormant_claims(app) {
        let quiet = decided(&app, &oic(), small_decision("admitted")).await;
        let busy = decided(&app, &oic(), small_decision("admitted")).await;
        // Decided on Fri 22 Aug 2025: dormant from the start of Mon 22 Sep 2025 in England.
        app.set_clock("2025-09-10T09:00:00Z").await.expect(200);
        act(&app, "CR00001", &busy, "set-losses", json!({ "losses": losses(&[("fares", 2_000)]) })).await.expect(200);
        app.set_clock("2025-09-21T22:59:59Z").await.expect(200);
        assert_eq!(read(&app, "CM00001", &quiet).await.0["small_claim"]["dormant_since"], Value::Null);
        assert!(dormant_list(&app, true).await.is_empty());

        app.set_clock("2025-09-21T23:00:01Z").await.expect(200);
        let (claim, _) = read(&app, "CR00001", &quiet).await;
        let since = claim["small_claim"]["dormant_since"].as_str().expect("dormant");
        assert!(since.starts_with("2025-09-21T23:00:01"), "{since}");
        assert_eq!(dormant_list(&app, true).await, std::slice::from_ref(&quiet));
        assert!(dormant_list(&app, false).await.contains(&busy));
        app.set_clock("2025-11-30T09:00:00Z").await.expect(200);
        for party in ["CR00001", "CM00001"] {
            let told = event_types(&app, party, &quiet).await;
            assert_eq!(told.iter().filter(|t| *t == "claim.dormant").count(), 1, "{party}: {told:?}");
        }
        // The busy claim went quiet later (from its set-losses on 10 Sep).
        assert_eq!(dormant_list(&app, true).await.len(), 2);

        act(&app, "CR00001", &quiet, "set-losses", json!({ "losses": losses(&[("fares", 2_000)]) })).await.expect(200);
        let (claim, _) = read(&app, "CR00001", &quiet).await;
        assert_eq!(claim["small_claim"]["dormant_since"], Value::Null);
        assert_eq!(dormant_list(&app, true).await, [busy]);
    }
}

on_both_backends! {
    /// Interim payments on a small claim: after an admission, with a medical report on the claim;
    /// a refused request opens the court route `interim_payment`.
    async fn interim_payments_on_a_small_claim(app) {
        let id = decided(&app, &oic(), small_decision("admitted")).await;
        let request = json!({ "amount_pence": 100_000, "medical_report_reference": "MR-1",
            "losses": losses(&[("medical_expenses", 100_000)]) });
        let refused = act(&app, "CR00001", &id, "request-interim-payment", request.clone()).await.expect(422);
        assert_eq!(refused.json()["code"], "medical_report_required");
        add_report(&app, &id, "2025-08-20", &[("whiplash", 6)]).await;
        let requested = act(&app, "CR00001", &id, "request-interim-payment", request).await.expect(200).json();
        assert_eq!(open_due(&requested, "interim_payment"), "2025-09-08");
        let answered = act(&app, "CM00001", &id, "respond-interim-payment",
            json!({ "response": "refused", "reasons": "The report does not support the expenses." })).await.expect(200).json();
        assert_eq!(answered["interim_payments"][0]["status"], "refused");
        let (claim, _) = read(&app, "CR00001", &id).await;
        assert!(allowed(&claim).contains(&"exit_to_court"));
        let to_court = act(&app, "CR00001", &id, "exit-to-court", json!({ "route": "interim_payment" })).await.expect(200).json();
        assert_eq!(to_court["exit"]["reason"], "court_quantum");
    }
}

/// The hub's default periods give way to configured ones: with a 10-day offer period, an offer
/// asked for on Fri 22 Aug 2025 is due Mon 8 Sep 2025 (Mon 25 Aug is a bank holiday).
async fn configured_periods(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, |settings| {
        settings.small_claims_offer_days = Some(10);
        settings.small_claims_removal_objection_days = Some(5);
    })
    .await
    else {
        return;
    };
    let id = decided(&app, &oic(), small_decision("admitted")).await;
    add_report(&app, &id, "2025-08-20", &[("whiplash", 6)]).await;
    let requested = act(&app, "CR00001", &id, "request-offer", json!({})).await.expect(200).json();
    assert_eq!(open_due(&requested, "offer"), "2025-09-08");
    let proposed = act(&app, "CM00001", &id, "propose-removal", json!({ "reason": "duplicate" }))
        .await
        .expect(200)
        .json();
    assert_eq!(open_due(&proposed, "removal_objection"), "2025-09-01");
    // Unconfigured periods keep the hub's default.
    let offered = act(&app, "CM00001", &id, "make-offer", json!({ "losses": [tariff_line(None)] }))
        .await
        .expect(200)
        .json();
    assert_eq!(open_due(&offered, "offer_answer"), "2025-09-22");
}

#[actix_web::test]
async fn configured_periods_sqlite() {
    configured_periods(Backend::Sqlite).await;
}

#[actix_web::test]
async fn configured_periods_postgres() {
    configured_periods(Backend::Postgres).await;
}
