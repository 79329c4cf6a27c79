//! Stage 1 through the API: scenarios 1 to 9 and 22 of the specification, the history, and
//! calendar changes.

use awc::http::Method;
use claims_domain::claim_type::ClaimType;
use serde_json::{Value, json};

use crate::support::flow::*;
use crate::support::*;
use crate::{on_both_backends, on_both_backends_with};

fn negligence(percent: f64, seat_belt_only: bool) -> Value {
    let mut body = decision("admitted_with_contributory_negligence");
    body["contributory_negligence"] = json!({ "percent": percent, "seat_belt_only": seat_belt_only });
    body
}

on_both_backends! {
    /// Scenario 1: an RTA CNF submitted on Fri 22 Aug 2025 must be acknowledged by Tue 26 Aug
    /// (Mon 25 Aug is a bank holiday); acknowledging meets the deadline.
    async fn scenario_1_acknowledgement_over_a_bank_holiday(app) {
        let claim = app.submit_ok("CR00001", &rta()).await;
        let ack = deadline(&claim, "acknowledgement");
        assert_eq!(ack["due_date"], "2025-08-26");
        assert_eq!(ack["due_at"], "2025-08-26T23:00:00Z");
        assert_eq!(ack["party"], "compensator");
        assert_eq!(ack["status"], "open");
        let id = claim["id"].as_str().expect("id");
        let (as_compensator, _) = read(&app, "CM00001", id).await;
        assert_eq!(as_compensator["allowed_actions"], json!(["acknowledge", "reject", "reassign", "decide_liability", "exit", "request_erasure"]));
        assert_eq!(claim["allowed_actions"], json!(["exit", "withdraw", "offer_transfer", "request_erasure"]));

        let done = act(&app, "CM00001", id, "acknowledge", json!({ "compensator_reference": "NMI/CL/42" })).await.expect(200);
        assert_eq!(done.header("etag").as_deref(), Some("\"2\""));
        let done = done.json();
        assert_eq!(done["status"], "awaiting_liability_decision");
        assert_eq!(done["references"]["compensator"], "NMI/CL/42");
        assert_eq!(deadline(&done, "acknowledgement")["status"], "met");
        assert_eq!(event_types(&app, "CR00001", id).await, ["claim.submitted", "claim.acknowledged"]);
    }
}

on_both_backends! {
    /// Scenario 2: the liability decision is due Mon 15 Sep 2025; a second before midnight (BST)
    /// a decision is still accepted, a second after it the untouched claim has exited.
    async fn scenario_2_the_liability_deadline_and_its_timeout(app) {
        let untouched = submitted(&app, &rta()).await;
        let twin = acknowledged(&app, &rta()).await;
        let (claim, _) = read(&app, "CR00001", &untouched).await;
        assert_eq!(deadline(&claim, "liability_decision")["due_date"], "2025-09-15");
        assert_eq!(deadline(&claim, "liability_decision")["due_at"], "2025-09-15T23:00:00Z");

        app.set_clock("2025-09-15T22:59:59Z").await.expect(200);
        let decided = act(&app, "CM00001", &twin, "decide-liability", decision("admitted")).await.expect(200).json();
        assert_eq!(decided["status"], "liability_admitted");
        let (still_open, _) = read(&app, "CM00001", &untouched).await;
        assert_eq!(still_open["status"], "submitted");

        app.set_clock("2025-09-15T23:00:01Z").await.expect(200);
        let (ended, _) = read(&app, "CM00001", &untouched).await;
        assert_eq!(ended["status"], "exited");
        assert_eq!(ended["exit"]["reason"], "liability_response_late");
        assert_eq!(ended["exit"]["by"], "system");
        assert_eq!(deadline(&ended, "liability_decision")["status"], "missed");
        assert_eq!(ended["allowed_actions"], json!(["request_erasure"]));
        let mut late = decision("admitted");
        late["compensator_reference"] = json!("NMI/2");
        let refused = act(&app, "CM00001", &untouched, "decide-liability", late).await.expect(409);
        assert_eq!(refused.json()["code"], "not_allowed_in_status");
        assert_eq!(refused.json()["current_status"], "exited");

        // Both parties were told, in order, by the system.
        let told = event_types(&app, "CR00001", &untouched).await;
        assert_eq!(told, [
            "claim.submitted",
            "claim.deadline_missed",
            "claim.deadline_approaching",
            "claim.deadline_approaching",
            "claim.deadline_missed",
            "claim.exited",
        ]);
        assert_eq!(event_types(&app, "CM00001", &untouched).await, told);
        let page = app.get("CM00001", "/v1/events?limit=500").await.expect(200).json();
        let exited = page["items"].as_array().expect("items").iter()
            .find(|e| e["claim_id"] == untouched.as_str() && e["type"] == "claim.exited").expect("exit event").clone();
        assert_eq!(exited["actor"]["kind"], "system");
        assert_eq!(exited["data"]["reason"], "liability_response_late");
    }
}

