//! Several hub processes on one PostgreSQL database (run here as two servers in one process,
//! sharing the database and the sandbox clock): deadline consequences are applied exactly once and
//! the feed stays gap-free and ordered, whichever process serves it.

use std::collections::HashMap;
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::*;

const CLAIMS: usize = 24;

async fn get(app: &TestApp, base_url: &str, token: &str, path: &str) -> Value {
    let mut response =
        app.client.get(format!("{base_url}{path}")).bearer_auth(token).send().await.expect("answer");
    assert_eq!(response.status().as_u16(), 200, "{path}");
    serde_json::from_slice(&response.body().limit(16 << 20).await.expect("body")).expect("json")
}

async fn whole_feed(app: &TestApp, base_url: &str, token: &str) -> Vec<Value> {
    let mut events = Vec::new();
    let mut after = "0".to_owned();
    loop {
        let page = get(app, base_url, token, &format!("/v1/events?after={after}&limit=500")).await;
        let items = page["items"].as_array().expect("items").clone();
        if items.is_empty() {
            return events;
        }
        after = page["next_cursor"].as_str().expect("cursor").to_owned();
        events.extend(items);
    }
}

#[actix_web::test]
async fn two_hubs_apply_each_deadline_consequence_once_and_keep_the_feed_whole() {
    let Some(first) = TestApp::spawn_sweeping(Backend::Postgres, 1).await else { return };
    let second = first.another_on_the_same_database(1).await;
    // The second hub issued new sandbox secrets; the first hub's still work, from either hub.
    let representative = first.token("CR00001").await;

    // Claims submitted through both hubs.
    let mut ids = Vec::new();
    for n in 0..CLAIMS {
        let base = if n % 2 == 0 { &first.base_url } else { &second.base_url };
        let mut response = first
            .client
            .post(format!("{base}/v1/claims"))
            .bearer_auth(&representative)
            .send_json(&json!({ "cnf": rta() }))
            .await
            .expect("answer");
        assert_eq!(response.status().as_u16(), 201);
        let claim: Value = serde_json::from_slice(&response.body().await.expect("body")).expect("json");
        ids.push(claim["id"].as_str().expect("id").to_owned());
    }

    // Time passes the liability deadline, moved through one hub; both sweepers find the same
    // claims due (the second reads the shared clock from the database).
    first.set_clock("2025-09-16T08:00:00Z").await.expect(200);
    let compensator = second.token("CM00001").await;
    let mut exited = 0;
    for _ in 0..150 {
        let page = get(&first, &second.base_url, &compensator, "/v1/claims?status=exited&limit=500").await;
        exited = page["items"].as_array().map_or(0, Vec::len);
        if exited == CLAIMS {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(exited, CLAIMS, "every claim exited");
    // Let both sweepers run again: a second application would show now.
    actix_web::rt::time::sleep(Duration::from_millis(2500)).await;

    let through_first = whole_feed(&first, &first.base_url, &compensator).await;
    let through_second = whole_feed(&first, &second.base_url, &compensator).await;
    assert_eq!(through_first, through_second, "both hubs serve the same feed");
    let positions: Vec<i64> =
        through_first.iter().map(|e| e["id"].as_str().and_then(|i| i.parse().ok()).expect("id")).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "ordered, no repeats");

    let mut per_claim: HashMap<String, Vec<String>> = HashMap::new();
    for event in &through_first {
        per_claim
            .entry(event["claim_id"].as_str().expect("claim").to_owned())
            .or_default()
            .push(event["type"].as_str().expect("type").to_owned());
    }
    for id in &ids {
        let types = &per_claim[id];
        assert_eq!(
            types,
            // The jump passed both deadlines at once, so no reminder was due any more.
            &["claim.submitted", "claim.deadline_missed", "claim.deadline_missed", "claim.exited"],
            "claim {id}"
        );
        let history = get(&first, &first.base_url, &compensator, &format!("/v1/claims/{id}/history")).await;
        let applied = history["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter(|e| e["action"] == "claim.time_passed")
            .count();
        assert_eq!(applied, 1, "the consequence was applied once for {id}");
    }
    assert_eq!(through_first.len(), CLAIMS * 4);
}

/// A client disabled through one hub process loses access through the others too: at once in
/// the process that disabled it, and within a second (how long a process takes a client's
/// standing as read) in the others.
#[actix_web::test]
async fn a_client_disabled_through_one_hub_is_refused_by_the_other() {
    let Some(first) = TestApp::spawn(Backend::Postgres).await else { return };
    let second = first.another_on_the_same_database(0).await;
    let token = first.token("CR00001").await;
    let status = |base: String| {
        let request = first.client.get(format!("{base}/v1/claims")).bearer_auth(&token);
        async move { request.send().await.expect("answer").status().as_u16() }
    };
    // The first hub has just read the client's standing.
    assert_eq!(status(first.base_url.clone()).await, 200);
    let client_id = first.credentials("CR00001").client_id.clone();
    second
        .call(
            awc::http::Method::POST,
            &format!("/v1/admin/clients/{client_id}/disable"),
            Some("OP00001"),
            None,
            &[],
        )
        .await
        .expect(204);
    assert_eq!(status(second.base_url.clone()).await, 401, "at once where it was disabled");
    let mut refused = false;
    for _ in 0..30 {
        if status(first.base_url.clone()).await == 401 {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(refused, "the other hub still let the disabled client in after 3 s");
    second.stop().await;
}
