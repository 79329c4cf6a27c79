//! Hostile and careless input: control characters anywhere, bodies with many faults, integers
//! written as `850000.0`, bodies that mean the same but are spelt differently, and `If-Match` as
//! RFC 9110 reads it.

use awc::http::Method;
use serde_json::{Value, json};

use crate::on_both_backends;
use crate::support::flow::*;
use crate::support::*;

fn pair(field: &str, code: &str) -> (String, String) {
    (field.to_owned(), code.to_owned())
}

/// No message may show Rust's names for types.
fn assert_plain_words(reply: &Reply) {
    // The request id is random hex: leave it out, or "f64" can turn up inside it.
    let mut problem = reply.json();
    if let Some(members) = problem.as_object_mut() {
        members.remove("request_id");
    }
    let body = problem.to_string();
    for rust in
        ["i64", "u32", "u64", "i32", "f64", "struct ", "sequence", "a map", "Option", "NaiveDate", "String"]
    {
        assert!(!body.contains(rust), "{rust} in {body}");
    }
}

on_both_backends! {
    /// A NUL (or another control character) in any text is a 4xx naming the field, never a 500,
    /// on both databases, wherever the text arrives.
    async fn control_characters_are_refused_wherever_text_arrives(app) {
        for (pointer, text) in [
            ("/claimant/first_name", "Ja\u{0}ne"),
            ("/accident/description", "Rear-ended\u{0}"),
            ("/injury/description", "whiplash\r"),
            ("/representative/case_reference", "RTA/\u{7}1"),
            ("/liability/reasons", "\u{1b}[31mred"),
        ] {
            let mut cnf = rta();
            *cnf.pointer_mut(pointer).expect("a field") = json!(text);
            let reply = app.submit("CR00001", &cnf).await.expect(422);
            let field = format!("cnf{}", pointer.replace('/', "."));
            assert!(reply.field_errors().contains(&pair(&field, "control_character")), "{field}: {:?}", reply.field_errors());
            assert!(!String::from_utf8_lossy(&reply.body).contains(text), "the value is not echoed");
        }
        // Tabs and newlines are text.
        let mut cnf = rta();
        cnf["accident"]["description"] = json!("Line one\nline two\twith a tab");
        app.submit("CR00001", &cnf).await.expect(201);

        // Query parameters: 400 naming the parameter.
        let reply = app.get("CR00001", "/v1/claims?reference=RTA%00X").await.expect(400);
        assert_eq!(reply.json()["code"], "invalid_query");
        assert!(reply.json()["detail"].as_str().unwrap_or_default().contains("reference"));
        app.get("CR00001", "/v1/organisations?q=North%00ern").await.expect(400);
        // A path naming something with a control character names nothing.
        app.call(Method::POST, "/v1/admin/clients/cr00001-sandbox%00/disable", Some("OP00001"), None, &[])
            .await
            .expect(404);

        // Attachment titles.
        let id = submitted(&app, &rta()).await;
        let (content_type, body) = multipart("report.pdf", b"%PDF-1.4 report", "Medical\u{0}report");
        let reply = app
            .send_raw(Method::POST, &format!("/v1/claims/{id}/attachments"), "CR00001", &content_type, body, &[])
            .await
            .expect(422);
        assert_eq!(reply.field_errors(), [pair("title", "control_character")]);

        // Organisation names and client labels (operator endpoints).
        let organisation = json!({ "kind": "compensator", "name": "Harbour\u{0}Mutual", "compensator_type": "insurer" });
        let reply = app.post("OP00001", "/v1/admin/organisations", &organisation).await.expect(422);
        assert_eq!(reply.field_errors(), [pair("name", "control_character")]);
        let reply = app.post("OP00001", "/v1/admin/organisations/CM00001/clients", &json!({ "label": "prod\u{0}" })).await.expect(422);
        assert_eq!(reply.field_errors(), [pair("label", "control_character")]);

        // The unauthenticated token endpoint: an OAuth error, not a 500.
        let reply = app
            .token_request(&[("grant_type", "client_credentials"), ("client_id", "cr00001\u{0}"), ("client_secret", "x")])
            .await
            .expect(400);
        assert_eq!(reply.json()["error"], "invalid_request");

        // And nothing of the refused requests was stored.
        let list = app.get("CR00001", "/v1/claims").await.expect(200).json();
        assert_eq!(list["items"].as_array().map(Vec::len), Some(2));
    }
}

