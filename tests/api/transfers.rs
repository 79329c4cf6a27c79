//! Scenarios 18 and 19: bulk transfers and changes of representative.

use awc::http::Method;
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::flow::*;
use crate::support::*;

async fn bulk(app: &TestApp, body: Value) -> Reply {
    app.post("OP00001", "/v1/admin/bulk-transfers", &body).await
}

on_both_backends! {
    /// Scenario 18: 150 open claims and a withdrawn one move from CR00001 to CR00002 in one go.
    async fn scenario_18_bulk_transfer(app) {
        let mut open = Vec::new();
        for n in 0..150 {
            // Half to each of two compensators.
            let mut cnf = rta();
            cnf["defendant"]["compensator"] = json!(if n % 2 == 0 { "CM00001" } else { "CM00004" });
            open.push(submitted(&app, &cnf).await);
        }
        let withdrawn = submitted(&app, &rta()).await;
        act(&app, "CR00001", &withdrawn, "withdraw", json!({})).await.expect(200);
        let (before, _) = read(&app, "CM00001", &open[0]).await;

        let report = bulk(&app, json!({ "from": "CR00001", "to": "CR00002", "claim_ids": null })).await.expect(200).json();
        let moved: Vec<&str> = report["moved"].as_array().expect("moved").iter().filter_map(Value::as_str).collect();
        assert_eq!(moved.len(), 150);
        assert!(open.iter().all(|id| moved.contains(&id.as_str())));
        assert_eq!(report["skipped"], json!([{ "claim_id": withdrawn, "reason": "terminal" }]));

        let (after, _) = read(&app, "CR00002", &open[0]).await;
        assert_eq!(after["claimant_representative"]["code"], "CR00002");
        assert_eq!(after["created_by"], "CR00001");
        assert_eq!(after["deadlines"], before["deadlines"], "deadlines untouched");
        assert_eq!(after["version"], before["version"].as_i64().unwrap_or(0) + 1);
        for id in [&open[0], &open[1], &open[149]] {
            app.get("CR00001", &format!("/v1/claims/{id}")).await.expect(404);
        }
        app.get("CR00001", &format!("/v1/claims/{withdrawn}")).await.expect(200);

        for code in ["CR00002", "CM00001"] {
            let page = app.get(code, "/v1/events?limit=500").await.expect(200).json();
            let transfer = page["items"].as_array().expect("items").iter()
                .find(|e| e["claim_id"] == open[0].as_str() && e["type"] == "claim.transferred")
                .unwrap_or_else(|| panic!("{code} was told"))
                .clone();
            assert_eq!((transfer["data"]["from"].clone(), transfer["data"]["to"].clone()), (json!("CR00001"), json!("CR00002")));
            assert_eq!(transfer["actor"]["organisation"], "OP00001");
            assert!(transfer["data"]["at"].is_string());
        }
        // CR00001 keeps its own earlier events, and the transfer, and nothing after.
        let a_events = event_types(&app, "CR00001", &open[0]).await;
        assert_eq!(a_events, ["claim.submitted", "claim.transferred"]);
        let compensator_list = app.get("CM00004", "/v1/claims?limit=500").await.expect(200).json();
        assert!(compensator_list["items"].as_array().expect("items").iter().all(|c| c["claimant_representative"] == "CR00002"));

        let across = bulk(&app, json!({ "from": "CR00002", "to": "CM00001", "claim_ids": null })).await.expect(422);
        assert_eq!(across.field_errors(), [("to".to_owned(), "different_kind".to_owned())]);
        app.post("CR00001", "/v1/admin/bulk-transfers", &json!({ "from": "CR00002", "to": "CR00001", "claim_ids": null })).await.expect(403);
    }
}

on_both_backends! {
    /// A listed bulk transfer moves exactly the listed open claims, between compensators too.
    async fn a_listed_bulk_transfer_between_compensators(app) {
        let kept = submitted(&app, &rta()).await;
        let first = submitted(&app, &rta()).await;
        let second = submitted(&app, &rta()).await;
        let stranger = uuid::Uuid::now_v7().to_string();
        let report = bulk(&app, json!({ "from": "CM00001", "to": "CM00002", "claim_ids": [first, second, stranger] })).await.expect(200).json();
        assert_eq!(report["moved"].as_array().map(Vec::len), Some(2));
        assert_eq!(report["skipped"], json!([{ "claim_id": stranger, "reason": "not_found" }]));
        app.get("CM00002", &format!("/v1/claims/{first}")).await.expect(200);
        app.get("CM00001", &format!("/v1/claims/{first}")).await.expect(404);
        app.get("CM00001", &format!("/v1/claims/{kept}")).await.expect(200);
        assert_eq!(event_types(&app, "CR00001", &first).await, ["claim.submitted", "claim.transferred"]);
    }
}

