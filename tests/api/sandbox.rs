//! The sandbox clock: who may move it, and that it lives in the database, so it survives
//! restarts and every sandbox process on one database reads the same time.

use std::sync::Arc;

use awc::http::Method;
use claims_http::state::ClockMovers;
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::*;

async fn clock_of(app: &TestApp, code: &str) -> String {
    let reply = app.get(code, "/v1/sandbox/clock").await.expect(200).json();
    reply["now"].as_str().expect("now").to_owned()
}

async fn move_clock(app: &TestApp, code: &str, to: &str) -> Reply {
    app.call(Method::PUT, "/v1/sandbox/clock", Some(code), Some(&json!({ "now": to })), &[]).await
}

fn listed_ids(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect()
}

on_both_backends! {
    /// By default any sandbox client may move the clock.
    async fn any_sandbox_client_may_move_the_clock_by_default(app) {
        move_clock(&app, "CR00002", "2025-09-01T09:00:00Z").await.expect(200);
        move_clock(&app, "CM00003", "2025-09-02T09:00:00Z").await.expect(200);
        assert!(clock_of(&app, "CR00001").await.starts_with("2025-09-02T09:00"));
    }
}

on_both_backends! {
    /// A sandbox shared by several integrators can leave moving the clock to its operator;
    /// everybody may still read it.
    async fn a_shared_sandbox_lets_only_the_operator_move_the_clock(app) {
        let Some(app) = TestApp::spawn_with(app.backend(), |settings| {
            settings.sandbox_clock_movers = ClockMovers::Operator;
        })
        .await
        else {
            return;
        };
        let refused = move_clock(&app, "CR00001", "2025-09-01T09:00:00Z").await.expect(403);
        assert_eq!(refused.json()["code"], "forbidden");
        move_clock(&app, "CM00001", "2025-09-01T09:00:00Z").await.expect(403);
        assert!(clock_of(&app, "CR00001").await.starts_with("2025-08-22"));
        move_clock(&app, "OP00001", "2025-09-01T09:00:00Z").await.expect(200);
        assert!(clock_of(&app, "CR00001").await.starts_with("2025-09-01T09:00"));
        assert!(clock_of(&app, "CM00001").await.starts_with("2025-09-01T09:00"));
    }
}

on_both_backends! {
    /// Two sandbox processes on one database read one clock, whichever of them moves it, and
    /// the second process's start leaves the first one's printed secrets working.
    async fn two_sandbox_processes_share_one_clock_and_both_sets_of_secrets(first) {
        let second = first.another_on_the_same_database(0).await;
        for code in ["CR00001", "CM00001", "OP00001"] {
            assert_ne!(first.credentials(code).client_secret, second.credentials(code).client_secret);
            // Tokens from each process's printed secrets, used on the other process.
            let from_first = first.token(code).await;
            let from_second = second.token(code).await;
            for (app, token) in [(&second, &from_first), (&first, &from_second)] {
                let reply = app.client.get(format!("{}/v1/sandbox/clock", app.base_url)).bearer_auth(token).send();
                assert_eq!(reply.await.expect("answer").status().as_u16(), 200, "{code}");
            }
        }
        move_clock(&first, "CR00001", "2025-10-01T09:00:00Z").await.expect(200);
        assert!(clock_of(&second, "CM00001").await.starts_with("2025-10-01T09:00"));
        move_clock(&second, "CM00001", "2025-11-03T10:00:00Z").await.expect(200);
        assert!(clock_of(&first, "CR00001").await.starts_with("2025-11-03T10:00"));
        // Going back is refused whichever process is asked.
        move_clock(&first, "CR00001", "2025-10-15T09:00:00Z").await.expect(422);
        move_clock(&second, "CR00001", "2025-10-15T09:00:00Z").await.expect(422);
        // A claim submitted through the second process carries the shared date.
        let claim = second.submit_ok("CR00001", &rta()).await;
        assert_eq!(claim["notification_date"], "2025-11-03");
    }
}

