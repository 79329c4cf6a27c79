//! The feed's ordering guarantee against a transaction that commits late, on PostgreSQL (where
//! writers really run side by side). SQLite serialises writers, so there the order of ids is the
//! order of commits.

use chrono::{TimeZone, Utc};
use claims_domain::claim::Claim;
use claims_domain::claim_status::ClaimStatus;
use claims_domain::claim_type::ClaimType;
use claims_domain::cnf::examples;
use claims_domain::events::{AuditAction, EventType};
use claims_domain::ids::{ClaimId, OrganisationCode};
use claims_domain::organisation::{CompensatorType, Organisation, OrganisationKind};
use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};

use crate::records::{Actor, NewAudit, NewEvent};
use crate::{Database, PoolOptions, provisioning};

/// The events of the slow and the fast writer (any two types tell them apart).
const SLOW: EventType = EventType::Acknowledged;
const FAST: EventType = EventType::Rejected;

fn code(text: &str) -> OrganisationCode {
    OrganisationCode::parse(text).expect("code")
}

fn event(claim: ClaimId, kind: EventType) -> NewEvent {
    NewEvent {
        claim_id: claim,
        event_type: kind,
        occurred_at: Utc::now(),
        actor: Actor::default(),
        data: serde_json::json!({}),
        recipients: vec![code("CR00001"), code("CM00001")],
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_committed_late_is_placed_after_everything_already_published() {
    let name = format!("cx_test_feed_{}", uuid::Uuid::new_v4().simple());
    let server =
        std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| provisioning::DEFAULT_TEST_SERVER.to_owned());
    if let Err(error) = provisioning::create_postgres_database(&server, &name).await {
        assert!(
            provisioning::postgres_skipped(),
            "PostgreSQL is required (set SKIP_POSTGRES=1 to skip): {error}"
        );
        eprintln!("!!! SKIP_POSTGRES: the feed ordering test did NOT run !!!");
        return;
    }
    let url = provisioning::database_url(&server, &name);
    let outcome = async {
        let db = Database::connect(&url, PoolOptions::default())?;
        db.migrate().await?;
        let now = Utc.with_ymd_and_hms(2025, 8, 22, 9, 0, 0).single().expect("instant");
        for (c, kind, compensator_type) in [
            ("CR00001", OrganisationKind::ClaimantRepresentative, None),
            ("CM00001", OrganisationKind::Compensator, Some(CompensatorType::Insurer)),
        ] {
            let organisation =
                Organisation { code: code(c), kind, name: c.to_owned(), compensator_type, group: None };
            db.insert_organisation(&organisation, now).await?;
        }
        let claim = Claim {
            id: ClaimId::new_v7(),
            claim_type: ClaimType::Rta,
            status: ClaimStatus::Submitted,
            version: 1,
            claimant_representative: code("CR00001"),
            compensator: code("CM00001"),
            created_by: code("CR00001"),
            notification_date: now.date_naive(),
            child: false,
            cr_reference: "R1".to_owned(),
            cm_reference: None,
            cnf: examples::rta(),
            lifecycle: claims_domain::lifecycle::state::Lifecycle::default(),
            submitted_at: now,
            updated_at: now,
        };
        let audit = NewAudit {
            claim_id: claim.id,
            occurred_at: now,
            action: AuditAction::Submitted,
            actor: Actor::default(),
            detail: serde_json::json!({}),
        };
        db.insert_claim(&claim, &event(claim.id, EventType::Submitted), &audit, None, now, 0).await?;
        db.sequence_events().await?;
        let start = db.feed("CM00001", 0, 100).await?.last().map(|e| e.position).unwrap_or(0);

        // A slow writer takes the next id but has not committed yet...
        let mut slow = AsyncPgConnection::establish(&url)
            .await
            .map_err(|e| crate::StoreError::Unavailable(e.to_string()))?;
        slow.batch_execute("BEGIN").await?;
        let slow_id = crate::backend::pg::insert_event(&mut slow, &event(claim.id, SLOW)).await?;
        // ...while a fast writer takes a later id and commits.
        let mut fast = AsyncPgConnection::establish(&url)
            .await
            .map_err(|e| crate::StoreError::Unavailable(e.to_string()))?;
        let fast_id = crate::backend::pg::insert_event(&mut fast, &event(claim.id, FAST)).await?;
        assert!(slow_id < fast_id);

        db.sequence_events().await?;
        let seen = db.feed("CM00001", start, 100).await?;
        assert_eq!(seen.iter().map(|e| e.event_type.as_str()).collect::<Vec<_>>(), [FAST.as_str()]);
        let cursor = seen[0].position;

        slow.batch_execute("COMMIT").await?;
        db.sequence_events().await?;
        let after = db.feed("CM00001", cursor, 100).await?;
        assert_eq!(after.iter().map(|e| e.event_type.as_str()).collect::<Vec<_>>(), [SLOW.as_str()]);
        assert!(after[0].position > cursor);
        // From the start, the feed holds each event once, in the order it was published.
        let all: Vec<_> =
            db.feed("CM00001", 0, 100).await?.into_iter().map(|e| e.event_type.as_str()).collect();
        assert_eq!(all, ["claim.submitted", FAST.as_str(), SLOW.as_str()]);
        db.close();
        Ok::<(), crate::StoreError>(())
    }
    .await;
    provisioning::drop_postgres_database(&server, &name).await.expect("drop the test database");
    outcome.expect("the scenario runs");
}