on_both_backends! {
    /// Scenario 19: CR00001 offers a claim to CR00002; until it accepts, CR00001 still acts and
    /// CR00002 sees only the summary; after, CR00002 acts and CR00001 gets 404.
    async fn scenario_19_change_of_representative(app) {
        let id = submitted(&app, &rta()).await;
        let offered = act(&app, "CR00001", &id, "offer-transfer", json!({ "to": "CR00002" })).await.expect(200).json();
        assert_eq!(offered["allowed_actions"], json!(["exit", "withdraw", "cancel_transfer_offer", "request_erasure"]));
        app.get("CR00002", &format!("/v1/claims/{id}")).await.expect(404);
        let offers = app.get("CR00002", "/v1/transfer-offers").await.expect(200).json();
        let offer = offers["items"][0].clone();
        assert_eq!(offer["claim_id"], id.as_str());
        assert_eq!((offer["from"].clone(), offer["status"].clone()), (json!("CR00001"), json!("open")));
        assert!(offer.get("cnf").is_none() && !offer.to_string().contains("Example"), "no personal data");
        let told = app.get("CR00002", "/v1/events").await.expect(200).json();
        assert_eq!(told["items"].as_array().map(|i| i.iter().map(|e| e["type"].clone()).collect::<Vec<_>>()), Some(vec![json!("claim.transfer_offered")]));

        // Until accepted the claim is CR00001's: it still acts, and deadlines keep running.
        act(&app, "CM00001", &id, "acknowledge", json!({ "compensator_reference": "NMI/9" })).await.expect(200);
        let offer_id = offer["id"].as_str().expect("id").to_owned();
        app.call(Method::POST, &format!("/v1/transfer-offers/{offer_id}/accept"), Some("CR00001"), None, &[]).await.expect(404);

        let accepted = app.call(Method::POST, &format!("/v1/transfer-offers/{offer_id}/accept"), Some("CR00002"), None, &[]).await.expect(200).json();
        assert_eq!(accepted["claimant_representative"]["code"], "CR00002");
        assert_eq!(accepted["created_by"], "CR00001");
        app.get("CR00001", &format!("/v1/claims/{id}")).await.expect(404);
        act(&app, "CR00002", &id, "exit", json!({ "reason": "claim_unsuitable_complex" })).await.expect(200);
        assert_eq!(event_types(&app, "CR00001", &id).await, ["claim.submitted", "claim.transfer_offered", "claim.acknowledged", "claim.transferred"]);
        app.call(Method::POST, &format!("/v1/transfer-offers/{offer_id}/accept"), Some("CR00002"), None, &[]).await.expect(409);
        let history = app.get("CR00002", &format!("/v1/claims/{id}/history")).await.expect(200).json();
        let actions: Vec<&str> = history["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
        assert!(actions.contains(&"claim.transfer_offered") && actions.contains(&"claim.transfer_accepted"), "{actions:?}");
    }
}

on_both_backends! {
    /// Declined and cancelled offers leave the claim where it was.
    async fn declined_and_cancelled_offers(app) {
        let id = submitted(&app, &rta()).await;
        act(&app, "CR00001", &id, "offer-transfer", json!({ "to": "CR00002" })).await.expect(200);
        let offer_id = app.get("CR00002", "/v1/transfer-offers").await.expect(200).json()["items"][0]["id"].as_str().expect("id").to_owned();
        app.call(Method::POST, &format!("/v1/transfer-offers/{offer_id}/decline"), Some("CR00002"), None, &[]).await.expect(204);
        let (claim, _) = read(&app, "CR00001", &id).await;
        assert_eq!(claim["claimant_representative"]["code"], "CR00001");
        let outgoing = app.get("CR00001", "/v1/transfer-offers?direction=outgoing&status=all").await.expect(200).json();
        assert_eq!(outgoing["items"][0]["status"], "declined");

        act(&app, "CR00001", &id, "offer-transfer", json!({ "to": "CR00002" })).await.expect(200);
        act(&app, "CR00001", &id, "cancel-transfer-offer", json!({})).await.expect(200);
        assert_eq!(app.get("CR00002", "/v1/transfer-offers").await.expect(200).json()["items"], json!([]));
        let to_insurer = act(&app, "CR00001", &id, "offer-transfer", json!({ "to": "CM00002" })).await.expect(422);
        assert_eq!(to_insurer.json()["code"], "not_a_claimant_representative");
    }
}
