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
                        let wire = word
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.'));
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
