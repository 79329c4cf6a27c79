//! Operator endpoints, the directory and client secrets.

use awc::http::Method;
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::*;

async fn token_for(app: &TestApp, client_id: &str, secret: &str) -> Reply {
    app.token_request(&[
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("client_secret", secret),
    ])
    .await
}

on_both_backends! {
    async fn the_operator_registers_organisations_and_issues_clients(app) {
        let created = app
            .post("OP00001", "/v1/admin/organisations", &json!({
                "kind": "compensator", "name": "Harbour Mutual", "compensator_type": "insurer", "group": "harbour"
            }))
            .await
            .expect(201)
            .json();
        assert_eq!(created["code"], "CM00005", "the next free compensator code");
        let explicit = app
            .post("OP00001", "/v1/admin/organisations", &json!({ "code": "CR00042", "kind": "claimant_representative", "name": "Quay Law" }))
            .await
            .expect(201)
            .json();
        assert_eq!(explicit["code"], "CR00042");
        let taken = app
            .post("OP00001", "/v1/admin/organisations", &json!({ "code": "CR00042", "kind": "claimant_representative", "name": "Again" }))
            .await
            .expect(409);
        assert_eq!(taken.json()["code"], "organisation_exists");
        let invalid = app
            .post("OP00001", "/v1/admin/organisations", &json!({ "code": "CM00077", "kind": "claimant_representative", "name": " ", "compensator_type": "mib" }))
            .await
            .expect(422);
        let fields: Vec<String> = invalid.field_errors().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["code", "compensator_type", "name"]);

        let issued = app.post("OP00001", "/v1/admin/organisations/CM00005/clients", &json!({ "label": "platform" })).await.expect(201).json();
        assert_eq!(issued["role"], "claims");
        let client_id = issued["client_id"].as_str().expect("id").to_owned();
        let secret = issued["client_secret"].as_str().expect("secret").to_owned();
        let token = token_for(&app, &client_id, &secret).await.expect(200).json()["access_token"].as_str().expect("token").to_owned();
        let use_token = |token: String| {
            let request = app.client.get(format!("{}/v1/claims", app.base_url)).bearer_auth(token);
            async move { request.send().await.expect("answer").status().as_u16() }
        };
        assert_eq!(use_token(token.clone()).await, 200);

        // A new compensator can be addressed at once.
        let mut cnf = rta();
        cnf["defendant"]["compensator"] = json!("CM00005");
        app.submit("CR00001", &cnf).await.expect(201);

        let clients = app.get("OP00001", "/v1/admin/organisations/CM00005/clients").await.expect(200).json();
        assert_eq!(clients[0]["client_id"], client_id.as_str());
        assert!(clients[0].get("client_secret").is_none());

        app.call(Method::POST, &format!("/v1/admin/clients/{client_id}/disable"), Some("OP00001"), None, &[]).await.expect(204);
        assert_eq!(use_token(token).await, 401, "a disabled client's tokens stop working");
        token_for(&app, &client_id, &secret).await.expect(401);
        app.call(Method::POST, "/v1/admin/clients/nobody/disable", Some("OP00001"), None, &[]).await.expect(404);
    }
}

on_both_backends! {
    async fn operator_endpoints_need_the_operator_role(app) {
        let reply = app.post("CR00001", "/v1/admin/organisations", &json!({ "kind": "operator", "name": "Me" })).await.expect(403);
        assert_eq!(reply.json()["code"], "forbidden");
        app.get("CM00001", "/v1/admin/organisations").await.expect(403);
    }
}

on_both_backends! {
    async fn the_directory_lists_claim_parties_only(app) {
        let all = app.get("CR00001", "/v1/organisations").await.expect(200).json();
        let codes: Vec<&str> = all["items"].as_array().expect("items").iter().filter_map(|o| o["code"].as_str()).collect();
        assert_eq!(codes, ["CM00001", "CM00002", "CM00003", "CM00004", "CR00001", "CR00002"]);
        assert_eq!(all["items"][2], json!({
            "code": "CM00003", "kind": "compensator", "name": "Motor Insurers' Bureau", "compensator_type": "mib", "group": null
        }));

        let compensators = app.get("CR00001", "/v1/organisations?kind=compensator&limit=3").await.expect(200).json();
        assert_eq!(compensators["items"].as_array().map(Vec::len), Some(3));
        let cursor = compensators["next_cursor"].as_str().expect("a next page");
        let rest = app.get("CR00001", &format!("/v1/organisations?kind=compensator&limit=3&cursor={cursor}")).await.expect(200).json();
        assert_eq!(rest["items"][0]["code"], "CM00004");
        assert_eq!(rest["next_cursor"], Value::Null);

        let search = app.get("CR00001", "/v1/organisations?q=northern").await.expect(200).json();
        assert_eq!(search["items"].as_array().map(Vec::len), Some(2));
        let by_code = app.get("CR00001", "/v1/organisations?q=cm00003").await.expect(200).json();
        assert_eq!(by_code["items"][0]["code"], "CM00003");
        let literal = app.get("CR00001", "/v1/organisations?q=%25").await.expect(200).json();
        assert_eq!(literal["items"], json!([]), "LIKE wildcards match literally");

        let admin = app.get("OP00001", "/v1/admin/organisations?kind=operator").await.expect(200).json();
        assert_eq!(admin["items"][0]["code"], "OP00001");
    }
}

on_both_backends! {
    async fn a_rotated_secret_overlaps_the_old_one_for_seven_days(app) {
        let client = app.credentials("CM00002").clone();
        let rotated = app.call(Method::POST, "/v1/clients/me/secret", Some("CM00002"), None, &[]).await.expect(201).json();
        let new_secret = rotated["client_secret"].as_str().expect("secret").to_owned();
        assert_ne!(new_secret, client.client_secret);
        // Seven days of the hub's real clock (credentials never follow the sandbox clock).
        let until = instant(rotated["previous_secret_valid_until"].as_str().expect("until"));
        let expected = claims_domain::Clock::now(app.real_clock.as_ref()) + chrono::Duration::days(7);
        assert!((expected - until).num_seconds().abs() < 60, "seven days after the rotation: {until}");
        token_for(&app, &client.client_id, &client.client_secret).await.expect(200);
        token_for(&app, &client.client_id, &new_secret).await.expect(200);

        app.set_clock("2025-09-30T09:10:00Z").await.expect(200);
        token_for(&app, &client.client_id, &client.client_secret).await.expect(200);
        app.advance_real_clock(chrono::Duration::days(7) + chrono::Duration::minutes(10));
        token_for(&app, &client.client_id, &client.client_secret).await.expect(401);
        token_for(&app, &client.client_id, &new_secret).await.expect(200);
    }
}
