//! Every example the OpenAPI document gives for a claim action is accepted, exactly as written,
//! by a claim in a status where the action is allowed and by the party whose example it is. The
//! examples are read from the document itself, so a new action or example without a setup here
//! fails the test.

use serde_json::{Value, json};

use crate::support::flow::*;
use crate::support::*;

/// The day the examples are tried on (their dates are chosen for it).
const EXAMPLE_DAY: &str = "2026-04-01T09:00:00Z";

/// `(operation id, example name, example body)` of every claim action in the document.
fn action_examples(document: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    for (path, operations) in document["paths"].as_object().expect("paths") {
        if !path.starts_with("/v1/claims/{id}/actions/") {
            continue;
        }
        let operation = &operations["post"];
        let id = operation["operationId"].as_str().expect("operation id").to_owned();
        let content = &operation["requestBody"]["content"]["application/json"];
        match content["examples"].as_object() {
            Some(named) => {
                for (name, example) in named {
                    found.push((id.clone(), name.clone(), example["value"].clone()));
                }
            }
            None => {
                let reference = content["schema"]["$ref"].as_str().expect("a schema reference");
                let schema = &document["components"]["schemas"][reference.rsplit('/').next().unwrap_or("")];
                let example = schema.get("example").cloned().unwrap_or_else(|| panic!("{id} has no example"));
                found.push((id.clone(), "schema".to_owned(), example));
            }
        }
    }
    found
}

/// The states the examples are shown for.
#[derive(Clone, Copy, Debug)]
enum State {
    Submitted,
    Acknowledged,
    Rejected,
    Admitted,
    InterimRequested(i64),
    InterimPaidInFull,
    InterimPaidInPart,
    PackSent,
    /// Negotiating, the claimant representative to answer.
    ClaimantsTurn,
    /// Negotiating, the compensator to answer.
    CompensatorsTurn,
    Settled,
    ChildSettled,
    CourtPackSent,
    TransferOffered,
    /// Small claims (`oic_rta`).
    SmallSubmitted,
    SmallDenied,
    SmallInCourt,
    SmallAdmitted,
    SmallReported,
    SmallOfferRequested,
    SmallRemovalProposed,
    ErasurePending,
}

/// Where each example is tried, and by whom.
fn setup_for(operation: &str, example: &str) -> (State, &'static str) {
    use State::*;
    let (cr, cm) = ("CR00001", "CM00001");
    match (operation, example) {
        ("acknowledge" | "reject" | "reassign", _) => (Submitted, cm),
        ("decide_liability", "from_submitted") => (Submitted, cm),
        ("decide_liability", "after_acknowledgement") => (Acknowledged, cm),
        ("declare_article_75" | "allege_fraud", _) => (Acknowledged, cm),
        ("resubmit", _) => (Rejected, cr),
        ("withdraw" | "offer_transfer", _) => (Submitted, cr),
        ("cancel_transfer_offer", _) => (TransferOffered, cr),
        ("exit", _) => (Admitted, cr),
        ("request_interim_payment" | "send_settlement_pack", _) => (Admitted, cr),
        ("respond_interim_payment", _) => (InterimRequested(100_000), cm),
        ("extend_interim_deadline", _) => (InterimRequested(250_000), cm),
        ("accept_partial_interim" | "decline_partial_interim", _) => (InterimPaidInPart, cr),
        ("confirm_interim_received", _) => (InterimPaidInFull, cr),
        ("respond_settlement_pack" | "extend_consideration_period" | "record_payment", _) => (PackSent, cm),
        ("counter_offer", "claimant_representative") => (ClaimantsTurn, cr),
        ("counter_offer", "compensator") => (CompensatorsTurn, cm),
        ("accept_offer", _) => (ClaimantsTurn, cr),
        ("confirm_settlement_received", _) => (Settled, cr),
        ("send_court_pack", _) => (ChildSettled, cr),
        ("respond_court_pack", _) => (CourtPackSent, cm),
        ("accept_liability_decision" | "exit_to_court", _) => (SmallDenied, cr),
        ("resume_after_court", _) => (SmallInCourt, cr),
        ("add_medical_report", _) => (SmallAdmitted, cr),
        ("set_losses" | "request_offer", _) => (SmallReported, cr),
        ("make_offer", _) => (SmallOfferRequested, cm),
        ("propose_removal", _) => (SmallSubmitted, cm),
        ("object_to_removal", _) => (SmallRemovalProposed, cr),
        ("request_erasure", _) => (Submitted, cm),
        ("cancel_erasure", _) => (ErasurePending, cr),
        (operation, example) => {
            panic!(
                "no setup for example {example} of {operation}: say in tests/api/examples.rs where it applies"
            )
        }
    }
}