on_both_backends! {
    /// Scenario 3: Article 75 gives 30 business days (Mon 6 Oct 2025), once; the MIB has them from
    /// the start and cannot declare.
    async fn scenario_3_article_75(app) {
        let id = acknowledged(&app, &rta()).await;
        let declared = act(&app, "CM00001", &id, "declare-article-75", json!({})).await.expect(200).json();
        assert_eq!(deadline(&declared, "liability_decision")["due_date"], "2025-10-06");
        let again = act(&app, "CM00001", &id, "declare-article-75", json!({})).await.expect(409);
        assert_eq!(again.json()["code"], "article_75_already_declared");
        assert!(event_types(&app, "CR00001", &id).await.contains(&"claim.deadline_changed".to_owned()));

        let mut to_mib = rta();
        to_mib["defendant"]["compensator"] = json!("CM00003");
        let mib = app.submit_ok("CR00001", &to_mib).await;
        assert_eq!(deadline(&mib, "liability_decision")["due_date"], "2025-10-06");
        let mib_id = mib["id"].as_str().expect("id");
        act(&app, "CM00003", mib_id, "acknowledge", json!({ "compensator_reference": "MIB/1" })).await.expect(200);
        act(&app, "CM00003", mib_id, "declare-article-75", json!({})).await.expect(409);
    }
}

on_both_backends! {
    /// Scenario 6: nobody can extend the Stage 1 period.
    async fn scenario_6_no_extension_at_stage_1(app) {
        let id = submitted(&app, &rta()).await;
        for code in ["CM00001", "CR00001"] {
            let refused = act(&app, code, &id, "extend-consideration-period", json!({ "to": "2025-10-01", "agreed_with": "Sam" })).await.expect(422);
            assert_eq!(refused.json()["code"], "stage1_period_not_extendable");
        }
    }
}

on_both_backends! {
    /// Scenario 7: contributory negligence keeps only RTA seat-belt claims; not admitted exits.
    async fn scenario_7_contributory_negligence(app) {
        let seat_belt = acknowledged(&app, &rta()).await;
        let kept = act(&app, "CM00001", &seat_belt, "decide-liability", negligence(25.0, true)).await.expect(200).json();
        assert_eq!(kept["status"], "liability_admitted");
        assert_eq!(kept["liability"]["contributory_negligence"], json!({ "percent": 25, "seat_belt_only": true }));

        let other = acknowledged(&app, &rta()).await;
        let ended = act(&app, "CM00001", &other, "decide-liability", negligence(25.0, false)).await.expect(200).json();
        assert_eq!((ended["status"].clone(), ended["exit"]["reason"].clone()), (json!("exited"), json!("contributory_negligence_alleged")));

        let el = acknowledged(&app, &example(ClaimType::ElAccident)).await;
        let mut el_decision = negligence(10.5, true);
        el_decision.as_object_mut().expect("object").remove("repairs_offered");
        el_decision.as_object_mut().expect("object").remove("replacement_vehicle_offered");
        let ended = act(&app, "CM00001", &el, "decide-liability", el_decision).await.expect(200).json();
        assert_eq!(ended["exit"]["reason"], "contributory_negligence_alleged");

        let denied = acknowledged(&app, &rta()).await;
        let mut body = decision("not_admitted");
        body["reasons"] = json!("Our insured was not involved.");
        let ended = act(&app, "CM00001", &denied, "decide-liability", body).await.expect(200).json();
        assert_eq!(ended["exit"]["reason"], "liability_not_admitted");

        let unexplained = acknowledged(&app, &rta()).await;
        let refused = act(&app, "CM00001", &unexplained, "decide-liability", decision("not_admitted")).await.expect(422);
        assert_eq!(refused.field_errors(), [("reasons".to_owned(), "required".to_owned())]);
    }
}

