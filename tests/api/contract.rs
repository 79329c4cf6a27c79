//! The contract: the committed OpenAPI document is the one the code generates.

#[test]
fn the_committed_openapi_document_is_current() {
    let generated = claims_http::openapi_json();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if generated != committed && std::env::var("UPDATE_OPENAPI").is_ok_and(|v| v == "1") {
        std::fs::write(path, &generated).expect("writing openapi/openapi.json");
        return;
    }
    assert!(
        generated == committed,
        "openapi/openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test --test api contract` \
         (or `cargo run -- openapi > openapi/openapi.json`) and commit the result"
    );
}

#[test]
fn every_operation_is_documented_and_secured_where_it_needs_a_token() {
    let document: serde_json::Value = serde_json::from_str(&claims_http::openapi_json()).expect("JSON");
    assert_eq!(document["openapi"], "3.1.0");
    let public = ["/oauth/token", "/.well-known/jwks.json", "/health/live", "/health/ready", "/metrics"];
    for (path, operations) in document["paths"].as_object().expect("paths") {
        for (method, operation) in operations.as_object().expect("operations") {
            assert!(operation["operationId"].is_string(), "{method} {path} has no operationId");
            assert!(operation["summary"].is_string(), "{method} {path} has no summary");
            let secured = operation["security"].as_array().is_some_and(|s| !s.is_empty());
            assert_eq!(secured, !public.contains(&path.as_str()), "{method} {path} security");
            if let Some(content) = operation["requestBody"]["content"]["application/json"].as_object() {
                let has_example = content.contains_key("example")
                    || content.contains_key("examples")
                    || content["schema"]["$ref"].as_str().is_some_and(|r| {
                        let name = r.rsplit('/').next().unwrap_or_default();
                        document["components"]["schemas"][name]["example"].is_object()
                    });
                assert!(has_example, "{method} {path} has a request body without an example");
            }
        }
    }
}

/// Every `$ref` resolves and every enum lists the words clients send (snake_case, as serialised),
/// not the Rust variant names.
#[test]
fn references_resolve_and_enums_are_wire_words() {
    let document: serde_json::Value = serde_json::from_str(&claims_http::openapi_json()).expect("JSON");
    fn walk(value: &serde_json::Value, document: &serde_json::Value, path: &str) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(target) = map.get("$ref").and_then(|r| r.as_str()) {
                    let pointer = target.trim_start_matches('#');
                    assert!(document.pointer(pointer).is_some(), "{path}: {target} does not resolve");
                }
                if let Some(words) = map.get("enum").and_then(|e| e.as_array()) {
                    for word in words.iter().filter_map(|w| w.as_str()) {
                        // Snake-case words, or media types (`application/pdf`).
                        let media_type = word.split_once('/').is_some_and(|(kind, _)| !kind.is_empty());
                        let wire = media_type
                            || word.chars().all(|c| {
                                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.')
                            });
                        assert!(wire, "{path}: enum value {word:?} is not a wire word");
                    }
                }
                for (key, child) in map {
                    walk(child, document, &format!("{path}/{key}"));
                }
            }
            serde_json::Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    walk(child, document, &format!("{path}/{index}"));
                }
            }
            _ => {}
        }
    }
    walk(&document["paths"], &document, "paths");
    walk(&document["components"], &document, "components");
}

fn document() -> serde_json::Value {
    serde_json::from_str(&claims_http::openapi_json()).expect("JSON")
}

/// The statuses an operation documents, its own or by reference to a standard response.
fn statuses(operation: &serde_json::Value) -> Vec<String> {
    operation["responses"].as_object().expect("responses").keys().cloned().collect()
}

