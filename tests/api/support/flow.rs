//! Helpers for walking claims through their lifecycle over HTTP.

use awc::http::Method;
use serde_json::{Value, json};

use super::{Reply, TestApp, multipart};

/// The claim as `code` sees it, with its ETag.
pub async fn read(app: &TestApp, code: &str, id: &str) -> (Value, String) {
    let reply = app.get(code, &format!("/v1/claims/{id}")).await.expect(200);
    let etag = reply.header("etag").expect("an ETag");
    (reply.json(), etag)
}

/// Sends an action with the claim's current ETag (as `code` reads it).
pub async fn act(app: &TestApp, code: &str, id: &str, action: &str, body: Value) -> Reply {
    let (_, etag) = read(app, code, id).await;
    act_with(app, code, id, action, body, Some(&etag)).await
}

pub async fn act_with(
    app: &TestApp,
    code: &str,
    id: &str,
    action: &str,
    body: Value,
    etag: Option<&str>,
) -> Reply {
    let path = format!("/v1/claims/{id}/actions/{action}");
    let headers: Vec<(&str, &str)> = etag.map(|e| ("if-match", e)).into_iter().collect();
    app.call(Method::POST, &path, Some(code), Some(&body), &headers).await
}

pub fn deadline<'a>(claim: &'a Value, name: &str) -> &'a Value {
    claim["deadlines"].as_array().and_then(|d| d.iter().find(|d| d["name"] == name)).expect("deadline")
}

pub fn decision(outcome: &str) -> Value {
    json!({
        "outcome": outcome,
        "compensator_contact": { "name": "Pat Adjuster", "telephone": "0161 496 0000", "email": "pat@example-insurer.test" },
        "rehabilitation_offered": true,
        "repairs_offered": false,
        "replacement_vehicle_offered": false,
        "claimant_date_of_birth": "1985-06-14"
    })
}

/// A small-claims liability decision of `outcome`, from `submitted` (so with a reference).
pub fn small_decision(outcome: &str) -> Value {
    let mut body = decision(outcome);
    let fields = body.as_object_mut().expect("object");
    fields.remove("repairs_offered");
    fields.remove("replacement_vehicle_offered");
    body["compensator_reference"] = json!("NMI/OIC/1");
    body
}

pub async fn submitted(app: &TestApp, cnf: &Value) -> String {
    app.submit_ok("CR00001", cnf).await["id"].as_str().expect("id").to_owned()
}

pub async fn acknowledged(app: &TestApp, cnf: &Value) -> String {
    let id = submitted(app, cnf).await;
    act(app, "CM00001", &id, "acknowledge", json!({ "compensator_reference": "NMI/1" })).await.expect(200);
    id
}

pub async fn event_types(app: &TestApp, code: &str, claim: &str) -> Vec<String> {
    let page = app.get(code, "/v1/events?limit=500").await.expect(200).json();
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|e| e["claim_id"] == claim)
        .map(|e| e["type"].as_str().expect("type").to_owned())
        .collect()
}

/// A claim of `cnf`, admitted (liability decided by CM00001 straight from `submitted`).
pub async fn admitted(app: &TestApp, cnf: &Value) -> String {
    let id = submitted(app, cnf).await;
    let mut body = decision("admitted");
    body["compensator_reference"] = json!("NMI/ADM");
    if cnf["claim"]["type"] != "rta" {
        let fields = body.as_object_mut().expect("object");
        fields.remove("repairs_offered");
        fields.remove("replacement_vehicle_offered");
    }
    act(app, "CM00001", &id, "decide-liability", body).await.expect(200);
    id
}

/// A table of losses: `(head, gross pence)` lines.
pub fn losses(lines: &[(&str, i64)]) -> Value {
    json!(
        lines
            .iter()
            .map(|(head, gross)| json!({ "head": head, "gross_pence": gross, "evidence_attached": true }))
            .collect::<Vec<_>>()
    )
}

pub fn pack(lines: &[(&str, i64)]) -> Value {
    json!({
        "losses": losses(lines),
        "medical_report_references": ["MR-1"],
        "statement_of_truth": true
    })
}

pub fn offer(gross: i64) -> Value {
    json!({ "losses": losses(&[("general_damages", gross)]), "gross_pence": gross })
}

/// The open deadline's due date, as a string.
pub fn open_due(claim: &Value, name: &str) -> String {
    claim["deadlines"]
        .as_array()
        .and_then(|d| d.iter().find(|d| d["name"] == name && d["status"] == "open"))
        .and_then(|d| d["due_date"].as_str())
        .unwrap_or_else(|| panic!("no open {name} deadline in {claim}"))
        .to_owned()
}

/// Uploads a file to a claim as `code` (`multipart/form-data`, titled "Medical report").
pub async fn upload(app: &TestApp, code: &str, claim: &str, file_name: &str, bytes: &[u8]) -> Reply {
    let (content_type, body) = multipart(file_name, bytes, "Medical report");
    let token = app.token(code).await;
    let mut response = app
        .client
        .post(format!("{}/v1/claims/{claim}/attachments", app.base_url))
        .bearer_auth(token)
        .insert_header(("content-type", content_type))
        .send_body(body)
        .await
        .expect("an answer");
    let body = response.body().limit(1 << 20).await.map(|b| b.to_vec()).unwrap_or_default();
    Reply { status: response.status(), headers: response.headers().clone(), body }
}

/// The text of a PDF, page by page, as a PDF reader extracts it.
pub fn pdf_text(bytes: &[u8]) -> String {
    let document = lopdf::Document::load_mem(bytes).expect("a PDF the parser reads");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    document.extract_text(&pages).expect("text")
}