on_both_backends! {
    /// Scenario 8: rejected, resubmitted to another compensator on Mon 2 Mar 2026: the periods
    /// restart and the first compensator loses sight of the claim. (Rejected in February: a
    /// rejected claim left untouched for 60 days is purged.)
    async fn scenario_8_reject_and_resubmit(app) {
        app.set_clock("2026-02-16T10:00:00Z").await.expect(200);
        let id = submitted(&app, &rta()).await;
        let rejected = act(&app, "CM00001", &id, "reject", json!({ "reason": "wrong_compensator" })).await.expect(200).json();
        assert_eq!(rejected["status"], "rejected");
        assert_eq!(rejected["rejection"]["reason"], "wrong_compensator");

        app.set_clock("2026-03-02T10:00:00Z").await.expect(200);
        let mut corrected = rta();
        corrected["defendant"]["compensator"] = json!("CM00004");
        let again = act(&app, "CR00001", &id, "resubmit", json!({ "cnf": corrected })).await.expect(200).json();
        assert_eq!(again["status"], "submitted");
        assert_eq!(again["notification_date"], "2026-03-02");
        assert_eq!(again["compensator"]["code"], "CM00004");
        assert_eq!(deadline(&again, "liability_decision")["due_date"], "2026-03-23");
        assert_eq!(again["rejection"], Value::Null);

        app.get("CM00001", &format!("/v1/claims/{id}")).await.expect(404);
        app.get("CM00004", &format!("/v1/claims/{id}")).await.expect(200);
        // The first compensator was told the claim left; it hears nothing after that.
        let first = event_types(&app, "CM00001", &id).await;
        assert_eq!(first, ["claim.submitted", "claim.rejected", "claim.resubmitted"]);
        act(&app, "CM00004", &id, "acknowledge", json!({ "compensator_reference": "SG/1" })).await.expect(200);
        assert_eq!(event_types(&app, "CM00001", &id).await, first);
        assert_eq!(event_types(&app, "CM00004", &id).await, ["claim.resubmitted", "claim.acknowledged"]);
    }
}

on_both_backends! {
    /// Scenario 9: after the decision, `reject` and `reassign` are refused with the state and the
    /// allowed actions; reassigning outside the group is a 422.
    async fn scenario_9_order_of_steps(app) {
        let id = acknowledged(&app, &rta()).await;
        act(&app, "CM00001", &id, "decide-liability", decision("admitted")).await.expect(200);
        for (action, body) in [("reject", json!({ "reason": "wrong_compensator" })), ("reassign", json!({ "to": "CM00002" }))] {
            let refused = act(&app, "CM00001", &id, action, body).await.expect(409);
            let problem = refused.json();
            assert_eq!(problem["code"], "not_allowed_in_status");
            assert_eq!(problem["current_status"], "liability_admitted");
            assert_eq!(problem["allowed_actions"], json!(["allege_fraud", "exit", "request_erasure"]));
        }

        let fresh = submitted(&app, &rta()).await;
        let outside = act(&app, "CM00001", &fresh, "reassign", json!({ "to": "CM00004" })).await.expect(422);
        assert_eq!(outside.json()["code"], "outside_group");
        assert_eq!(outside.field_errors(), [("to".to_owned(), "outside_group".to_owned())]);
        let wrong_party = act(&app, "CR00001", &fresh, "acknowledge", json!({ "compensator_reference": "X" })).await.expect(409);
        assert_eq!(wrong_party.json()["code"], "wrong_party");
        assert_eq!(wrong_party.json()["allowed_actions"], json!(["exit", "withdraw", "offer_transfer", "request_erasure"]));

        let moved = act(&app, "CM00001", &fresh, "reassign", json!({ "to": "CM00002", "reason": "Commercial policy" })).await.expect(200);
        assert_eq!(moved.json()["compensator"]["code"], "CM00002");
        app.get("CM00001", &format!("/v1/claims/{fresh}")).await.expect(404);
        app.get("CM00002", &format!("/v1/claims/{fresh}")).await.expect(200);
        assert_eq!(event_types(&app, "CM00002", &fresh).await, ["claim.transferred"]);
    }
}