/// A claim brought to `state` by the steps a client would take.
async fn claim_in(app: &TestApp, state: State) -> String {
    use State::*;
    let step = |id: String, code: &'static str, action: &'static str, body: Value| async move {
        act(app, code, &id, action, body).await.expect(200);
        id
    };
    let counter = json!({ "response": "counter_offer", "counter_offer": offer(700_000) });
    match state {
        Submitted => submitted(app, &rta()).await,
        Acknowledged => acknowledged(app, &rta()).await,
        Rejected => {
            let id = submitted(app, &rta()).await;
            step(id, "CM00001", "reject", json!({ "reason": "wrong_compensator" })).await
        }
        Admitted => admitted(app, &rta()).await,
        InterimRequested(amount) => {
            let body = json!({ "amount_pence": amount, "medical_report_reference": "MR-1", "losses": losses(&[("vehicle_repair", amount)]) });
            step(admitted(app, &rta()).await, "CR00001", "request-interim-payment", body).await
        }
        InterimPaidInFull => {
            let id = Box::pin(claim_in(app, InterimRequested(100_000))).await;
            step(id, "CM00001", "respond-interim-payment", json!({ "response": "paid_in_full" })).await
        }
        InterimPaidInPart => {
            let id = Box::pin(claim_in(app, InterimRequested(250_000))).await;
            let body = json!({ "response": "paid_in_part", "amount_pence": 150_000 });
            step(id, "CM00001", "respond-interim-payment", body).await
        }
        PackSent => {
            let id = admitted(app, &rta()).await;
            step(
                id,
                "CR00001",
                "send-settlement-pack",
                pack(&[("general_damages", 600_000), ("vehicle_repair", 300_000)]),
            )
            .await
        }
        ClaimantsTurn => {
            let id = Box::pin(claim_in(app, PackSent)).await;
            step(id, "CM00001", "respond-settlement-pack", counter).await
        }
        CompensatorsTurn => {
            let id = Box::pin(claim_in(app, ClaimantsTurn)).await;
            step(id, "CR00001", "counter-offer", offer(820_000)).await
        }
        Settled => {
            let id = Box::pin(claim_in(app, PackSent)).await;
            step(id, "CM00001", "respond-settlement-pack", json!({ "response": "accept" })).await
        }
        ChildSettled => {
            let id = admitted(app, &child_rta()).await;
            let id = step(id, "CR00001", "send-settlement-pack", pack(&[("general_damages", 400_000)])).await;
            step(id, "CM00001", "respond-settlement-pack", json!({ "response": "accept" })).await
        }
        CourtPackSent => {
            let id = Box::pin(claim_in(app, ChildSettled)).await;
            let body = json!({ "agreed_heads": [], "disputed_heads": ["general_damages"] });
            step(id, "CR00001", "send-court-pack", body).await
        }
        TransferOffered => {
            step(submitted(app, &rta()).await, "CR00001", "offer-transfer", json!({ "to": "CR00002" })).await
        }
        SmallSubmitted => submitted(app, &oic()).await,
        SmallDenied => {
            let mut denial = small_decision("denied");
            denial["version_of_events"] = json!("The claimant pulled out in front of our insured.");
            denial["statement_of_truth"] = json!(true);
            step(submitted(app, &oic()).await, "CM00001", "decide-liability", denial).await
        }
        SmallInCourt => {
            let id = Box::pin(claim_in(app, SmallDenied)).await;
            step(id, "CR00001", "exit-to-court", json!({ "route": "liability_denied" })).await
        }
        SmallAdmitted => {
            step(submitted(app, &oic()).await, "CM00001", "decide-liability", small_decision("admitted"))
                .await
        }
        SmallReported => {
            let id = Box::pin(claim_in(app, SmallAdmitted)).await;
            let report = medical_report(app, &id, json!({
                "report_date": "2026-03-20", "expert_reference": "MEDCO-1",
                "injuries": [{ "kind": "whiplash", "prognosis_months": 8 }, { "kind": "minor_psychological", "prognosis_months": 6 }],
            })).await;
            step(id, "CR00001", "add-medical-report", report).await
        }
        SmallOfferRequested => {
            let id = Box::pin(claim_in(app, SmallReported)).await;
            step(id, "CR00001", "request-offer", json!({})).await
        }
        ErasurePending => {
            let body = json!({ "kind": "restriction", "reference": "DSR-9" });
            step(submitted(app, &rta()).await, "CR00001", "request-erasure", body).await
        }
        SmallRemovalProposed => {
            let id = submitted(app, &oic()).await;
            step(id, "CM00001", "propose-removal", json!({ "reason": "duplicate" })).await
        }
    }
}

/// A medical report body naming a report just uploaded to the claim.
async fn medical_report(app: &TestApp, id: &str, mut body: Value) -> Value {
    let attachment = upload(app, "CR00001", id, "report.pdf", b"%PDF-1.7 report").await.expect(201).json();
    body["attachment_id"] = attachment["id"].clone();
    body
}

async fn examples_work_in_their_state(backend: Backend) {
    let Some(app) = TestApp::spawn_at(backend, EXAMPLE_DAY).await else { return };
    let document: Value = serde_json::from_str(&claims_http::openapi_json()).expect("the document");
    let examples = action_examples(&document);
    assert!(examples.len() >= 26, "every action has an example: {}", examples.len());
    for (operation, name, body) in examples {
        let (state, party) = setup_for(&operation, &name);
        let id = claim_in(&app, state).await;
        let (claim, _) = read(&app, party, &id).await;
        assert!(
            claim["allowed_actions"].as_array().expect("actions").contains(&json!(operation)),
            "{operation} is allowed to {party} in {state:?}: {}",
            claim["allowed_actions"]
        );
        let segment = operation.replace('_', "-");
        // The report an `add_medical_report` example names is a placeholder for an attachment of
        // the claim: the one uploaded here takes its place, everything else is as shown.
        let body =
            if operation == "add_medical_report" { medical_report(&app, &id, body).await } else { body };
        let reply = act(&app, party, &id, &segment, body.clone()).await;
        assert_eq!(
            reply.status.as_u16(),
            200,
            "example {name} of {operation} by {party} in {state:?}: {body}\n{}",
            String::from_utf8_lossy(&reply.body)
        );
    }
}

#[actix_web::test]
async fn action_examples_work_as_shown_sqlite() {
    examples_work_in_their_state(Backend::Sqlite).await;
}

#[actix_web::test]
async fn action_examples_work_as_shown_postgres() {
    examples_work_in_their_state(Backend::Postgres).await;
}
