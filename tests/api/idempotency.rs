//! Scenario 23: a retried submission never creates a second claim.

use awc::http::Method;
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::*;

async fn submit_with_key(app: &TestApp, key: &str, cnf: &Value) -> Reply {
    let body = json!({ "cnf": cnf });
    app.call(Method::POST, "/v1/claims", Some("CR00001"), Some(&body), &[("idempotency-key", key)]).await
}

async fn claim_count(app: &TestApp) -> usize {
    let list = app.get("CR00001", "/v1/claims").await.expect(200).json();
    list["items"].as_array().map_or(0, Vec::len)
}

on_both_backends! {
    async fn a_repeat_with_the_same_key_returns_the_first_response(app) {
        let first = submit_with_key(&app, "retry-1", &rta()).await.expect(201);
        let second = submit_with_key(&app, "retry-1", &rta()).await.expect(201);
        assert_eq!(first.body, second.body, "the replay is byte for byte");
        assert_eq!(first.header("location"), second.header("location"));
        assert_eq!(first.header("idempotent-replayed"), None);
        assert_eq!(second.header("idempotent-replayed").as_deref(), Some("true"));
        assert_eq!(claim_count(&app).await, 1);

        let mut changed = rta();
        changed["claimant"]["first_name"] = json!("Sam");
        let reused = submit_with_key(&app, "retry-1", &changed).await.expect(422);
        assert_eq!(reused.json()["code"], "idempotency_key_reused");
        assert_eq!(claim_count(&app).await, 1);

        // The same key from another client is another key.
        let body = json!({ "cnf": rta() });
        app.call(Method::POST, "/v1/claims", Some("CR00002"), Some(&body), &[("idempotency-key", "retry-1")])
            .await
            .expect(201);

        let too_long = "k".repeat(256);
        let invalid = submit_with_key(&app, &too_long, &rta()).await.expect(400);
        assert_eq!(invalid.json()["code"], "invalid_idempotency_key");
    }
}

on_both_backends! {
    async fn twenty_concurrent_posts_with_one_key_create_one_claim(app) {
        let cnf = rta();
        let token = app.token("CR00001").await;
        let url = format!("{}/v1/claims", app.base_url);
        let body = json!({ "cnf": cnf });
        let requests = (0..20).map(|_| {
            app.client
                .post(url.clone())
                .bearer_auth(&token)
                .insert_header(("idempotency-key", "burst"))
                .send_json(&body)
        });
        let mut created = Vec::new();
        for response in futures_util::future::join_all(requests).await {
            let mut response = response.expect("an answer");
            let status = response.status().as_u16();
            let bytes = response.body().await.expect("a body").to_vec();
            match status {
                201 => created.push(bytes),
                409 => {
                    let problem: Value = serde_json::from_slice(&bytes).expect("problem");
                    assert_eq!(problem["code"], "idempotency_request_in_flight");
                }
                other => panic!("unexpected status {other}: {}", String::from_utf8_lossy(&bytes)),
            }
        }
        assert!(!created.is_empty());
        assert!(created.iter().all(|body| *body == created[0]), "every 201 is the same response");
        assert_eq!(claim_count(&app).await, 1);
        // After the burst, a retry gets the stored response.
        let retry = submit_with_key(&app, "burst", &cnf).await.expect(201);
        assert_eq!(retry.body, created[0]);
    }
}

on_both_backends! {
    async fn a_failed_request_does_not_use_up_its_key(app) {
        let mut invalid = rta();
        invalid["accident"]["time"] = json!("24:00");
        submit_with_key(&app, "fix-and-retry", &invalid).await.expect(422);
        submit_with_key(&app, "fix-and-retry", &rta()).await.expect(201);
        assert_eq!(claim_count(&app).await, 1);
    }
}
