//! Stages 2 and 3 through the API: scenarios 10 to 17, and whole claim lives to closure.

use serde_json::{Value, json};

use crate::support::flow::*;
use crate::support::*;

/// Runs a body on both backends, starting the sandbox clock at `clock`.
macro_rules! on_both_backends_at {
    ($clock:literal, $(#[$meta:meta])* async fn $name:ident($app:ident) $body:block) => {
        on_both_backends_at! { $clock with |_| {}, $(#[$meta])* async fn $name($app) $body }
    };
    ($clock:literal with $adjust:expr, $(#[$meta:meta])* async fn $name:ident($app:ident) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($app: TestApp) $body

            #[actix_web::test]
            async fn sqlite() {
                if let Some(app) = TestApp::spawn_at_with(Backend::Sqlite, $clock, $adjust).await {
                    body(app).await;
                }
            }

            #[actix_web::test]
            async fn postgres() {
                if let Some(app) = TestApp::spawn_at_with(Backend::Postgres, $clock, $adjust).await {
                    body(app).await;
                }
            }
        }
    };
}

fn interim(amount: i64) -> Value {
    json!({ "amount_pence": amount, "medical_report_reference": "MR-1", "losses": losses(&[("vehicle_repair", amount)]) })
}

on_both_backends_at! { "2025-05-29T09:00:00Z",
    /// Scenarios 10 and 11: interim payment periods, and the once-only extension.
    async fn scenarios_10_and_11_interim_payments(app) {
        let small = admitted(&app, &rta()).await;
        let large = admitted(&app, &rta()).await;
        app.set_clock("2025-05-30T10:00:00Z").await.expect(200);

        let requested = act(&app, "CR00001", &small, "request-interim-payment", interim(100_000)).await.expect(200).json();
        assert_eq!(open_due(&requested, "interim_payment"), "2025-06-13");
        assert_eq!(requested["interim_payments"][0]["status"], "requested");
        let refused = act(&app, "CM00001", &small, "extend-interim-deadline", json!({})).await.expect(409);
        assert_eq!(refused.json()["code"], "interim_not_extendable");

        let requested = act(&app, "CR00001", &large, "request-interim-payment", interim(250_000)).await.expect(200).json();
        assert_eq!(open_due(&requested, "interim_payment"), "2025-06-20");
        let extended = act(&app, "CM00001", &large, "extend-interim-deadline", json!({})).await.expect(200).json();
        assert_eq!(open_due(&extended, "interim_payment"), "2025-07-11");
        act(&app, "CM00001", &large, "extend-interim-deadline", json!({})).await.expect(409);
        let second = act(&app, "CR00001", &large, "request-interim-payment", interim(150_000)).await.expect(409);
        assert_eq!(second.json()["code"], "interim_request_open");

        let below = admitted(&app, &rta()).await;
        let refused = act(&app, "CR00001", &below, "request-interim-payment", interim(99_999)).await.expect(422);
        assert_eq!(refused.json()["code"], "below_interim_minimum");
        assert_eq!(event_types(&app, "CM00001", &large).await.last().map(String::as_str), Some("claim.deadline_changed"));
    }
}

on_both_backends_at! { "2026-03-02T09:00:00Z",
    /// Scenarios 12 and 13: the consideration periods, a late offer and its further period.
    async fn scenarios_12_and_13_consideration_periods(app) {
        let lapsing = admitted(&app, &rta()).await;
        let accepting = admitted(&app, &rta()).await;
        app.set_clock("2026-03-20T10:00:00Z").await.expect(200);
        for id in [&lapsing, &accepting] {
            let sent = act(&app, "CR00001", id, "send-settlement-pack", pack(&[("general_damages", 600_000), ("vehicle_repair", 300_000)])).await.expect(200).json();
            assert_eq!(sent["status"], "settlement_pack_sent");
            assert_eq!(open_due(&sent, "initial_consideration"), "2026-04-14");
            assert_eq!(open_due(&sent, "total_consideration"), "2026-05-13");
            assert_eq!(open_due(&sent, "stage1_costs"), "2026-04-07");
            assert_eq!(sent["offers"][0]["gross_pence"], 900_000);
            assert_eq!(sent["offers"][0]["losses"]["totals"]["after_deductions_pence"], 900_000);
            let answer = json!({ "response": "counter_offer", "counter_offer": offer(700_000) });
            let negotiating = act(&app, "CM00001", id, "respond-settlement-pack", answer).await.expect(200).json();
            assert_eq!(negotiating["status"], "negotiating");
        }
        app.set_clock("2026-05-07T10:00:00Z").await.expect(200);
        for id in [&lapsing, &accepting] {
            let late = act(&app, "CR00001", id, "counter-offer", offer(820_000)).await.expect(200).json();
            assert_eq!(open_due(&late, "further_consideration"), "2026-05-20");
            assert_eq!(late["offers"][2]["late"], true);
        }
        let blocked = act(&app, "CM00001", &lapsing, "counter-offer", offer(800_000)).await.expect(409);
        assert_eq!(blocked.json()["allowed_actions"], json!(["allege_fraud", "exit", "accept_offer", "record_payment", "request_erasure"]));
        act(&app, "CM00001", &lapsing, "extend-consideration-period", json!({ "to": "2026-06-01", "agreed_with": "Sam" })).await.expect(409);
        let settled = act(&app, "CM00001", &accepting, "accept-offer", json!({})).await.expect(200).json();
        assert_eq!(settled["status"], "settled");

        app.set_clock("2026-05-20T22:59:59Z").await.expect(200);
        assert_eq!(read(&app, "CR00001", &lapsing).await.0["status"], "negotiating");
        app.set_clock("2026-05-20T23:00:01Z").await.expect(200);
        let (lapsed, _) = read(&app, "CR00001", &lapsing).await;
        assert_eq!(lapsed["status"], "no_agreement");
        assert_eq!(lapsed["allowed_actions"], json!(["exit", "withdraw", "record_payment", "send_court_pack", "offer_transfer", "request_erasure"]));
        assert!(event_types(&app, "CM00001", &lapsing).await.contains(&"claim.no_agreement".to_owned()));
    }
}

on_both_backends_at! { "2026-03-02T09:00:00Z" with keeping_events,
    /// Scenario 14 as one claim's whole life: submission, liability, an interim payment, the
    /// settlement pack, a counter-offer, settlement, payment and closure; both parties are told
    /// of every step in the same order.
    async fn scenario_14_a_claim_settled_and_paid(app) {
        let id = admitted(&app, &rta()).await;
        let requested = act(&app, "CR00001", &id, "request-interim-payment", interim(100_000)).await.expect(200).json();
        assert_eq!(requested["allowed_actions"], json!(["exit", "withdraw", "offer_transfer", "request_erasure"]), "one interim request at a time, and no pack meanwhile");
        act(&app, "CM00001", &id, "respond-interim-payment", json!({ "response": "paid_in_full" })).await.expect(200);
        act(&app, "CR00001", &id, "confirm-interim-received", json!({})).await.expect(200);

        app.set_clock("2026-03-20T10:00:00Z").await.expect(200);
        let sent = act(&app, "CR00001", &id, "send-settlement-pack", pack(&[("general_damages", 700_000), ("vehicle_repair", 250_000)])).await.expect(200).json();
        assert_eq!(sent["offers"][0]["losses"]["totals"]["interim_payments_pence"], 100_000);
        assert_eq!(sent["offers"][0]["losses"]["totals"]["after_interim_payments_pence"], 850_000);

        app.set_clock("2026-04-10T10:00:00Z").await.expect(200);
        let answer = json!({ "response": "counter_offer", "counter_offer": offer(840_000) });
        act(&app, "CM00001", &id, "respond-settlement-pack", answer).await.expect(200);
        app.set_clock("2026-04-30T10:00:00Z").await.expect(200);
        let settled = act(&app, "CR00001", &id, "accept-offer", json!({})).await.expect(200).json();
        let settlement = &settled["settlement"];
        assert_eq!(settlement["sums"]["agreed_gross_pence"], 840_000);
        assert_eq!(settlement["sums"]["interim_payments_pence"], 100_000);
        assert_eq!(settlement["sums"]["cru_deduction_pence"], 0);
        assert_eq!(settlement["sums"]["damages_pence"], 740_000);
        assert_eq!(settlement["sums"]["stage2_costs_pence"], 30_000);
        assert_eq!(settlement["sums"]["stage1_costs_pence"], 20_000);
        assert_eq!(settlement["payment_due_date"], "2026-05-15");
        assert_eq!(settlement["requires_court_approval"], false);
        assert_eq!(open_due(&settled, "settlement_payment"), "2026-05-15");

        let early = act(&app, "CM00001", &id, "record-payment", json!({ "kind": "settlement", "amount_pence": 790_000, "paid_on": "2026-05-01" })).await.expect(422);
        assert_eq!(early.field_errors(), [("paid_on".to_owned(), "date_in_future".to_owned())]);
        app.set_clock("2026-05-12T10:00:00Z").await.expect(200);
        act(&app, "CM00001", &id, "record-payment", json!({ "kind": "settlement", "amount_pence": 790_000, "paid_on": "2026-05-12" })).await.expect(200);
        let closed = act(&app, "CR00001", &id, "confirm-settlement-received", json!({})).await.expect(200).json();
        assert_eq!((closed["status"].clone(), closed["outcome"].clone()), (json!("closed"), json!("settled")));
        assert_eq!(closed["allowed_actions"], json!(["request_erasure"]));

        let told = event_types(&app, "CR00001", &id).await;
        assert_eq!(told, [
            "claim.submitted",
            "claim.liability_decided",
            "claim.interim_payment_requested",
            "claim.interim_payment_responded",
            "claim.interim_payment_received",
            "claim.settlement_pack_sent",
            "claim.deadline_approaching",
            "claim.deadline_missed",
            "claim.offer_made",
            "claim.settled",
            // Three business days before the payment is due (Fri 15 May).
            "claim.deadline_approaching",
            "claim.payment_recorded",
            "claim.closed",
        ]);
        assert_eq!(event_types(&app, "CM00001", &id).await, told);
    }
}

on_both_backends_at! { "2026-10-01T09:00:00Z" with keeping_events,
    /// Scenario 15 as a claim's whole life to the court: no agreement, the court proceedings pack
    /// and the compensator's response.
    async fn scenario_15_a_claim_taken_to_court(app) {
        let id = admitted(&app, &example(claims_domain::claim_type::ClaimType::Pl)).await;
        app.set_clock("2026-10-02T10:00:00Z").await.expect(200);
        act(&app, "CR00001", &id, "send-settlement-pack", pack(&[("general_damages", 650_000)])).await.expect(200);
        act(&app, "CM00001", &id, "record-payment", json!({ "kind": "stage1_costs", "amount_pence": 30_000, "paid_on": "2026-10-02" })).await.expect(200);
        let answer = json!({ "response": "counter_offer", "counter_offer": offer(450_000) });
        act(&app, "CM00001", &id, "respond-settlement-pack", answer).await.expect(200);

        app.set_clock("2026-12-21T10:00:00Z").await.expect(200);
        let (claim, _) = read(&app, "CR00001", &id).await;
        assert_eq!(claim["status"], "no_agreement");
        let part_a = json!({ "agreed_heads": [], "disputed_heads": ["general_damages"], "disbursements_pence": 18_000 });
        let sent = act(&app, "CR00001", &id, "send-court-pack", part_a).await.expect(200).json();
        assert_eq!(sent["status"], "court_pack_sent");
        assert_eq!(open_due(&sent, "court_pack_comments"), "2026-12-30");
        assert_eq!(open_due(&sent, "court_pack_payment"), "2027-01-14");
        assert_eq!(sent["court_pack"]["claimant_final_offer_pence"], 650_000);
        assert_eq!(sent["court_pack"]["compensator_final_offer_pence"], 450_000);

        let unconfirmed = act(&app, "CM00001", &id, "respond-court-pack", json!({ "comments": "We stand by our offer.", "final_offer_paid": false })).await.expect(422);
        assert_eq!(unconfirmed.json()["code"], "must_be_true");
        let closed = act(&app, "CM00001", &id, "respond-court-pack", json!({ "comments": "We stand by our offer.", "final_offer_paid": true })).await.expect(200).json();
        assert_eq!((closed["status"].clone(), closed["outcome"].clone()), (json!("closed"), json!("court_proceedings")));

        let told = event_types(&app, "CR00001", &id).await;
        assert_eq!(told, [
            "claim.submitted",
            "claim.liability_decided",
            "claim.settlement_pack_sent",
            "claim.payment_recorded",
            "claim.offer_made",
            // The clock jumped past the total period's end: no reminder was due any more.
            "claim.deadline_missed",
            "claim.no_agreement",
            "claim.court_pack_sent",
            "claim.court_pack_answered",
            "claim.closed",
        ]);
        assert_eq!(event_types(&app, "CM00001", &id).await, told);
    }
}

on_both_backends_at! { "2026-03-02T09:00:00Z",
    /// A child's agreed settlement needs the court's approval; no Stage 1 costs step, no interim
    /// payments.
    async fn a_childs_settlement_goes_to_court(app) {
        let id = admitted(&app, &child_rta()).await;
        let (claim, _) = read(&app, "CR00001", &id).await;
        assert_eq!(claim["child"], true);
        assert!(!claim["allowed_actions"].as_array().expect("actions").contains(&json!("request_interim_payment")));
        let sent = act(&app, "CR00001", &id, "send-settlement-pack", pack(&[("general_damages", 400_000)])).await.expect(200).json();
        assert!(sent["deadlines"].as_array().expect("deadlines").iter().all(|d| d["name"] != "stage1_costs"));
        let settled = act(&app, "CM00001", &id, "respond-settlement-pack", json!({ "response": "accept" })).await.expect(200).json();
        assert_eq!(settled["settlement"]["requires_court_approval"], true);
        assert_eq!(settled["settlement"]["sums"]["stage1_costs_pence"], 0);
        let (as_cr, _) = read(&app, "CR00001", &id).await;
        assert_eq!(as_cr["allowed_actions"], json!(["exit", "withdraw", "send_court_pack", "offer_transfer", "request_erasure"]));
    }
}

on_both_backends_at! { "2026-03-02T09:00:00Z",
    /// A refused request for a child says the claimant is a child, not that the status is wrong.
    async fn a_childs_interim_request_is_refused_for_being_a_child(app) {
        let id = admitted(&app, &child_rta()).await;
        let refused = act(&app, "CR00001", &id, "request-interim-payment", interim(100_000)).await.expect(409);
        let body = refused.json();
        assert_eq!(body["code"], "claimant_is_child");
        assert!(body["detail"].as_str().unwrap_or_default().contains("child"), "{body}");
        assert_eq!(body["current_status"], "liability_admitted");
        assert!(body["allowed_actions"].as_array().expect("actions").contains(&json!("send_settlement_pack")));
    }
}

on_both_backends_at! { "2026-03-02T09:00:00Z",
    /// The Stage 1 costs exit: the claim shows its window, an early or late exit says when it
    /// opens and closes, and inside the window it is accepted.
    async fn the_stage1_costs_exit_shows_its_window(app) {
        let early = admitted(&app, &rta()).await;
        let late = admitted(&app, &rta()).await;
        app.set_clock("2026-03-20T10:00:00Z").await.expect(200);
        for id in [&early, &late] {
            act(&app, "CR00001", id, "send-settlement-pack", pack(&[("general_damages", 600_000)])).await.expect(200);
            let answer = json!({ "response": "counter_offer", "counter_offer": offer(500_000) });
            act(&app, "CM00001", id, "respond-settlement-pack", answer).await.expect(200);
        }
        let (claim, _) = read(&app, "CR00001", &early).await;
        assert_eq!(
            claim["exit_windows"],
            json!([{ "reason": "stage1_costs_not_paid", "party": "claimant_representative",
                     "opens_on": "2026-04-08", "closes_on": "2026-04-21", "status": "not_yet_open" }])
        );
        let exit = json!({ "reason": "stage1_costs_not_paid" });
        let refused = act(&app, "CR00001", &early, "exit", exit.clone()).await.expect(409);
        let detail = refused.json()["detail"].as_str().unwrap_or_default().to_owned();
        assert_eq!(refused.json()["code"], "exit_condition_not_met");
        assert!(detail.contains("2026-04-08") && detail.contains("2026-04-21"), "{detail}");

        app.set_clock("2026-04-21T10:00:00Z").await.expect(200);
        let (claim, _) = read(&app, "CR00001", &early).await;
        assert_eq!(claim["exit_windows"][0]["status"], "open");
        let exited = act(&app, "CR00001", &early, "exit", exit.clone()).await.expect(200).json();
        assert_eq!(exited["exit"]["reason"], "stage1_costs_not_paid");

        app.set_clock("2026-04-22T10:00:00Z").await.expect(200);
        let (claim, _) = read(&app, "CR00001", &late).await;
        assert_eq!(claim["exit_windows"][0]["status"], "closed");
        let refused = act(&app, "CR00001", &late, "exit", exit).await.expect(409);
        assert!(refused.json()["detail"].as_str().unwrap_or_default().contains("closed"));
    }
}

on_both_backends_at! { "2026-03-02T09:00:00Z",
    /// An extension agreed before the pack is answered moves the total period with the initial
    /// one: the negotiation that follows runs against an open period and ends in no_agreement.
    async fn an_extension_before_the_answer_never_strands_the_negotiation(app) {
        let id = admitted(&app, &rta()).await;
        app.set_clock("2026-03-20T10:00:00Z").await.expect(200);
        act(&app, "CR00001", &id, "send-settlement-pack", pack(&[("general_damages", 600_000)])).await.expect(200);
        app.set_clock("2026-04-01T10:00:00Z").await.expect(200);
        for (to, code) in [("2026-04-14", "not_later"), ("2026-05-30", "not_a_business_day")] {
            let refused = act(&app, "CM00001", &id, "extend-consideration-period", json!({ "to": to, "agreed_with": "Pat" })).await.expect(422);
            assert_eq!(refused.json()["code"], code, "{to}");
        }
        let extended = act(&app, "CM00001", &id, "extend-consideration-period", json!({ "to": "2026-05-29", "agreed_with": "Pat" }))
            .await
            .expect(200)
            .json();
        assert_eq!(open_due(&extended, "initial_consideration"), "2026-05-29");
        assert_eq!(open_due(&extended, "total_consideration"), "2026-06-26");
        app.set_clock("2026-05-27T10:00:00Z").await.expect(200);
        let answer = json!({ "response": "counter_offer", "counter_offer": offer(500_000) });
        let negotiating = act(&app, "CM00001", &id, "respond-settlement-pack", answer).await.expect(200).json();
        assert_eq!(negotiating["status"], "negotiating");
        assert_eq!(open_due(&negotiating, "total_consideration"), "2026-06-26");
        app.set_clock("2026-06-26T23:00:01Z").await.expect(200);
        assert_eq!(read(&app, "CR00001", &id).await.0["status"], "no_agreement");
    }
}

on_both_backends_at! { "2026-03-02T09:00:00Z",
    /// The settlement pack's own rules.
    async fn settlement_pack_rules(app) {
        let id = admitted(&app, &rta()).await;
        let mut unsigned = pack(&[("general_damages", 600_000)]);
        unsigned["statement_of_truth"] = json!(false);
        let refused = act(&app, "CR00001", &id, "send-settlement-pack", unsigned).await.expect(422);
        assert_eq!(refused.field_errors(), [("statement_of_truth".to_owned(), "must_be_true".to_owned())]);
        let duplicated = act(&app, "CR00001", &id, "send-settlement-pack", pack(&[("care", 1), ("care", 2)])).await.expect(422);
        assert_eq!(duplicated.field_errors(), [("losses[1].head".to_owned(), "duplicate_head".to_owned())]);
        let tariff_line = json!({
            "losses": [{ "head": "whiplash_tariff", "evidence_attached": true,
                          "tariff": { "prognosis_end_date": "2024-09-14", "minor_psychological_injury": false } }],
            "medical_report_references": ["MR-1"], "statement_of_truth": true
        });
        let valued = act(&app, "CR00001", &id, "send-settlement-pack", tariff_line).await.expect(200).json();
        // Accident 14 March 2024 (2021 regulations), prognosis six months: band 3 to 6 months.
        assert_eq!(valued["offers"][0]["losses"]["lines"][0]["gross_pence"], 49_500);
        assert_eq!(valued["offers"][0]["losses"]["lines"][0]["tariff_band"], "2021:more_than_3_up_to_6_months");
        app.set_clock("2026-03-10T10:00:00Z").await.expect(200);
        let extended = act(&app, "CM00001", &id, "extend-consideration-period", json!({ "to": "2026-04-30", "agreed_with": "Sam Handler" })).await.expect(200).json();
        let initial = extended["deadlines"].as_array().expect("deadlines").iter().find(|d| d["name"] == "initial_consideration").expect("initial").clone();
        assert_eq!(initial["due_date"], "2026-04-30");
        assert_eq!(initial["extensions"][0]["agreed_with"], "Sam Handler");
        assert_eq!(initial["extensions"][0]["recorded_by"], "compensator");
    }
}

on_both_backends_at! { "2025-08-22T09:00:00Z",
    /// Scenarios 16 and 17 and the fixed costs of scenario 14, through the calculators.
    async fn scenarios_16_and_17_calculators(app) {
        let tariff = |body: Value| {
            let app = &app;
            async move { app.post("CR00001", "/v1/calculations/whiplash-tariff", &body).await }
        };
        let at = |accident: &str, end: &str, psych: bool, uplift: u32| {
            json!({ "accident_date": accident, "prognosis_end_date": end, "minor_psychological_injury": psych, "uplift_percent": uplift })
        };
        let answer = tariff(at("2025-05-30", "2026-07-30", false, 0)).await.expect(200).json();
        assert_eq!(answer, json!({ "regulations": "2021", "band": "more_than_12_up_to_15_months", "tariff_pence": 204_000, "uplift_pence": 0, "total_pence": 204_000 }));
        assert_eq!(tariff(at("2025-05-30", "2026-07-30", true, 0)).await.expect(200).json()["total_pence"], 212_500);
        assert_eq!(tariff(at("2025-05-30", "2026-07-30", false, 20)).await.expect(200).json()["total_pence"], 244_800);
        assert_eq!(tariff(at("2025-05-30", "2026-07-30", true, 20)).await.expect(200).json()["total_pence"], 255_000);
        assert_eq!(tariff(at("2025-05-31", "2025-12-31", true, 0)).await.expect(200).json()["total_pence"], 102_500);
        assert_eq!(tariff(at("2025-05-31", "2025-12-31", true, 20)).await.expect(200).json()["total_pence"], 123_000);
        assert_eq!(tariff(at("2025-05-31", "2025-08-31", false, 0)).await.expect(200).json()["total_pence"], 27_500);
        assert_eq!(tariff(at("2025-05-31", "2025-09-01", false, 0)).await.expect(200).json()["total_pence"], 56_500);
        let uplift = tariff(at("2025-05-31", "2025-12-31", false, 21)).await.expect(422);
        assert_eq!(uplift.json()["code"], "uplift_too_high");
        let outside = tariff(at("2025-05-31", "2027-06-01", false, 0)).await.expect(422);
        assert_eq!(outside.json()["code"], "outside_tariff");
        assert_eq!(outside.field_errors(), [("prognosis_end_date".to_owned(), "outside_tariff".to_owned())]);

        let costs = |claim_type: &str, band: &str, london: bool| {
            let app = &app;
            let body = json!({ "type": claim_type, "value_band": band, "london_weighting": london });
            async move { app.post("CM00001", "/v1/calculations/fixed-costs", &body).await.expect(200).json() }
        };
        let rta = costs("rta", "up_to_10000", false).await;
        assert_eq!((rta["stage1_pence"].clone(), rta["stage2_pence"].clone()), (json!(20_000), json!(30_000)));
        assert_eq!(costs("rta", "10000_to_25000", false).await["stage2_pence"], 60_000);
        let el = costs("el_accident", "10000_to_25000", false).await;
        assert_eq!((el["stage1_pence"].clone(), el["stage2_pence"].clone()), (json!(30_000), json!(130_000)));
        let london = costs("rta", "up_to_10000", true).await;
        assert_eq!(london["stage1_pence"].as_i64().unwrap_or(0) + london["stage2_pence"].as_i64().unwrap_or(0), 56_250);
        assert_eq!(london["stage3"], json!({ "legal_representative_pence": 28_125, "advocate_pence": 25_000, "child_settlement_advice_pence": 15_000 }));
    }
}
