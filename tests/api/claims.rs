//! Submitting, reading and listing claims; who can see them.

use awc::http::Method;
use claims_domain::claim_type::ClaimType;
use serde_json::json;

use crate::on_both_backends;
use crate::support::*;

on_both_backends! {
    /// The foundation's end-to-end flow: validate, submit, read back with an ETag, list; the
    /// compensator sees the claim; another representative cannot.
    async fn a_submitted_claim_is_visible_to_its_two_parties_only(app) {
        let cnf = rta();
        let valid = app.post("CR00001", "/v1/claims/validate", &json!({ "cnf": cnf })).await.expect(200);
        assert_eq!(valid.json(), json!({ "valid": true }));

        let created = app.submit("CR00001", &cnf).await.expect(201);
        let claim = created.json();
        let id = claim["id"].as_str().expect("an id").to_owned();
        assert_eq!(created.header("location").as_deref(), Some(format!("/v1/claims/{id}").as_str()));
        assert_eq!(created.header("etag").as_deref(), Some("\"1\""));
        assert_eq!(claim["status"], "submitted");
        assert_eq!(claim["version"], 1);
        assert_eq!(claim["type"], "rta");
        assert_eq!(claim["notification_date"], "2025-08-22");
        assert_eq!(claim["child"], false);
        assert_eq!(claim["created_by"], "CR00001");
        assert_eq!(claim["claimant_representative"], json!({ "code": "CR00001", "name": "Example Solicitors LLP" }));
        assert_eq!(claim["compensator"]["code"], "CM00001");
        assert_eq!(claim["references"]["claimant_representative"], "RTA/2024/0001");
        assert_eq!(claim["cnf"]["claimant"]["surname"], "Example");
        assert_eq!(uuid::Uuid::parse_str(&id).expect("a UUID").get_version_num(), 7);

        let path = format!("/v1/claims/{id}");
        let read = app.get("CR00001", &path).await.expect(200);
        assert_eq!(read.header("etag").as_deref(), Some("\"1\""));
        assert_eq!(read.json(), claim);
        let unchanged = app.call(Method::GET, &path, Some("CR00001"), None, &[("if-none-match", "\"1\"")]).await;
        assert_eq!(unchanged.status.as_u16(), 304);

        let listed = app.get("CR00001", "/v1/claims").await.expect(200).json();
        assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
        assert_eq!(listed["items"][0]["id"], id.as_str());
        assert_eq!(listed["next_cursor"], serde_json::Value::Null);

        let seen_by_compensator = app.get("CM00001", &path).await.expect(200).json();
        assert_eq!(seen_by_compensator["id"], id.as_str());
        let compensator_list = app.get("CM00001", "/v1/claims").await.expect(200).json();
        assert_eq!(compensator_list["items"][0]["id"], id.as_str());

        for outsider in ["CR00002", "CM00002", "CM00004"] {
            let reply = app.get(outsider, &path).await.expect(404);
            assert_eq!(reply.json()["code"], "not_found");
            let list = app.get(outsider, "/v1/claims").await.expect(200).json();
            assert_eq!(list["items"], json!([]), "{outsider} sees the claim in its list");
        }
        // A claim that does not exist looks exactly like one that belongs to others.
        let missing = app.get("CR00002", &format!("/v1/claims/{}", uuid::Uuid::now_v7())).await.expect(404);
        assert_eq!(missing.json()["code"], "not_found");
        app.get("CR00001", "/v1/claims/not-a-uuid").await.expect(404);
    }
}

on_both_backends! {
    /// Every example of the OpenAPI document is accepted unchanged from CR00001.
    async fn the_documented_examples_are_accepted_as_they_are(app) {
        let document = app.call(Method::GET, "/openapi.json", None, None, &[]).await.expect(200).json();
        let examples = &document["paths"]["/v1/claims"]["post"]["requestBody"]["content"]["application/json"]["examples"];
        for claim_type in ["rta", "el_accident", "el_disease", "pl", "oic_rta"] {
            let body = &examples[claim_type]["value"];
            let claim = app.post("CR00001", "/v1/claims", body).await.expect(201).json();
            assert_eq!(claim["type"], claim_type);
            assert_eq!(claim["compensator"]["code"], "CM00001");
        }
    }
}

