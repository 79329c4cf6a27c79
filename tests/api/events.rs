//! The event feed: what each organisation is told, in order, exactly once.

use std::collections::HashSet;

use awc::http::Method;
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::*;

async fn feed(app: &TestApp, code: &str, query: &str) -> Value {
    app.get(code, &format!("/v1/events{query}")).await.expect(200).json()
}

fn ids(page: &Value) -> Vec<String> {
    page["items"].as_array().map_or_else(Vec::new, |items| {
        items.iter().map(|e| e["id"].as_str().expect("id").to_owned()).collect()
    })
}

on_both_backends! {
    async fn each_party_is_told_of_a_submission_without_personal_data(app) {
        let mut cnf = rta();
        cnf["claimant"]["surname"] = json!("Zzmarkersurname");
        cnf["claimant"]["national_insurance_number"] = json!("JT987654B");
        let claim = app
            .call(Method::POST, "/v1/claims", Some("CR00001"), Some(&json!({ "cnf": cnf })), &[("acting-user", "handler-17")])
            .await
            .expect(201)
            .json();
        for code in ["CR00001", "CM00001"] {
            let page = feed(&app, code, "").await;
            let events = page["items"].as_array().expect("items");
            assert_eq!(events.len(), 1, "{code}");
            let event = &events[0];
            assert_eq!(event["type"], "claim.submitted");
            assert_eq!(event["claim_id"], claim["id"]);
            assert_eq!(event["occurred_at"], claim["submitted_at"]);
            assert_eq!(event["actor"], json!({
                "kind": "organisation", "organisation": "CR00001",
                "client_id": "cr00001-sandbox", "acting_user": "handler-17"
            }));
            assert_eq!(event["data"], json!({
                "type": "rta", "status": "submitted", "version": 1,
                "claimant_representative": "CR00001", "compensator": "CM00001",
                "notification_date": "2025-08-22"
            }));
            assert_eq!(page["next_cursor"], event["id"]);
            let text = event.to_string();
            for marker in ["Zzmarkersurname", "JT987654B", "1985-06-14", "LS1 4AP"] {
                assert!(!text.contains(marker), "{marker} in an event");
            }
        }
        for outsider in ["CR00002", "CM00002", "CM00004"] {
            assert_eq!(feed(&app, outsider, "").await["items"], json!([]), "{outsider}");
        }
        // The same markers in a refused form and in a read: still in no log line.
        let mut refused = cnf.clone();
        refused["accident"]["time"] = json!("25:00");
        app.submit("CR00001", &refused).await.expect(422);
        app.get("CM00001", &format!("/v1/claims/{}", claim["id"].as_str().expect("id"))).await.expect(200);
        let logs = crate::support::logs::text();
        assert!(logs.contains(claim["id"].as_str().expect("id")), "the claim id is logged");
        for marker in ["Zzmarkersurname", "JT987654B"] {
            assert!(!logs.contains(marker), "{marker} in the logs");
        }
    }
}

on_both_backends! {
    async fn the_feed_pages_from_a_cursor(app) {
        for _ in 0..5 {
            app.submit_ok("CR00001", &rta()).await;
        }
        let all = ids(&feed(&app, "CR00001", "").await);
        assert_eq!(all.len(), 5);
        let numbers: Vec<i64> = all.iter().map(|id| id.parse().expect("a number")).collect();
        assert!(numbers.windows(2).all(|w| w[0] < w[1]), "oldest first: {numbers:?}");

        let first = feed(&app, "CR00001", "?limit=2").await;
        assert_eq!(ids(&first), all[..2]);
        let cursor = first["next_cursor"].as_str().expect("cursor").to_owned();
        let rest = feed(&app, "CR00001", &format!("?after={cursor}")).await;
        assert_eq!(ids(&rest), all[2..]);
        let end = rest["next_cursor"].as_str().expect("cursor").to_owned();
        let nothing = feed(&app, "CR00001", &format!("?after={end}")).await;
        assert_eq!(nothing["items"], json!([]));
        assert_eq!(nothing["next_cursor"], end.as_str(), "an empty page keeps the cursor");

        let bad = app.get("CR00001", "/v1/events?after=abc").await.expect(400);
        assert_eq!(bad.json()["code"], "invalid_cursor");
        app.get("CR00001", "/v1/events?wait=31").await.expect(400);
        app.get("OP00001", "/v1/events").await.expect(403);
    }
}

on_both_backends! {
    /// A long poll answers as soon as an event arrives.
    async fn a_long_poll_returns_when_an_event_arrives(app) {
        let token = app.token("CM00001").await;
        let waiting = app.client.get(format!("{}/v1/events?wait=20", app.base_url)).bearer_auth(&token).send();
        let submit = async {
            actix_web::rt::time::sleep(std::time::Duration::from_millis(300)).await;
            app.submit_ok("CR00001", &rta()).await
        };
        let (response, claim) = futures_util::future::join(waiting, submit).await;
        let mut response = response.expect("an answer");
        assert_eq!(response.status().as_u16(), 200);
        let page: Value = serde_json::from_slice(&response.body().await.expect("body")).expect("json");
        assert_eq!(page["items"][0]["claim_id"], claim["id"]);
    }
}

on_both_backends! {
    /// Many writers commit concurrently while a reader walks the feed: the reader sees every event
    /// exactly once, in increasing order, with no gap left behind.
    async fn concurrent_writes_never_make_the_feed_skip_or_reorder(app) {
        const WRITERS: usize = 8;
        const EACH: usize = 6;
        let token = app.token("CR00001").await;
        let url = format!("{}/v1/claims", app.base_url);
        let body = json!({ "cnf": rta() });
        let writers = futures_util::future::join_all((0..WRITERS).map(|_| {
            let (url, token, body, client) = (url.clone(), token.clone(), body.clone(), app.client.clone());
            async move {
                for _ in 0..EACH {
                    let response = client.post(url.clone()).bearer_auth(&token).send_json(&body).await.expect("answer");
                    assert_eq!(response.status().as_u16(), 201);
                }
            }
        }));
        let reader = async {
            let mut seen = Vec::new();
            let mut after = "0".to_owned();
            while seen.len() < WRITERS * EACH {
                let page = feed(&app, "CM00001", &format!("?after={after}&limit=7&wait=5")).await;
                let mut last: i64 = after.parse().expect("number");
                for id in ids(&page) {
                    let position: i64 = id.parse().expect("number");
                    assert!(position > last, "event {position} after {last}");
                    last = position;
                    seen.push(position);
                }
                after = page["next_cursor"].as_str().expect("cursor").to_owned();
            }
            seen
        };
        let (_, seen) = futures_util::future::join(writers, reader).await;
        assert_eq!(seen.iter().collect::<HashSet<_>>().len(), WRITERS * EACH);
        // Read from the start again: the same events, in the same order, nothing more.
        let mut again = Vec::new();
        let mut after = "0".to_owned();
        loop {
            let page = feed(&app, "CM00001", &format!("?after={after}&limit=500")).await;
            let page_ids = ids(&page);
            if page_ids.is_empty() {
                break;
            }
            again.extend(page_ids.iter().map(|id| id.parse::<i64>().expect("number")));
            after = page["next_cursor"].as_str().expect("cursor").to_owned();
        }
        assert_eq!(again, seen);
    }
}