/// Each kind of operation documents the errors the hub gives it, as problem documents, with
/// `Retry-After` where the client should wait.
#[test]
fn every_operation_documents_the_errors_it_can_give() {
    let document = document();
    for (path, operations) in document["paths"].as_object().expect("paths") {
        for (method, operation) in operations.as_object().expect("operations") {
            let have = statuses(operation);
            let mut want = vec!["400", "429", "503"];
            if operation["security"].as_array().is_some_and(|s| !s.is_empty()) {
                want.extend(["401", "403"]);
            }
            if operation.get("requestBody").is_some() {
                want.extend(["413", "415", "422"]);
            }
            if path.contains('{') {
                want.push("404");
            }
            let parameters = operation["parameters"].as_array().cloned().unwrap_or_default();
            if parameters.iter().any(|p| p["name"] == "If-Match") {
                want.extend(["409", "412", "428"]);
            }
            for status in want {
                assert!(have.iter().any(|h| h == status), "{method} {path} does not document {status}");
            }
        }
    }
    for name in ["TooManyRequests", "ServiceUnavailable"] {
        let response = &document["components"]["responses"][name];
        assert!(response["headers"]["Retry-After"].is_object(), "{name} names Retry-After");
        assert!(
            response["content"]["application/problem+json"]["schema"]["$ref"].is_string(),
            "{name} is a problem"
        );
    }
}

/// Links name operations that exist and parameters those operations take, so a tester can chain
/// a claim's life from its submission: the id into the path, the ETag into `If-Match`.
#[test]
fn links_chain_a_claims_id_and_etag_into_its_actions() {
    let document = document();
    let mut operations = std::collections::BTreeMap::new();
    for item in document["paths"].as_object().expect("paths").values() {
        for operation in item.as_object().expect("operations").values() {
            operations.insert(operation["operationId"].as_str().expect("id").to_owned(), operation.clone());
        }
    }
    let mut links = 0;
    for operation in operations.values() {
        for response in operation["responses"].as_object().expect("responses").values() {
            for (name, link) in response["links"].as_object().into_iter().flatten() {
                links += 1;
                let target =
                    link["operationId"].as_str().unwrap_or_else(|| panic!("link {name} has an operationId"));
                let target = operations.get(target).unwrap_or_else(|| panic!("link {name} names {target}"));
                for parameter in link["parameters"].as_object().expect("parameters").keys() {
                    let (location, wanted) = parameter.split_once('.').expect("qualified parameter");
                    let known = target["parameters"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|p| p["in"] == location && p["name"] == wanted);
                    assert!(known, "link {name}: {parameter} is not a parameter of its target");
                }
            }
        }
    }
    assert!(links > 50, "links: {links}");
    let submitted = &operations["submit_claim"]["responses"]["201"]["links"]["acknowledge"];
    assert_eq!(submitted["parameters"]["path.id"], "$response.body#/id");
    assert_eq!(submitted["parameters"]["header.If-Match"], "$response.header.ETag");
    let acknowledged = &operations["acknowledge"]["responses"]["200"]["links"]["get_claim"];
    assert_eq!(acknowledged["parameters"]["path.id"], "$response.body#/id");
    // What a POST creates links to the operations on it, the collection's parameters passed on.
    let uploaded = &operations["upload_attachment"]["responses"]["201"]["links"]["download_attachment"];
    assert_eq!(uploaded["parameters"]["path.attachment_id"], "$response.body#/id");
    assert_eq!(uploaded["parameters"]["path.id"], "$request.path.id");
    let registered = &operations["create_organisation"]["responses"]["201"]["links"]["create_client"];
    assert_eq!(registered["parameters"]["path.code"], "$response.body#/code");
}

/// The limits the hub applies are in the schemas, so generated clients and testers know them.
#[test]
fn limits_are_in_the_schemas() {
    let document = document();
    let list = document["paths"]["/v1/claims"]["get"]["parameters"].as_array().expect("parameters").clone();
    let limit = list.iter().find(|p| p["name"] == "limit").expect("limit");
    assert_eq!(
        (limit["schema"]["minimum"].as_i64(), limit["schema"]["maximum"].as_i64()),
        (Some(1), Some(500))
    );
    let submit =
        document["paths"]["/v1/claims"]["post"]["parameters"].as_array().expect("parameters").clone();
    let key = submit.iter().find(|p| p["name"] == "Idempotency-Key").expect("key");
    assert_eq!(key["schema"]["maxLength"], 255);
    let schemas = &document["components"]["schemas"];
    assert_eq!(schemas["Cnf"]["properties"]["other_parties"]["maxItems"], 6);
    assert!(schemas["Address"]["properties"]["postcode"]["pattern"].is_string());
    assert_eq!(
        schemas["Page_ClaimSummary"]["properties"]["items"]["items"]["$ref"],
        "#/components/schemas/ClaimSummary"
    );
    assert_eq!(schemas["TokenRequest"]["required"], serde_json::json!(["grant_type"]));
    let download = &document["paths"]["/v1/claims/{id}/attachments/{attachment_id}"]["get"]["responses"]["200"]
        ["content"];
    for media_type in ["application/pdf", "image/png", "image/jpeg", "image/tiff", "text/plain"] {
        assert_eq!(download[media_type]["schema"]["format"], "binary", "{media_type}");
    }
}

