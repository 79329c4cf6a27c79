//! The API's conventions (api.md §1–2, §11): request ids, problem details, media types, sizes,
//! health, metrics and the offline API reference.

use awc::http::Method;
use serde_json::json;

use crate::on_both_backends;
use crate::support::*;

async fn raw_post(app: &TestApp, path: &str, content_type: &str, body: Vec<u8>) -> Reply {
    let token = app.token("CR00001").await;
    let response = app
        .client
        .post(format!("{}{path}", app.base_url))
        .bearer_auth(token)
        .insert_header(("content-type", content_type))
        .send_body(body)
        .await
        .expect("an answer");
    let mut response = response;
    let body = response.body().limit(8 * 1024 * 1024).await.map(|b| b.to_vec()).unwrap_or_default();
    Reply { status: response.status(), headers: response.headers().clone(), body }
}

on_both_backends! {
    async fn every_response_carries_a_request_id(app) {
        let generated = app.call(Method::GET, "/health/live", None, None, &[]).await.expect(200);
        let id = generated.header("x-request-id").expect("a generated id");
        assert_eq!(uuid::Uuid::parse_str(&id).map(|u| u.get_version_num()).ok(), Some(4));

        let echoed = app.call(Method::GET, "/health/live", None, None, &[("x-request-id", "case-system-42")]).await;
        assert_eq!(echoed.header("x-request-id").as_deref(), Some("case-system-42"));
        let replaced = app.call(Method::GET, "/health/live", None, None, &[("x-request-id", "bad id with spaces")]).await;
        assert_ne!(replaced.header("x-request-id").as_deref(), Some("bad id with spaces"));

        let problem = app.call(Method::GET, "/v1/claims/x", Some("CR00001"), None, &[("x-request-id", "trace-7")]).await;
        assert_eq!(problem.json()["request_id"], "trace-7");
    }
}

on_both_backends! {
    async fn bodies_are_checked_before_they_are_read(app) {
        let malformed = raw_post(&app, "/v1/claims", "application/json", b"{\n  \"cnf\": {,\n}".to_vec()).await.expect(400);
        let body = malformed.json();
        assert_eq!(body["code"], "malformed_json");
        assert_eq!(body["detail"], "malformed JSON at line 2 column 11");
        assert_eq!(malformed.header("content-type").as_deref(), Some("application/problem+json"));

        let wrong_type = raw_post(&app, "/v1/claims", "text/plain", b"{}".to_vec()).await.expect(415);
        assert_eq!(wrong_type.json()["code"], "unsupported_media_type");

        let mut huge = b"{\"cnf\": \"".to_vec();
        huge.extend(std::iter::repeat_n(b'a', 1024 * 1024));
        huge.extend(b"\"}");
        let too_large = raw_post(&app, "/v1/claims", "application/json", huge).await.expect(413);
        assert_eq!(too_large.json()["code"], "payload_too_large");
    }
}

on_both_backends! {
    async fn unknown_routes_are_problems_too(app) {
        let reply = app.call(Method::GET, "/v1/nothing-here", Some("CR00001"), None, &[]).await.expect(404);
        assert_eq!(reply.json()["code"], "not_found");
        assert_eq!(reply.json()["instance"], "/v1/nothing-here");
    }
}

on_both_backends! {
    /// A path the API has, with a method it does not take, is a `405` naming the methods it does.
    async fn unsupported_methods_are_405_with_allow(app) {
        for (method, path, allow) in [
            (Method::TRACE, "/v1/claims", "GET, POST"),
            (Method::DELETE, "/v1/claims", "GET, POST"),
            (Method::PUT, "/v1/claims/0190a3e1-0000-7000-8000-000000000000", "GET"),
            (Method::GET, "/v1/admin/organisations/CM00001/legal-hold", "DELETE, POST"),
            // A literal path is its own route, not a claim whose id is "validate".
            (Method::GET, "/v1/claims/validate", "POST"),
        ] {
            let reply = app.call(method.clone(), path, Some("CR00001"), None, &[]).await.expect(405);
            assert_eq!(reply.header("allow").as_deref(), Some(allow), "{method} {path}");
            assert_eq!(reply.json()["code"], "method_not_allowed");
            assert!(reply.header("content-type").is_some_and(|t| t.starts_with("application/problem+json")));
        }
        app.call(Method::TRACE, "/v1/nothing-here", Some("CR00001"), None, &[]).await.expect(404);
        app.get("CR00001", "/v1/claims/not-a-claim-id").await.expect(404);
        let docs = app.call(Method::GET, "/docs", None, None, &[]).await.expect(308);
        assert_eq!(docs.header("location").as_deref(), Some("/docs/"));
    }
}

on_both_backends! {
    async fn health_and_metrics(app) {
        assert_eq!(app.call(Method::GET, "/health/live", None, None, &[]).await.expect(200).json(), json!({ "status": "ok" }));
        assert_eq!(app.call(Method::GET, "/health/ready", None, None, &[]).await.expect(200).json(), json!({ "status": "ok" }));
        app.get("CR00001", "/v1/claims").await.expect(200);
        let metrics = app.call(Method::GET, "/metrics", None, None, &[]).await.expect(200);
        let text = String::from_utf8(metrics.body).expect("text");
        assert!(text.contains(r#"claims_exchange_http_requests_total{method="GET",route="/v1/claims",status="200"} 1"#), "{text}");
        assert!(text.contains("claims_exchange_http_request_duration_seconds_bucket"));
        assert!(text.contains(r#"claims_exchange_db_pool_connections{state="max"} 8"#));
    }
}

on_both_backends! {
    /// `/docs` serves Swagger UI from the binary: no page or asset names another host.
    async fn the_api_reference_works_offline(app) {
        let redirect = app.call(Method::GET, "/docs", None, None, &[]).await;
        assert_eq!(redirect.status.as_u16(), 308);
        let page = app.call(Method::GET, "/docs/", None, None, &[]).await.expect(200);
        let html = String::from_utf8(page.body).expect("html");
        assert!(html.contains("swagger-ui"), "{html}");
        let mut assets = Vec::new();
        for attribute in ["src=\"", "href=\""] {
            for part in html.split(attribute).skip(1) {
                assets.push(part.split('"').next().unwrap_or_default().to_owned());
            }
        }
        assert!(!assets.is_empty());
        for asset in assets {
            assert!(!asset.starts_with("http") && !asset.starts_with("//"), "external asset {asset}");
            let path = if asset.starts_with('/') { asset.clone() } else { format!("/docs/{}", asset.trim_start_matches("./")) };
            let reply = app.call(Method::GET, &path, None, None, &[]).await;
            assert_eq!(reply.status.as_u16(), 200, "{path}");
        }
        let initializer = app.call(Method::GET, "/docs/swagger-initializer.js", None, None, &[]).await.expect(200);
        let script = String::from_utf8(initializer.body).expect("js");
        assert!(script.contains("/openapi.json"), "{script}");
        assert!(!script.contains("https://"), "{script}");
    }
}