on_both_backends! {
    /// An almost empty form hears of every missing section and field at once.
    async fn an_almost_empty_form_lists_every_missing_field(app) {
        let reply = app.submit("CR00001", &json!({ "claim": { "type": "rta" } })).await.expect(422);
        let errors = reply.field_errors();
        for field in [
            "cnf.claim.value_band",
            "cnf.claim.injury_damages_estimate_pence",
            "cnf.claim.total_value_estimate_pence",
            "cnf.claim.signatory",
            "cnf.claim.statement_of_truth",
            "cnf.claimant",
            "cnf.representative",
            "cnf.defendant",
            "cnf.injury",
            "cnf.liability",
        ] {
            assert!(errors.contains(&pair(field, "required")), "{field} in {errors:?}");
        }
        assert_eq!(reply.json()["detail"], format!("{} fields are invalid", errors.len()));
        assert_plain_words(&reply);
    }
}

on_both_backends! {
    /// Missing fields, wrong JSON types, unknown members and the content rules of the rest of the
    /// form come back together, each under its JSON path.
    async fn shape_faults_and_content_rules_are_reported_together(app) {
        let mut cnf = rta();
        let claimant = cnf["claimant"].as_object_mut().expect("claimant");
        claimant.remove("surname");
        claimant.insert("national_insurance_number".to_owned(), json!("QQ123456C"));
        cnf["injury"]["whiplash"] = json!("yes");
        cnf["claim"]["total_value_estimate_pence"] = json!("lots");
        cnf["accident"]["time"] = json!("24:00");
        cnf["defendant"]["colour"] = json!("red");
        cnf["injury"]["hospitals"][0]["name"] = json!(42);
        let reply = app.submit("CR00001", &cnf).await.expect(422);
        assert_eq!(
            reply.field_errors(),
            [
                pair("cnf.accident.time", "invalid_time"),
                pair("cnf.claim.total_value_estimate_pence", "invalid_type"),
                pair("cnf.claimant.national_insurance_number", "invalid_ni_number"),
                pair("cnf.claimant.surname", "required"),
                pair("cnf.defendant.colour", "unknown_field"),
                pair("cnf.injury.hospitals[0].name", "invalid_type"),
                pair("cnf.injury.whiplash", "invalid_type"),
            ]
        );
        let messages: Vec<String> =
            reply.json()["errors"].as_array().expect("errors").iter().map(|e| e["message"].as_str().unwrap_or("").to_owned()).collect();
        assert!(messages.contains(&"must be a whole number of pence".to_owned()), "{messages:?}");
        assert!(messages.contains(&"must be true or false".to_owned()), "{messages:?}");
        assert_plain_words(&reply);
        // Action bodies too.
        let id = submitted(&app, &rta()).await;
        let reply = act(&app, "CM00001", &id, "decide-liability", json!({ "outcome": "maybe", "rehabilitation_offered": 1 }))
            .await
            .expect(422);
        assert_eq!(
            reply.field_errors(),
            [
                pair("claimant_date_of_birth", "required"),
                pair("compensator_contact", "required"),
                pair("outcome", "invalid_value"),
                pair("rehabilitation_offered", "invalid_type"),
            ]
        );
        assert_plain_words(&reply);
    }
}

on_both_backends! {
    /// JSON Schema's integers: `850000.0` is the integer 850000; `850000.5` is no whole number.
    async fn integral_numbers_are_integers(app) {
        let mut cnf = rta();
        cnf["claim"]["total_value_estimate_pence"] = json!(850000.0);
        let claim = app.submit_ok("CR00001", &cnf).await;
        assert_eq!(claim["cnf"]["claim"]["total_value_estimate_pence"], json!(850000));
        cnf["claim"]["total_value_estimate_pence"] = json!(850000.5);
        let reply = app.submit("CR00001", &cnf).await.expect(422);
        assert_eq!(reply.field_errors(), [pair("cnf.claim.total_value_estimate_pence", "invalid_type")]);
        assert_eq!(reply.json()["errors"][0]["message"], "must be a whole number of pence");
        cnf["claim"]["total_value_estimate_pence"] = json!(1e300);
        let reply = app.submit("CR00001", &cnf).await.expect(422);
        assert_eq!(reply.field_errors(), [pair("cnf.claim.total_value_estimate_pence", "out_of_range")]);
        assert_plain_words(&reply);
    }
}

