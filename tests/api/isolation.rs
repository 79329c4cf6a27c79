//! Tenant isolation: for every route that takes a claim id, read from the API's own route table
//! (the OpenAPI document), an organisation that is not a party to the claim gets 404 — so a route
//! added later is covered without touching this test.

use awc::http::Method;
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::flow::*;
use crate::support::*;

on_both_backends! {
    async fn every_claim_route_answers_404_to_an_uninvolved_organisation(app) {
        let claim = admitted(&app, &rta()).await;
        let note = {
            let token = app.token("CR00001").await;
            let boundary = "b0undary";
            let body = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nNote\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"n.txt\"\r\n\r\nA note.\r\n--{boundary}--\r\n"
            );
            let mut response = app
                .client
                .post(format!("{}/v1/claims/{claim}/attachments", app.base_url))
                .bearer_auth(token)
                .insert_header(("content-type", format!("multipart/form-data; boundary={boundary}")))
                .send_body(body)
                .await
                .expect("answer");
            assert_eq!(response.status().as_u16(), 201);
            let created: Value = serde_json::from_slice(&response.body().await.expect("body")).expect("json");
            created["id"].as_str().expect("id").to_owned()
        };

        let document = app.call(Method::GET, "/openapi.json", None, None, &[]).await.expect(200).json();
        let mut checked = 0;
        for (template, operations) in document["paths"].as_object().expect("paths") {
            if !template.contains("{id}") || !template.starts_with("/v1/claims/") {
                continue;
            }
            let path = template.replace("{id}", &claim).replace("{attachment_id}", &note).replace("{kind}", "cnf")
                .replace("{request_id}", "0193a4c2-7f1e-7c3a-9b1d-2f4e6a8c0b12");
            for method in operations.as_object().expect("operations").keys() {
                let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
                for outsider in ["CR00002", "CM00004"] {
                    let body = (method == Method::POST).then(|| json!({}));
                    let reply = app.call(method.clone(), &path, Some(outsider), body.as_ref(), &[("if-match", "\"2\"")]).await;
                    assert_eq!(reply.status.as_u16(), 404, "{method} {template} as {outsider}: {}", String::from_utf8_lossy(&reply.body));
                    assert_eq!(reply.json()["code"], "not_found");
                    checked += 1;
                }
                // The parties themselves get past the visibility check on reads.
                if method == Method::GET {
                    let own = app.call(Method::GET, &path, Some("CM00001"), None, &[]).await;
                    assert_ne!(own.status.as_u16(), 404, "GET {template} as a party");
                }
            }
        }
        assert!(checked >= 2 * 30, "only {checked} checks: the route table was not read");
    }
}