on_both_backends! {
    /// Lists come newest first, page by page, without repeats or gaps, and filter.
    async fn claims_are_listed_newest_first_in_pages(app) {
        let mut ids = Vec::new();
        for claim_type in [ClaimType::Rta, ClaimType::ElAccident, ClaimType::Pl, ClaimType::ElDisease, ClaimType::Rta] {
            let mut cnf = example(claim_type);
            cnf["representative"]["case_reference"] = json!(format!("REF-{}", ids.len()));
            ids.push(app.submit_ok("CR00001", &cnf).await["id"].as_str().expect("id").to_owned());
        }
        let mut seen = Vec::new();
        let mut path = "/v1/claims?limit=2".to_owned();
        loop {
            let page = app.get("CR00001", &path).await.expect(200).json();
            let items = page["items"].as_array().expect("items").clone();
            assert!(items.len() <= 2);
            seen.extend(items.iter().map(|i| i["id"].as_str().expect("id").to_owned()));
            match page["next_cursor"].as_str() {
                Some(cursor) => path = format!("/v1/claims?limit=2&cursor={cursor}"),
                None => break,
            }
        }
        ids.reverse();
        assert_eq!(seen, ids);

        let rta_only = app.get("CR00001", "/v1/claims?type=rta").await.expect(200).json();
        assert_eq!(rta_only["items"].as_array().map(Vec::len), Some(2));
        let by_reference = app.get("CR00001", "/v1/claims?reference=REF-2").await.expect(200).json();
        assert_eq!(by_reference["items"][0]["type"], "pl");
        let by_counterparty = app.get("CR00001", "/v1/claims?counterparty=CM00002").await.expect(200).json();
        assert_eq!(by_counterparty["items"], json!([]));
        let submitted = app.get("CM00001", "/v1/claims?status=submitted&counterparty=CR00001").await.expect(200).json();
        assert_eq!(submitted["items"].as_array().map(Vec::len), Some(5));
        let later = app.get("CR00001", "/v1/claims?updated_since=2025-08-23T00:00:00Z").await.expect(200).json();
        assert_eq!(later["items"], json!([]));

        let bad = app.get("CR00001", "/v1/claims?cursor=nonsense").await.expect(400);
        assert_eq!(bad.json()["code"], "invalid_cursor");
        app.get("CR00001", "/v1/claims?limit=501").await.expect(400);
        let unknown = app.get("CR00001", "/v1/claims?colour=red").await.expect(400);
        assert_eq!(unknown.json()["code"], "invalid_query");
    }
}

on_both_backends! {
    /// Only claimant representatives submit; compensators and operators are refused.
    async fn only_claimant_representatives_submit(app) {
        let reply = app.submit("CM00001", &rta()).await.expect(403);
        assert_eq!(reply.json()["code"], "forbidden");
        app.submit("OP00001", &rta()).await.expect(403);
        app.get("OP00001", "/v1/claims").await.expect(403);
    }
}

on_both_backends! {
    /// A claimant under 18 on the notification date is a child, whatever the client says.
    async fn the_child_flag_comes_from_the_date_of_birth(app) {
        let mut cnf = example(ClaimType::Pl);
        cnf["claimant"]["date_of_birth"] = json!("2008-08-23");
        let claim = app.submit_ok("CR00001", &cnf).await;
        assert_eq!(claim["child"], true);
        let mut cnf = example(ClaimType::Pl);
        cnf["claimant"]["date_of_birth"] = json!("2007-08-22");
        assert_eq!(app.submit_ok("CR00001", &cnf).await["child"], false);
    }
}

on_both_backends! {
    /// A walk through the list neither repeats nor skips a claim that changes while it walks:
    /// the walk sees the claims as they stood when it began.
    async fn a_walk_is_stable_while_claims_change(app) {
        let mut ids = Vec::new();
        for _ in 0..6 {
            ids.push(app.submit_ok("CR00001", &rta()).await["id"].as_str().expect("id").to_owned());
        }
        let newest_first: Vec<String> = ids.iter().rev().cloned().collect();
        let first = app.get("CM00001", "/v1/claims?limit=2").await.expect(200).json();
        let mut seen: Vec<String> = first["items"].as_array().expect("items").iter().map(|i| i["id"].as_str().expect("id").to_owned()).collect();
        assert_eq!(seen, newest_first[..2]);

        // One claim already listed and one not yet listed change mid-walk.
        for id in [&ids[1], &ids[5]] {
            let path = format!("/v1/claims/{id}");
            let etag = app.get("CM00001", &path).await.expect(200).header("etag").expect("etag");
            let body = json!({ "compensator_reference": "CM/1" });
            app.call(Method::POST, &format!("{path}/actions/acknowledge"), Some("CM00001"), Some(&body), &[("if-match", &etag)])
                .await
                .expect(200);
        }
        // And a new claim arrives: it was not there when the walk began.
        app.submit_ok("CR00001", &rta()).await;

        let mut cursor = first["next_cursor"].as_str().expect("cursor").to_owned();
        loop {
            let page = app.get("CM00001", &format!("/v1/claims?limit=2&cursor={cursor}")).await.expect(200).json();
            seen.extend(page["items"].as_array().expect("items").iter().map(|i| i["id"].as_str().expect("id").to_owned()));
            match page["next_cursor"].as_str() {
                Some(next) => cursor = next.to_owned(),
                None => break,
            }
        }
        assert_eq!(seen, newest_first, "each claim once, in the order the walk began with");

        // A new walk sees the changes: the claims acknowledged last come first, after the new one.
        let fresh = app.get("CM00001", "/v1/claims?limit=3").await.expect(200).json();
        let order: Vec<&str> = fresh["items"].as_array().expect("items").iter().map(|i| i["id"].as_str().expect("id")).collect();
        assert_eq!(order[1..], [ids[5].as_str(), ids[1].as_str()]);
    }
}