on_both_backends! {
    /// Scenario 22: a stale ETag gets 412 with the current version; no If-Match gets 428.
    async fn scenario_22_stale_writes(app) {
        let id = submitted(&app, &rta()).await;
        let (_, old) = read(&app, "CM00001", &id).await;
        act(&app, "CR00001", &id, "exit", json!({ "reason": "claim_unsuitable_complex" })).await.expect(200);
        let stale = act_with(&app, "CM00001", &id, "acknowledge", json!({ "compensator_reference": "X/1" }), Some(&old)).await.expect(412);
        let problem = stale.json();
        assert_eq!(problem["code"], "version_mismatch");
        assert_eq!(problem["current_version"], 2);
        assert_eq!(problem["current_status"], "exited");
        let missing = act_with(&app, "CM00001", &id, "acknowledge", json!({ "compensator_reference": "X/1" }), None).await.expect(428);
        assert_eq!(missing.json()["code"], "if_match_required");
    }
}

on_both_backends! {
    /// Two actions racing on one claim: exactly one wins, the other gets 412.
    async fn racing_actions_have_one_winner(app) {
        let id = submitted(&app, &rta()).await;
        let token = app.token("CM00001").await;
        let url = |action: &str| format!("{}/v1/claims/{id}/actions/{action}", app.base_url);
        let send = |action: &str, body: Value| {
            app.client.post(url(action)).bearer_auth(&token).insert_header(("if-match", "\"1\"")).send_json(&body)
        };
        let (a, b) = futures_util::future::join(
            send("acknowledge", json!({ "compensator_reference": "A/1" })),
            send("reject", json!({ "reason": "wrong_compensator" })),
        )
        .await;
        let mut statuses = vec![a.expect("answer").status().as_u16(), b.expect("answer").status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 412]);
        let (claim, _) = read(&app, "CM00001", &id).await;
        assert_eq!(claim["version"], 2);
    }
}

on_both_backends! {
    /// Exits and withdrawals, and the facts behind exit reasons.
    async fn exits_and_withdrawals(app) {
        let id = acknowledged(&app, &rta()).await;
        let short = act(&app, "CR00001", &id, "exit", json!({ "reason": "other", "comment": "short" })).await.expect(422);
        assert_eq!(short.json()["code"], "comment_required");
        let unpaid = act(&app, "CR00001", &id, "exit", json!({ "reason": "stage1_costs_not_paid" })).await.expect(409);
        assert_eq!(unpaid.json()["code"], "exit_condition_not_met");
        let not_theirs = act(&app, "CM00001", &id, "exit", json!({ "reason": "small_claims_track_applies" })).await.expect(422);
        assert_eq!(not_theirs.json()["code"], "reason_not_for_party");
        let fraud = act(&app, "CM00001", &id, "allege-fraud", json!({ "description": "The vehicle was already written off." })).await.expect(200).json();
        assert_eq!(fraud["exit"]["reason"], "fraud_alleged");

        let other = submitted(&app, &rta()).await;
        let withdrawn = act(&app, "CR00001", &other, "withdraw", json!({})).await.expect(200).json();
        assert_eq!(withdrawn["status"], "withdrawn");
        assert!(withdrawn["deadlines"].as_array().expect("deadlines").iter().all(|d| d["status"] == "cancelled"));
        act(&app, "CR00001", &other, "exit", json!({ "reason": "other", "comment": "Long enough comment." })).await.expect(409);
    }
}

