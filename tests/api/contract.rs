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