on_both_backends! {
    /// A restarted sandbox carries on from its stored clock; its claims stay listed; a start
    /// before the stored time is refused unless the clock is reset on purpose.
    async fn the_sandbox_clock_survives_a_restart(first) {
        let mut first = first;
        let claim = first.submit_ok("CR00001", &rta()).await;
        let id = claim["id"].as_str().expect("id").to_owned();
        move_clock(&first, "CR00001", "2025-09-10T09:00:00Z").await.expect(200);
        crate::support::flow::act(&first, "CM00001", &id, "acknowledge", json!({ "compensator_reference": "NMI/1" }))
            .await
            .expect(200);
        let database = first.take_database();
        let real_clock = first.real_clock.clone();
        first.stop().await;
        drop(first);

        // Without --clock the stored clock carries on.
        let restarted = TestApp::try_start(database.share(), None, 0, real_clock.clone(), |_| {})
            .await
            .expect("a restart without --clock");
        assert!(clock_of(&restarted, "CR00001").await.starts_with("2025-09-10T09:0"));
        for code in ["CR00001", "CM00001"] {
            let page = restarted.get(code, "/v1/claims").await.expect(200).json();
            assert_eq!(listed_ids(&page), vec![id.clone()], "{code} still lists its claim");
        }
        restarted.stop().await;
        drop(restarted);

        // The original --clock is now in the stored clock's past: refused, saying what to do.
        let refused = TestApp::try_start(database.share(), Some(START), 0, real_clock.clone(), |_| {}).await;
        let message = refused.err().map(|e| format!("{e:#}")).unwrap_or_default();
        assert!(message.contains("--reset-clock"), "{message}");
        assert!(message.contains("2025-09-10"), "{message}");

        // A later --clock moves it forward; --reset-clock starts over on purpose.
        let later = TestApp::try_start(database.share(), Some("2025-09-12T09:00:00Z"), 0, real_clock.clone(), |_| {})
            .await
            .expect("a later --clock");
        assert!(clock_of(&later, "CR00001").await.starts_with("2025-09-12T09:00"));
        later.stop().await;
        drop(later);
        let reset = TestApp::try_start(database.share(), Some(START), 0, Arc::clone(&real_clock), |settings| {
            settings.reset_clock = true;
        })
        .await
        .expect("a reset");
        assert!(clock_of(&reset, "CR00001").await.starts_with("2025-08-22T09:00"));
        // Even with the clock put back, the claim changed "later" is still listed.
        let page = reset.get("CR00001", "/v1/claims").await.expect(200).json();
        assert_eq!(listed_ids(&page), vec![id.clone()]);
        reset.stop().await;
    }
}

crate::on_both_backends_with! {
    |settings| {
        settings.sweep_batch = 2;
        settings.sandbox_clock_sweep_wait_ms = 0;
    };
    /// Moving the clock answers once its time to sweep is up (here at once, after one batch of
    /// two claims), says the sweep is not complete, and the rest is applied in the background:
    /// every claim's missed deadline is applied exactly once.
    async fn moving_the_clock_answers_before_a_long_sweep_ends(app) {
        let mut ids = Vec::new();
        for _ in 0..7 {
            ids.push(app.submit_ok("CR00001", &rta()).await["id"].as_str().expect("id").to_owned());
        }
        let moved = move_clock(&app, "OP00001", "2025-09-16T08:00:00Z").await.expect(200).json();
        assert_eq!(moved["sweep_complete"], false, "{moved}");
        assert_eq!(moved["claims_changed"], 2, "one batch before the answer: {moved}");
        let mut exited = Vec::new();
        for _ in 0..100 {
            exited = listed_ids(&app.get("CM00001", "/v1/claims?status=exited&limit=50").await.expect(200).json());
            if exited.len() == ids.len() {
                break;
            }
            actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        exited.sort();
        ids.sort();
        assert_eq!(exited, ids, "the background sweep applied the rest");
        for id in &ids {
            let history = app.get("CM00001", &format!("/v1/claims/{id}/history")).await.expect(200).json();
            let applied = history["items"].as_array().expect("items").iter().filter(|e| e["action"] == "claim.time_passed").count();
            assert_eq!(applied, 1, "applied once to {id}");
        }
        // With nothing left due (once the background sweep has let go), a move is complete.
        let mut again = Value::Null;
        for minute in 0..50 {
            again = move_clock(&app, "OP00001", &format!("2025-09-17T08:{minute:02}:00Z")).await.expect(200).json();
            if again["sweep_complete"] == true {
                break;
            }
            actix_web::rt::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(again["sweep_complete"], true, "{again}");
        assert_eq!(again["claims_changed"], 0, "{again}");
    }
}