/// The ids of a claims page, in order.
fn ids_of(page: &serde_json::Value) -> Vec<String> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["id"].as_str().expect("id").to_owned())
        .collect()
}

/// Acknowledges a claim as `CM00001`: a change that moves it to the top of the list.
async fn acknowledge(app: &TestApp, id: &str) {
    let path = format!("/v1/claims/{id}");
    let etag = app.get("CM00001", &path).await.expect(200).header("etag").expect("etag");
    let body = json!({ "compensator_reference": "CM/1" });
    app.call(
        Method::POST,
        &format!("{path}/actions/acknowledge"),
        Some("CM00001"),
        Some(&body),
        &[("if-match", &etag)],
    )
    .await
    .expect(200);
}

on_both_backends! {
    /// A cursor is the hub's own: one altered or made up is refused, one older than its lifetime
    /// is refused as expired, and another hub process on the same database takes it.
    async fn cursors_cannot_be_altered_and_expire(app) {
        use base64::Engine;
        use base64::engine::general_purpose::URL_SAFE_NO_PAD;
        for _ in 0..3 {
            app.submit_ok("CR00001", &rta()).await;
        }
        let first = app.get("CR00001", "/v1/claims?limit=1").await.expect(200).json();
        let cursor = first["next_cursor"].as_str().expect("cursor").to_owned();

        // Its payload is readable JSON behind a 16-byte tag; moving the walk's start (`as_of`)
        // a year on, or writing a cursor without a tag, is refused.
        let bytes = URL_SAFE_NO_PAD.decode(&cursor).expect("base64url");
        let (tag, payload) = bytes.split_at(16);
        let text = String::from_utf8(payload.to_vec()).expect("JSON");
        assert!(text.contains("\"as_of\":\"2025-"), "{text}");
        let altered = text.replace("\"as_of\":\"2025-", "\"as_of\":\"2026-");
        for forged in [
            URL_SAFE_NO_PAD.encode([tag, altered.as_bytes()].concat()),
            URL_SAFE_NO_PAD.encode(altered.as_bytes()),
            URL_SAFE_NO_PAD.encode(payload),
        ] {
            let refused = app.get("CR00001", &format!("/v1/claims?limit=1&cursor={forged}")).await.expect(400);
            assert_eq!(refused.json()["code"], "invalid_cursor");
        }

        // Another hub on the database reads the walk on.
        let other = app.another_on_the_same_database(0).await;
        let second = other.get("CR00001", &format!("/v1/claims?limit=1&cursor={cursor}")).await.expect(200).json();
        assert_eq!(ids_of(&second).len(), 1);
        assert_ne!(ids_of(&second), ids_of(&first));

        // An hour on by the hub's real clock, the cursor has expired (the sandbox clock has no say).
        app.advance_real_clock(chrono::Duration::minutes(61));
        let expired = app.get("CR00001", &format!("/v1/claims?limit=1&cursor={cursor}")).await.expect(400);
        assert_eq!(expired.json()["code"], "cursor_expired");
        // The other lists' cursors are sealed the same way.
        let bad = app.get("CR00001", "/v1/data-subject-requests?cursor=eyJhZnRlciI6IlgifQ").await.expect(400);
        assert_eq!(bad.json()["code"], "invalid_cursor");
        other.stop().await;
    }
}

crate::on_both_backends_with! {
    |settings| settings.walk_changed_limit = 2;
    /// A walk re-places the claims that changed since it began, up to a bound: with more changed
    /// than that, its next page is refused as expired (its cost would grow with them) and a new
    /// walk from the first page sees everything.
    async fn a_walk_with_too_much_changed_must_start_again(app) {
        let mut ids = Vec::new();
        for _ in 0..5 {
            ids.push(app.submit_ok("CR00001", &rta()).await["id"].as_str().expect("id").to_owned());
        }
        let first = app.get("CM00001", "/v1/claims?limit=2").await.expect(200).json();
        let cursor = first["next_cursor"].as_str().expect("cursor").to_owned();
        acknowledge(&app, &ids[0]).await;
        acknowledge(&app, &ids[1]).await;
        // Two changed: within the bound, the walk goes on as it began (the oldest two now,
        // the order they had).
        let second = app.get("CM00001", &format!("/v1/claims?limit=2&cursor={cursor}")).await.expect(200).json();
        assert_eq!(ids_of(&second), [ids[2].clone(), ids[1].clone()]);

        acknowledge(&app, &ids[2]).await;
        let refused = app.get("CM00001", &format!("/v1/claims?limit=2&cursor={cursor}")).await.expect(400);
        assert_eq!(refused.json()["code"], "cursor_expired");
        let fresh = app.get("CM00001", "/v1/claims?limit=5").await.expect(200).json();
        assert_eq!(ids_of(&fresh), [&ids[2], &ids[1], &ids[0], &ids[4], &ids[3]].map(String::clone));
    }
}