on_both_backends! {
    /// The same request spelt differently (members reordered, other whitespace, `1.0` for `1`)
    /// under the same key is a replay, not a reuse of the key.
    async fn idempotency_compares_what_the_body_means(app) {
        let cnf = rta();
        let compact = serde_json::to_vec(&json!({ "cnf": cnf })).expect("json");
        let first = app
            .send_raw(Method::POST, "/v1/claims", "CR00001", "application/json", compact, &[("idempotency-key", "same-meaning")])
            .await
            .expect(201);
        let mut reordered = reorder(&json!({ "cnf": cnf }));
        reordered["cnf"]["claim"]["total_value_estimate_pence"] =
            json!(cnf["claim"]["total_value_estimate_pence"].as_i64().expect("pence") as f64);
        let spaced = serde_json::to_vec_pretty(&reordered).expect("json");
        let second = app
            .send_raw(Method::POST, "/v1/claims", "CR00001", "application/json", spaced, &[("idempotency-key", "same-meaning")])
            .await
            .expect(201);
        assert_eq!(second.header("idempotent-replayed").as_deref(), Some("true"));
        assert_eq!(first.body, second.body);
        let list = app.get("CR00001", "/v1/claims").await.expect(200).json();
        assert_eq!(list["items"].as_array().map(Vec::len), Some(1));
    }
}

/// The value with every object's members in reverse order (text order differs, meaning not).
fn reorder(value: &Value) -> Value {
    match value {
        Value::Object(members) => {
            let mut reversed = serde_json::Map::new();
            for (name, member) in members.iter().rev() {
                reversed.insert(name.clone(), reorder(member));
            }
            Value::Object(reversed)
        }
        Value::Array(items) => Value::Array(items.iter().map(reorder).collect()),
        other => other.clone(),
    }
}

on_both_backends! {
    /// `If-Match` as RFC 9110 says: `*` matches any current claim, a list matches when one of its
    /// strong tags is current, weak tags never match, and a `412` names what was sent.
    async fn if_match_follows_rfc_9110(app) {
        let id = submitted(&app, &rta()).await;
        let ack = json!({ "compensator_reference": "NMI/1" });
        act_with(&app, "CM00001", &id, "acknowledge", ack, Some("*")).await.expect(200);
        let (claim, etag) = read(&app, "CM00001", &id).await;
        assert_eq!(claim["version"], 2);

        let article_75 = json!({});
        let weak = act_with(&app, "CM00001", &id, "declare-article-75", article_75.clone(), Some(&format!("W/{etag}")))
            .await
            .expect(412);
        assert!(weak.json()["detail"].as_str().unwrap_or_default().contains("weak"));
        let stale = act_with(&app, "CM00001", &id, "declare-article-75", article_75.clone(), Some("\"7\"")).await.expect(412);
        let body = stale.json();
        assert_eq!(body["current_version"], 2);
        assert!(body["detail"].as_str().unwrap_or_default().contains("not 7"), "{body}");
        assert!(!body["detail"].as_str().unwrap_or_default().contains("-1"), "{body}");
        let garbage = act_with(&app, "CM00001", &id, "declare-article-75", article_75.clone(), Some("two")).await.expect(412);
        assert_eq!(garbage.json()["current_version"], 2);

        // The body is judged before the precondition: a body that could never succeed gets its
        // 422 (or 400) whatever If-Match says, and a good body with a stale tag its 412.
        let unknown = act_with(&app, "CM00001", &id, "declare-article-75", json!({ "why": 1 }), Some("\"7\"")).await.expect(422);
        assert_eq!(unknown.field_errors(), [pair("why", "unknown_field")]);
        let invalid = json!({ "outcome": "admitted", "reasons": "" });
        act_with(&app, "CM00001", &id, "decide-liability", invalid.clone(), Some("\"7\"")).await.expect(422);
        act_with(&app, "CM00001", &id, "decide-liability", invalid, None).await.expect(422);
        act_with(&app, "CM00001", &id, "declare-article-75", json!({}), None).await.expect(428);

        act_with(&app, "CM00001", &id, "declare-article-75", article_75, Some("\"1\", W/\"2\", \"2\"")).await.expect(200);
        let (claim, _) = read(&app, "CM00001", &id).await;
        assert_eq!(claim["version"], 3);
    }
}