on_both_backends! {
    /// The audit trail lists every change and read, oldest first, with who did it.
    async fn the_history_records_changes_and_reads(app) {
        let id = submitted(&app, &rta()).await;
        act(&app, "CM00001", &id, "acknowledge", json!({ "compensator_reference": "NMI/7" })).await.expect(200);
        app.set_clock("2025-10-01T00:00:00Z").await.expect(200);
        let history = app.get("CR00001", &format!("/v1/claims/{id}/history")).await.expect(200).json();
        let entries = history["items"].as_array().expect("items");
        let actions: Vec<&str> = entries.iter().filter_map(|e| e["action"].as_str()).collect();
        // The compensator read the claim (for its ETag) before acknowledging it.
        assert_eq!(actions, ["claim.submitted", "claim.read", "claim.acknowledged", "claim.time_passed", "claim.history_read"]);
        assert_eq!(entries[0]["actor"]["organisation"], "CR00001");
        assert_eq!(entries[1]["actor"]["organisation"], "CM00001");
        assert_eq!(entries[2]["actor"]["organisation"], "CM00001");
        assert_eq!(entries[2]["detail"]["from_status"], "submitted");
        assert_eq!(entries[3]["actor"]["kind"], "system");
        assert_eq!(entries[3]["detail"]["status"], "exited");
        app.get("CR00002", &format!("/v1/claims/{id}/history")).await.expect(404);
    }
}

