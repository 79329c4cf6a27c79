//! Benchmark: one bulk transfer of 10,000 open claims on PostgreSQL, through the HTTP API.
//!
//! `cargo bench --bench bulk_transfer` (PostgreSQL at `TEST_POSTGRES_URL`, default
//! `postgres://postgres@127.0.0.1:5432/postgres`). It creates and drops its own database, seeds
//! the claims directly through the storage layer, then times `POST /v1/admin/bulk-transfers`.

use std::time::Instant;

use chrono::Utc;
use claims_domain::calendar::Calendar;
use claims_domain::claim::Claim;
use claims_domain::claim_status::ClaimStatus;
use claims_domain::claim_type::ClaimType;
use claims_domain::cnf::examples;
use claims_domain::ids::{ClaimId, OrganisationCode};
use claims_domain::lifecycle;
use claims_persistence::records::{Actor, NewAudit, NewEvent};
use serde_json::{Value, json};

const CLAIMS: usize = 10_000;

mod support;

fn main() -> anyhow::Result<()> {
    actix_web::rt::System::new()
        .block_on(support::on_a_fresh_database(|url| async move { measure(&url).await }))
}

async fn measure(url: &str) -> anyhow::Result<()> {
    let running = support::start_hub(url).await?;
    let hub = &running.hub;
    let db = &hub.state.db;

    let seeding = Instant::now();
    let now = Utc::now();
    let calendar = Calendar::england_and_wales();
    let cr = OrganisationCode::parse("CR00001")?;
    let cm = OrganisationCode::parse("CM00001")?;
    let insurer = db.organisation("CM00001").await?.ok_or_else(|| anyhow::anyhow!("no CM00001"))?;
    for _ in 0..CLAIMS {
        let claim = Claim {
            id: ClaimId::new_v7(),
            claim_type: ClaimType::Rta,
            status: ClaimStatus::Submitted,
            version: 1,
            claimant_representative: cr.clone(),
            compensator: cm.clone(),
            created_by: cr.clone(),
            notification_date: now.date_naive(),
            child: false,
            cr_reference: "BENCH/1".to_owned(),
            cm_reference: None,
            cnf: examples::rta(),
            lifecycle: lifecycle::new_lifecycle(ClaimType::Rta, &insurer, now.date_naive(), &calendar),
            submitted_at: now,
            updated_at: now,
        };
        let event = NewEvent {
            claim_id: claim.id,
            event_type: claims_domain::events::EventType::Submitted,
            occurred_at: now,
            actor: Actor::default(),
            data: json!({}),
            recipients: vec![cr.clone(), cm.clone()],
        };
        let audit = NewAudit {
            claim_id: claim.id,
            occurred_at: now,
            action: claims_domain::events::AuditAction::Submitted,
            actor: Actor::default(),
            detail: json!({}),
        };
        db.insert_claim(&claim, &event, &audit, None, now, 0).await?;
    }
    let seeded = seeding.elapsed();

    let token = running.operator_token().await?;
    let (client, base) = (&running.client, &running.base);

    let started = Instant::now();
    let mut response = client
        .post(format!("{base}/v1/admin/bulk-transfers"))
        .bearer_auth(&token)
        .send_json(&json!({ "from": "CR00001", "to": "CR00002", "claim_ids": null }))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let report: Value = serde_json::from_slice(&response.body().limit(64 << 20).await?)?;
    let elapsed = started.elapsed();
    let moved = report["moved"].as_array().map_or(0, Vec::len);
    anyhow::ensure!(moved == CLAIMS, "moved {moved} of {CLAIMS}: {report}");

    println!(
        "bulk transfer of {moved} claims (PostgreSQL, one request, one transaction): {:.2} s",
        elapsed.as_secs_f64()
    );
    println!("  ({} seeded in {:.1} s beforehand)", CLAIMS, seeded.as_secs_f64());
    running.stop().await;
    Ok(())
}