/// Following the document's links as a stateful tester does (the read's `id`, `ETag` and link
/// body, nothing else) takes a claim from submitted through acknowledgement to Stage 2.
#[actix_web::test]
async fn following_the_links_takes_a_claim_into_stage_2() {
    use crate::support::{Backend, TestApp};
    use actix_web::http::Method;
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else { return };
    let document = document();
    let read_links = &document["paths"]["/v1/claims/{id}"]["get"]["responses"]["200"]["links"];
    let cnf = &document["paths"]["/v1/claims"]["post"]["requestBody"]["content"]["application/json"]["examples"]
        ["rta"]["value"];
    let id = app.post("CR00001", "/v1/claims", cnf).await.expect(201).json()["id"]
        .as_str()
        .expect("id")
        .to_owned();
    for (step, then) in
        [("acknowledge", "awaiting_liability_decision"), ("decide_liability", "liability_admitted")]
    {
        let read = app.get("CM00001", &format!("/v1/claims/{id}")).await.expect(200);
        let link = &read_links[step];
        assert_eq!(link["parameters"]["path.id"], "$response.body#/id", "{step}");
        assert_eq!(link["parameters"]["header.If-Match"], "$response.header.ETag", "{step}");
        assert_eq!(link["x-schemathesis"]["merge_body"], false, "{step}: the body is sent whole");
        let etag = read.header("etag").expect("an ETag");
        let path = format!(
            "/v1/claims/{}/actions/{}",
            read.json()["id"].as_str().expect("id"),
            step.replace('_', "-")
        );
        let reply = app
            .call(Method::POST, &path, Some("CM00001"), Some(&link["requestBody"]), &[("If-Match", &etag)])
            .await;
        assert_eq!(reply.status.as_u16(), 200, "{step}: {}", String::from_utf8_lossy(&reply.body));
        assert_eq!(reply.json()["status"], then, "{step}");
    }
}

/// A member that another member's value requires is written as `if`/`then`/`else`, and the hub
/// answers as the schema says: a refusal without its ground, or a ground without a refusal, is 422.
#[actix_web::test]
async fn conditional_members_are_in_the_schema_and_enforced() {
    use crate::support::{Backend, TestApp};
    use serde_json::json;
    let schema = &document()["components"]["schemas"]["CloseDsrRequest"];
    assert_eq!(schema["if"]["properties"]["outcome"]["const"], "refused");
    assert_eq!(schema["then"]["required"], json!(["ground"]));
    assert_eq!(schema["else"]["properties"]["ground"]["type"], "null");
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else { return };
    let claim = app.submit_ok("CR00001", &crate::support::rta()).await;
    let id = claim["id"].as_str().expect("id");
    let open = json!({ "kind": "access", "received_on": "2025-08-20", "reference": "DSR-1" });
    let request =
        app.post("CR00001", &format!("/v1/claims/{id}/data-subject-requests"), &open).await.expect(201);
    let close =
        format!("/v1/claims/{id}/data-subject-requests/{}/close", request.json()["id"].as_str().expect("id"));
    for (body, code) in [
        (json!({ "outcome": "refused" }), "required"),
        (json!({ "outcome": "completed", "ground": "Article 15(4)" }), "not_applicable"),
    ] {
        let reply = app.post("CR00001", &close, &body).await.expect(422);
        assert_eq!(reply.json()["errors"][0]["field"], "ground", "{body}");
        assert_eq!(reply.json()["errors"][0]["code"], code, "{body}");
    }
    let refused = json!({ "outcome": "refused", "ground": "Article 15(4)" });
    assert_eq!(app.post("CR00001", &close, &refused).await.expect(200).json()["outcome"], "refused");
}