/// Reads the claim until its liability deadline falls on `due` (a recount runs in the
/// background); fails after about ten seconds.
async fn until_liability_due(app: &TestApp, id: &str, due: &str) {
    for _ in 0..400 {
        let (claim, _) = read(app, "CM00001", id).await;
        if deadline(&claim, "liability_decision")["due_date"] == due {
            return;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the liability deadline of {id} never moved to {due}");
}

on_both_backends_with! {
    |settings| settings.calendar_recount_wait_ms = 0;
    /// A calendar change answers at once, saying the recount has not finished and how many claims
    /// it has to do; the recount then runs in the background and the deadlines move, with events.
    async fn a_calendar_change_answers_before_the_recount_ends(app) {
        let first = submitted(&app, &rta()).await;
        let second = submitted(&app, &rta()).await;
        let ended = submitted(&app, &rta()).await;
        act(&app, "CR00001", &ended, "withdraw", json!({})).await.expect(200);
        let added = app.call(Method::PUT, "/v1/admin/bank-holidays/2025-09-01", Some("OP00001"), None, &[]).await.expect(200).json();
        assert_eq!(added["changed"], true);
        assert_eq!(added["recount_complete"], false, "{added}");
        assert_eq!(added["claims_to_recount"], 2, "the two open claims: {added}");
        assert_eq!(added["claims_rescheduled"], 0);
        for id in [&first, &second] {
            until_liability_due(&app, id, "2025-09-16").await;
            for code in ["CR00001", "CM00001"] {
                assert!(event_types(&app, code, id).await.contains(&"claim.deadline_changed".to_owned()));
            }
        }
        assert!(!event_types(&app, "CR00001", &ended).await.contains(&"claim.deadline_changed".to_owned()));
    }
}

on_both_backends! {
    /// A recount cut short carries on when a hub starts: here the calendar changes in the
    /// database while no hub runs (as if the one that changed it stopped at once), and the next
    /// hub to start recounts the claims still counted on the old calendar.
    async fn a_recount_cut_short_carries_on_after_a_restart(app) {
        let open = submitted(&app, &rta()).await;
        app.stop().await;
        let date = chrono::NaiveDate::from_ymd_opt(2025, 9, 1).expect("date");
        // Through a pool of its own: the stopped hub's connections went with its workers.
        let db = claims_persistence::Database::connect(app.database_url(), Default::default()).expect("pool");
        assert!(db.change_bank_holiday(date, true, instant(START)).await.expect("changed"));
        let next = app.another_on_the_same_database(0).await;
        until_liability_due(&next, &open, "2025-09-16").await;
        assert_eq!(event_types(&next, "CM00001", &open).await.last().map(String::as_str), Some("claim.deadline_changed"));
        let holidays = next.get("CR00001", "/v1/calendar/bank-holidays?year=2025").await.expect(200).json();
        assert!(holidays["dates"].as_array().expect("dates").contains(&json!("2025-09-01")));
    }
}

on_both_backends! {
    /// The operator changes the calendar: open deadlines move and both parties are told.
    async fn a_bank_holiday_change_moves_open_deadlines(app) {
        let open = submitted(&app, &rta()).await;
        let closed = submitted(&app, &rta()).await;
        act(&app, "CR00001", &closed, "withdraw", json!({})).await.expect(200);

        let added = app.call(Method::PUT, "/v1/admin/bank-holidays/2025-09-01", Some("OP00001"), None, &[]).await.expect(200).json();
        assert_eq!(added, json!({ "date": "2025-09-01", "bank_holiday": true, "changed": true, "claims_rescheduled": 1, "recount_complete": true, "claims_to_recount": 0 }));
        let (claim, _) = read(&app, "CM00001", &open).await;
        assert_eq!(deadline(&claim, "liability_decision")["due_date"], "2025-09-16");
        assert_eq!(deadline(&claim, "acknowledgement")["due_date"], "2025-08-26");
        for code in ["CR00001", "CM00001"] {
            assert_eq!(event_types(&app, code, &open).await.last().map(String::as_str), Some("claim.deadline_changed"));
        }
        let holidays = app.get("CR00001", "/v1/calendar/bank-holidays?year=2025").await.expect(200).json();
        assert!(holidays["dates"].as_array().expect("dates").contains(&json!("2025-09-01")));
        let counted = app.get("CR00001", "/v1/calendar/add-business-days?from=2025-08-22&days=15").await.expect(200).json();
        assert_eq!(counted, json!({ "date": "2025-09-16" }));

        let again = app.call(Method::PUT, "/v1/admin/bank-holidays/2025-09-01", Some("OP00001"), None, &[]).await.expect(200).json();
        assert_eq!((again["changed"].clone(), again["claims_rescheduled"].clone()), (json!(false), json!(0)));
        let removed = app.call(Method::DELETE, "/v1/admin/bank-holidays/2025-09-01", Some("OP00001"), None, &[]).await.expect(200).json();
        assert_eq!(removed["claims_rescheduled"], 1);
        let (claim, _) = read(&app, "CM00001", &open).await;
        assert_eq!(deadline(&claim, "liability_decision")["due_date"], "2025-09-15");
        app.call(Method::PUT, "/v1/admin/bank-holidays/2025-09-02", Some("CR00001"), None, &[]).await.expect(403);

        let due = app.get("CM00001", "/v1/claims?deadline_before=2025-08-27").await.expect(200).json();
        assert_eq!(due["items"].as_array().map(Vec::len), Some(1), "only the open claim has a deadline");
        assert_eq!(due["items"][0]["next_deadline"], "2025-08-26");
    }
}

/// Scenario 4: EL and PL over Christmas.
mod scenario_4_el_and_pl_over_christmas {
    use super::*;

    async fn body(app: TestApp) {
        let el = app.submit_ok("CR00001", &example(ClaimType::ElAccident)).await;
        assert_eq!(el["notification_date"], "2025-12-18");
        assert_eq!(deadline(&el, "liability_decision")["due_date"], "2026-02-03");
        assert_eq!(deadline(&el, "liability_decision")["due_at"], "2026-02-04T00:00:00Z");
        let pl = app.submit_ok("CR00001", &example(ClaimType::Pl)).await;
        assert_eq!(deadline(&pl, "liability_decision")["due_date"], "2026-02-17");
    }

    #[actix_web::test]
    async fn sqlite() {
        if let Some(app) = TestApp::spawn_at(Backend::Sqlite, "2025-12-18T10:00:00Z").await {
            body(app).await;
        }
    }

    #[actix_web::test]
    async fn postgres() {
        if let Some(app) = TestApp::spawn_at(Backend::Postgres, "2025-12-18T10:00:00Z").await {
            body(app).await;
        }
    }
}

/// Scenario 5: over Easter.
mod scenario_5_easter {
    use super::*;

    async fn body(app: TestApp) {
        let claim = app.submit_ok("CR00001", &rta()).await;
        assert_eq!(claim["notification_date"], "2026-04-02");
        assert_eq!(deadline(&claim, "liability_decision")["due_date"], "2026-04-27");
        assert_eq!(deadline(&claim, "liability_decision")["due_at"], "2026-04-27T23:00:00Z");
    }

    #[actix_web::test]
    async fn sqlite() {
        if let Some(app) = TestApp::spawn_at(Backend::Sqlite, "2026-04-02T09:00:00Z").await {
            body(app).await;
        }
    }

    #[actix_web::test]
    async fn postgres() {
        if let Some(app) = TestApp::spawn_at(Backend::Postgres, "2026-04-02T09:00:00Z").await {
            body(app).await;
        }
    }
}
