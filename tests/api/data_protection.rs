//! The hub's data-protection duties through the API: scenario 36 (export) of the specification.

use base64::Engine;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::on_both_backends;
use crate::on_both_backends_with;
use crate::support::flow::*;
use crate::support::*;

on_both_backends! {
    /// Scenario 36: either party's export holds the CNF, every stage, the history, the events it
    /// was told and every attachment's bytes (base64) matching the stored SHA-256; the export is
    /// audited as a read; an uninvolved organisation gets `404`.
    async fn scenario_36_export(app) {
        let cnf = rta();
        let id = admitted(&app, &cnf).await;
        let report = b"%PDF-1.7 a medical report".to_vec();
        let note = "Adjuster's note: liability admitted.\n".as_bytes().to_vec();
        upload(&app, "CR00001", &id, "report.pdf", &report).await.expect(201);
        upload(&app, "CM00001", &id, "note.txt", &note).await.expect(201);

        for party in ["CR00001", "CM00001"] {
            let export = app.get(party, &format!("/v1/claims/{id}/export")).await.expect(200).json();
            assert_eq!(export["schema_version"], 1);
            assert_eq!(export["exported_by"], party);
            let claim = &export["claim"];
            assert_eq!(claim["id"], id.as_str());
            assert_eq!(claim["status"], "liability_admitted");
            assert_eq!(claim["cnf"]["claimant"]["surname"], cnf["claimant"]["surname"]);
            assert_eq!(claim["cnf"]["injury"]["description"], cnf["injury"]["description"]);
            assert_eq!(claim["liability"]["outcome"], "admitted");

            let actions: Vec<&str> = export["history"].as_array().expect("history").iter()
                .filter_map(|e| e["action"].as_str()).collect();
            assert_eq!(actions.first(), Some(&"claim.submitted"));
            assert!(actions.contains(&"claim.liability_decided"), "{actions:?}");
            assert_eq!(actions.last(), Some(&"claim.exported"), "the export records itself");

            let events: Vec<&str> = export["events"].as_array().expect("events").iter()
                .filter_map(|e| e["type"].as_str()).collect();
            assert_eq!(events, ["claim.submitted", "claim.liability_decided", "claim.attachment_added", "claim.attachment_added"]);

            let attachments = export["attachments"].as_array().expect("attachments");
            assert_eq!(attachments.len(), 2);
            let mut contents = Vec::new();
            for attachment in attachments {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(attachment["content_base64"].as_str().expect("content"))
                    .expect("base64");
                assert_eq!(format!("{:x}", Sha256::digest(&bytes)), attachment["sha256"].as_str().expect("sha256"));
                assert_eq!(attachment["size_bytes"], bytes.len());
                contents.push(bytes);
            }
            assert!(contents.contains(&report) && contents.contains(&note));
        }
        // Each export is in the trail, as a read by its party.
        let history = app.get("CR00001", &format!("/v1/claims/{id}/history")).await.expect(200).json();
        let exports: Vec<&Value> = history["items"].as_array().expect("items").iter()
            .filter(|e| e["action"] == "claim.exported").collect();
        assert_eq!(exports.len(), 2);
        assert_eq!(exports[0]["actor"]["organisation"], "CR00001");
        assert_eq!(exports[1]["actor"]["organisation"], "CM00001");

        app.get("CR00002", &format!("/v1/claims/{id}/export")).await.expect(404);
        app.get("CM00004", &format!("/v1/claims/{id}/export")).await.expect(404);
        app.get("OP00001", &format!("/v1/claims/{id}/export")).await.expect(403);
    }
}

/// The ids of the open requests past their due date on `code`'s claims.
async fn overdue(app: &TestApp, code: &str) -> Vec<String> {
    let page = app.get(code, "/v1/data-subject-requests?overdue=true").await.expect(200).json();
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_owned())
        .collect()
}

on_both_backends_with! { keeping_events;
    /// Scenario 35: an access request received on Sat 31 Jan 2026 is due Mon 2 Mar 2026 (28 Feb,
    /// the month's last day, is a Saturday); extended once it is due Thu 30 Apr 2026; a second
    /// extension is a `409`. Open requests past their date are listed as overdue across the
    /// organisation; closing records the outcome; both parties are told each step.
    async fn scenario_35_data_subject_requests(app) {
        let id = admitted(&app, &rta()).await;
        app.set_clock("2026-02-02T10:00:00Z").await.expect(200);
        let path = format!("/v1/claims/{id}/data-subject-requests");
        let future = json!({ "kind": "access", "received_on": "2026-02-03", "reference": "DSR-1" });
        let refused = app.post("CR00001", &path, &future).await.expect(422);
        assert_eq!(refused.field_errors(), [("received_on".to_owned(), "date_in_future".to_owned())]);
        // The reference is the caller's handle on the request: it cannot be empty, or too long.
        for reference in [String::new(), "R".repeat(51)] {
            let body = json!({ "kind": "access", "received_on": "2026-01-31", "reference": reference });
            let refused = app.post("CR00001", &path, &body).await.expect(422);
            assert_eq!(refused.field_errors(), [("reference".to_owned(), "invalid_length".to_owned())]);
        }

        let body = json!({ "kind": "access", "received_on": "2026-01-31", "reference": "DSR-2026-014" });
        let recorded = app.post("CR00001", &path, &body).await.expect(201).json();
        assert_eq!(recorded["due_on"], "2026-03-02");
        assert_eq!(recorded["status"], "open");
        assert_eq!(recorded["recorded_by"], "CR00001");
        let request = recorded["id"].as_str().expect("id").to_owned();
        let (claim, _) = read(&app, "CM00001", &id).await;
        assert_eq!(claim["open_data_subject_requests"][0]["due_on"], "2026-03-02");
        let listed = app.get("CM00001", &path).await.expect(200).json();
        assert_eq!(listed["items"][0]["id"], request.as_str());
        app.get("CR00002", &path).await.expect(404);

        let extend = format!("{path}/{request}/extend");
        let reason = json!({ "reason": "Records sit in three systems." });
        let not_theirs = app.post("CM00001", &extend, &reason).await.expect(409);
        assert_eq!(not_theirs.json()["code"], "not_recording_party");
        let extended = app.post("CR00001", &extend, &reason).await.expect(200).json();
        assert_eq!(extended["due_on"], "2026-04-30");
        assert_eq!(extended["extension_reason"], "Records sit in three systems.");
        let again = app.post("CR00001", &extend, &reason).await.expect(409);
        assert_eq!(again.json()["code"], "already_extended");

        assert!(overdue(&app, "CR00001").await.is_empty());
        app.set_clock("2026-05-01T10:00:00Z").await.expect(200);
        assert_eq!(overdue(&app, "CR00001").await, std::slice::from_ref(&request));
        assert_eq!(overdue(&app, "CM00001").await, std::slice::from_ref(&request), "the other party sees it on its claim");
        assert!(overdue(&app, "CR00002").await.is_empty());

        let close = format!("{path}/{request}/close");
        let no_ground = app.post("CR00001", &close, &json!({ "outcome": "refused" })).await.expect(422);
        assert_eq!(no_ground.field_errors(), [("ground".to_owned(), "required".to_owned())]);
        let closed = app.post("CR00001", &close, &json!({ "outcome": "refused", "ground": "manifestly unfounded" })).await.expect(200).json();
        assert_eq!(closed["status"], "closed");
        assert_eq!(closed["outcome"], "refused");
        assert_eq!(read(&app, "CR00001", &id).await.0["open_data_subject_requests"], json!([]));
        assert!(overdue(&app, "CR00001").await.is_empty());
        app.post("CR00001", &close, &json!({ "outcome": "completed" })).await.expect(409);

        for party in ["CR00001", "CM00001"] {
            let told = event_types(&app, party, &id).await;
            let steps: Vec<&String> = told.iter().filter(|t| t.contains("data_subject_request")).collect();
            assert_eq!(steps, [
                "claim.data_subject_request_recorded",
                "claim.data_subject_request_extended",
                "claim.data_subject_request_closed",
            ], "{party}");
        }
    }
}

on_both_backends! {
    /// Scenario 34: an erasure requested on Mon 2 Nov 2026 holds the claim in `erasure_pending`
    /// (every action `409`, still exportable, to be purged after 16 Nov 2026); a cancellation on
    /// 10 Nov restores its status and deadlines. Once the window has passed the claim is purged
    /// (`410`, a cancellation too).
    async fn scenario_34_erasure_with_grace(app) {
        app.set_clock("2026-11-02T10:00:00Z").await.expect(200);
        let id = acknowledged(&app, &rta()).await;
        let held = acknowledged(&app, &rta()).await;
        let (before, _) = read(&app, "CR00001", &id).await;
        let request = json!({ "kind": "erasure", "reference": "DSR-2026-031" });

        for claim in [&id, &held] {
            let pending = act(&app, "CR00001", claim, "request-erasure", request.clone()).await.expect(200).json();
            assert_eq!(pending["status"], "erasure_pending");
            assert_eq!(pending["erasure"]["purge_after"], "2026-11-16");
            assert_eq!(pending["erasure"]["previous_status"], "awaiting_liability_decision");
            assert_eq!(pending["allowed_actions"], json!(["cancel_erasure"]));
        }
        let (as_compensator, _) = read(&app, "CM00001", &id).await;
        assert_eq!(as_compensator["allowed_actions"], json!(["cancel_erasure"]));
        let refused = act(&app, "CM00001", &id, "decide-liability", decision("admitted")).await.expect(409);
        assert_eq!(refused.json()["code"], "not_allowed_in_status");
        assert_eq!(refused.json()["current_status"], "erasure_pending");
        act(&app, "CR00001", &id, "withdraw", json!({})).await.expect(409);
        act(&app, "CR00001", &id, "request-erasure", request.clone()).await.expect(409);
        upload(&app, "CR00001", &id, "note.txt", b"A note.").await.expect(409);
        app.get("CM00001", &format!("/v1/claims/{id}/export")).await.expect(200);
        for party in ["CR00001", "CM00001"] {
            assert!(event_types(&app, party, &id).await.contains(&"claim.erasure_requested".to_owned()));
        }

        app.set_clock("2026-11-10T10:00:00Z").await.expect(200);
        let restored = act(&app, "CM00001", &id, "cancel-erasure", json!({})).await.expect(200).json();
        assert_eq!(restored["status"], "awaiting_liability_decision");
        assert_eq!(restored["erasure"], Value::Null);
        assert_eq!(open_due(&restored, "liability_decision"), open_due(&before, "liability_decision"));
        assert!(restored["allowed_actions"].as_array().expect("actions").contains(&json!("decide_liability")));
        assert!(event_types(&app, "CR00001", &id).await.contains(&"claim.erasure_cancelled".to_owned()));

        // Until the window closes the held claim stays as it is; then it is purged.
        app.set_clock("2026-11-16T23:59:59Z").await.expect(200);
        assert_eq!(read(&app, "CR00001", &held).await.0["status"], "erasure_pending");
        app.set_clock("2026-11-17T00:00:01Z").await.expect(200);
        let gone = app.get("CR00001", &format!("/v1/claims/{held}")).await.expect(410).json();
        assert_eq!(gone["tombstone"]["final_status"], "awaiting_liability_decision", "where the request found it");
        assert_eq!(gone["tombstone"]["erasure"], "erasure");
        let path = format!("/v1/claims/{held}/actions/cancel-erasure");
        let late = app.call(awc::http::Method::POST, &path, Some("CM00001"), Some(&json!({})), &[("if-match", "\"4\"")]).await;
        assert_eq!(late.status.as_u16(), 410);
    }
}

/// Text that appears only in the personal data of the claim under test.
const MARKER: &str = "Zqxmarker";

/// The rows of every table of the PostgreSQL database at `url` whose text contains `needle`, as
/// `table: count` (the whole row as text, every column).
fn postgres_rows_containing(url: &str, needle: &str) -> Vec<String> {
    let psql = |sql: &str| {
        let output =
            std::process::Command::new("psql").args([url, "-At", "-c", sql]).output().expect("psql runs");
        assert!(output.status.success(), "psql: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).lines().map(str::to_owned).collect::<Vec<_>>()
    };
    let tables = psql("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()");
    let mut found = Vec::new();
    for table in tables {
        let count = psql(&format!("SELECT count(*) FROM \"{table}\" t WHERE t::text ILIKE '%{needle}%'"));
        if count.first().is_some_and(|c| c != "0") {
            found.push(format!("{table}: {}", count[0]));
        }
    }
    found
}

/// The same scan of the SQLite database at `url` (`sqlite://PATH`): every column of every row
/// of every table, blobs included, read as text.
fn sqlite_rows_containing(url: &str, needle: &str) -> Vec<String> {
    use diesel::{Connection, QueryableByName, RunQueryDsl, sql_query};
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        count: i64,
    }
    let path = url.strip_prefix("sqlite://").unwrap_or(url);
    let mut conn = diesel::SqliteConnection::establish(path).expect("the database opens");
    let tables: Vec<Name> =
        sql_query("SELECT name FROM sqlite_master WHERE type = 'table'").load(&mut conn).expect("tables");
    let mut found = Vec::new();
    for table in tables {
        let columns: Vec<Name> = sql_query(format!("SELECT name FROM pragma_table_info('{}')", table.name))
            .load(&mut conn)
            .expect("columns");
        let any = columns
            .iter()
            .map(|c| format!("instr(CAST(\"{}\" AS TEXT), '{needle}') > 0", c.name))
            .collect::<Vec<_>>()
            .join(" OR ");
        let count: Count = sql_query(format!("SELECT count(*) AS count FROM \"{}\" WHERE {any}", table.name))
            .get_result(&mut conn)
            .expect("count");
        if count.count > 0 {
            found.push(format!("{}: {}", table.name, count.count));
        }
    }
    found
}

/// Which rows of the test hub's database, whichever backend, hold `needle` anywhere.
fn rows_containing(app: &TestApp, needle: &str) -> Vec<String> {
    match app.backend() {
        Backend::Postgres => postgres_rows_containing(app.database_url(), needle),
        Backend::Sqlite => sqlite_rows_containing(app.database_url(), needle),
    }
}

on_both_backends! {
    /// Scenario 33: a claim closed as settled on Mon 1 Jun 2026 is purged once the clock passes
    /// 1 Jul 2026: its form, attachments and requests are gone, `GET` gives `410` with the
    /// tombstone, lists leave it out, and (on PostgreSQL) no row of any table holds its personal
    /// data any more.
    async fn scenario_33_retention(app) {
        app.set_clock("2026-04-01T09:00:00Z").await.expect(200);
        let mut cnf = rta();
        cnf["claimant"]["surname"] = json!(MARKER);
        cnf["injury"]["description"] = json!(format!("Neck pain reported by {MARKER}."));
        let id = admitted(&app, &cnf).await;
        upload(&app, "CR00001", &id, "report.pdf", format!("%PDF-1.7 report on {MARKER}").as_bytes()).await.expect(201);
        let dsr = json!({ "kind": "access", "received_on": "2026-04-01", "reference": "DSR-7" });
        app.post("CR00001", &format!("/v1/claims/{id}/data-subject-requests"), &dsr).await.expect(201);
        act(&app, "CR00001", &id, "send-settlement-pack", pack(&[("general_damages", 600_000)])).await.expect(200);
        act(&app, "CM00001", &id, "respond-settlement-pack", json!({ "response": "accept" })).await.expect(200);
        app.set_clock("2026-06-01T10:00:00Z").await.expect(200);
        act(&app, "CM00001", &id, "record-payment", json!({ "kind": "settlement", "amount_pence": 600_000, "paid_on": "2026-06-01" })).await.expect(200);
        let closed = act(&app, "CR00001", &id, "confirm-settlement-received", json!({})).await.expect(200).json();
        assert_eq!(closed["status"], "closed");
        assert_eq!(closed["purge_at"], "2026-06-30T23:00:00Z", "the start of 1 Jul 2026 in England");

        app.set_clock("2026-06-30T22:59:59Z").await.expect(200);
        app.get("CR00001", &format!("/v1/claims/{id}")).await.expect(200);
        let before = rows_containing(&app, MARKER);
        assert!(before.iter().any(|t| t.starts_with("claims:")), "the scan sees the form: {before:?}");
        if app.backend() == Backend::Sqlite {
            // SQLite reads a blob as its bytes; PostgreSQL shows bytea as hex (checked below).
            assert!(before.iter().any(|t| t.starts_with("attachments:")), "and the file: {before:?}");
        }
        app.set_clock("2026-07-01T00:00:01Z").await.expect(200);
        let gone = app.get("CR00001", &format!("/v1/claims/{id}")).await.expect(410).json();
        assert_eq!(gone["code"], "purged");
        let tombstone = &gone["tombstone"];
        assert_eq!(tombstone["id"], id.as_str());
        assert_eq!(tombstone["type"], "rta");
        assert_eq!(tombstone["final_status"], "closed");
        assert_eq!(tombstone["outcome"], "settled");
        assert_eq!(tombstone["claimant_representative"], "CR00001");
        assert_eq!(tombstone["compensator"], "CM00001");
        assert!(!gone.to_string().contains(MARKER));
        app.get("CM00001", &format!("/v1/claims/{id}")).await.expect(410);
        app.get("CR00002", &format!("/v1/claims/{id}")).await.expect(404);
        app.get("CR00001", &format!("/v1/claims/{id}/export")).await.expect(410);
        app.get("CR00001", &format!("/v1/claims/{id}/attachments")).await.expect(410);
        let listed = app.get("CR00001", "/v1/claims?limit=500").await.expect(200).json();
        assert!(listed["items"].as_array().expect("items").iter().all(|c| c["id"] != id.as_str()));
        // Asked for, the tombstone is listed to the claim's parties.
        for (party, sees) in [("CR00001", true), ("CM00001", true), ("CR00002", false)] {
            let purged = app.get(party, "/v1/purged-claims?limit=500").await.expect(200).json();
            let ids: Vec<&str> = purged["items"].as_array().expect("items").iter().filter_map(|t| t["id"].as_str()).collect();
            assert_eq!(ids.contains(&id.as_str()), sees, "{party}: {purged}");
            assert!(!purged.to_string().contains(MARKER));
        }

        assert_eq!(rows_containing(&app, MARKER), Vec::<String>::new());
        if app.backend() == Backend::Postgres {
            // Bytes are not text to the PostgreSQL scan: the attachment rows themselves must be gone.
            let output = std::process::Command::new("psql")
                .args([app.database_url(), "-At", "-c", &format!("SELECT count(*) FROM attachments WHERE claim_id = '{id}'")])
                .output()
                .expect("psql runs");
            assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "0");
        }
        let logs = crate::support::logs::text();
        assert!(logs.contains(&id), "the purge is logged, by claim id");
        assert!(!logs.contains(MARKER), "no log line names the claimant");
    }
}

on_both_backends! {
    /// An organisation on legal hold keeps its claims past their retention period for 6 years
    /// (shown on the claim, whose purge date moves to the hold's end); lifting the hold, or its
    /// end, lets the purge happen.
    async fn legal_hold_blocks_purging(app) {
        let id = submitted(&app, &rta()).await;
        let withdrawn = act(&app, "CR00001", &id, "withdraw", json!({})).await.expect(200).json();
        assert_eq!(withdrawn["purge_at"], "2025-09-20T23:00:00Z");
        assert_eq!(withdrawn["legal_hold"], false);
        let hold = "/v1/admin/organisations/CM00001/legal-hold";
        app.post("CR00001", hold, &json!({})).await.expect(403);
        app.post("OP00001", "/v1/admin/organisations/CM09999/legal-hold", &json!({})).await.expect(404);
        app.post("OP00001", hold, &json!({})).await.expect(204);
        let (held, _) = read(&app, "CR00001", &id).await;
        assert_eq!(held["legal_hold"], true);
        assert!(held["purge_at"].as_str().is_some_and(|at| at.starts_with("2031-08-22T09:00")), "{}", held["purge_at"]);

        app.set_clock("2025-10-01T09:00:00Z").await.expect(200);
        assert_eq!(read(&app, "CR00001", &id).await.0["status"], "withdrawn", "kept while the hold lasts");
        app.call(awc::http::Method::DELETE, hold, Some("OP00001"), None, &[]).await.expect(204);
        app.set_clock("2025-10-01T09:00:05Z").await.expect(200);
        app.get("CR00001", &format!("/v1/claims/{id}")).await.expect(410);

        // Placed again on Wed 1 Oct 2025, the hold runs out on 1 Oct 2031.
        let later = submitted(&app, &rta()).await;
        act(&app, "CR00001", &later, "withdraw", json!({})).await.expect(200);
        app.post("OP00001", hold, &json!({})).await.expect(204);
        app.set_clock("2031-09-30T09:00:00Z").await.expect(200);
        assert_eq!(read(&app, "CR00001", &later).await.0["legal_hold"], true);
        app.set_clock("2031-10-01T09:00:10Z").await.expect(200);
        app.get("CR00001", &format!("/v1/claims/{later}")).await.expect(410);
    }
}

on_both_backends! {
    /// Access review: an organisation sees its own clients and which of them read or changed which
    /// claims in a period, page by page; the operator sees any organisation's or all of them.
    async fn access_reports(app) {
        let id = submitted(&app, &rta()).await;
        read(&app, "CM00001", &id).await;
        act(&app, "CM00001", &id, "acknowledge", json!({ "compensator_reference": "NMI/9" })).await.expect(200);
        let report = app.get("CM00001", "/v1/organisations/me/access-report?from=2025-08-22&to=2025-08-22").await.expect(200).json();
        let clients = report["clients"].as_array().expect("clients");
        assert!(!clients.is_empty() && clients.iter().all(|c| c["organisation"] == "CM00001"));
        assert!(clients.iter().any(|c| c["last_used_at"].is_string()), "the client in use shows when");
        let items = report["items"].as_array().expect("items");
        let actions: Vec<&str> = items.iter().filter_map(|e| e["action"].as_str()).collect();
        assert_eq!(actions, ["claim.read", "claim.read", "claim.acknowledged"]);
        assert!(items.iter().all(|e| e["actor"]["organisation"] == "CM00001" && e["claim_id"] == id.as_str()));

        let paged = app.get("CM00001", "/v1/organisations/me/access-report?from=2025-08-22&to=2025-08-22&limit=2").await.expect(200).json();
        assert_eq!(paged["items"].as_array().map(Vec::len), Some(2));
        let cursor = paged["next_cursor"].as_str().expect("more");
        let rest = app.get("CM00001", &format!("/v1/organisations/me/access-report?from=2025-08-22&to=2025-08-22&limit=2&cursor={cursor}")).await.expect(200).json();
        assert_eq!(rest["items"][0]["action"], "claim.acknowledged");
        assert_eq!(rest["next_cursor"], Value::Null);
        let before = app.get("CM00001", "/v1/organisations/me/access-report?from=2025-08-01&to=2025-08-21").await.expect(200).json();
        assert_eq!(before["items"], json!([]));
        app.get("CM00001", "/v1/organisations/me/access-report?from=2025-08-22&to=2025-08-01").await.expect(400);

        app.get("CM00001", "/v1/admin/access-report?from=2025-08-22&to=2025-08-22").await.expect(403);
        let all = app.get("OP00001", "/v1/admin/access-report?from=2025-08-22&to=2025-08-22").await.expect(200).json();
        let orgs: Vec<&str> = all["items"].as_array().expect("items").iter().filter_map(|e| e["actor"]["organisation"].as_str()).collect();
        assert!(orgs.contains(&"CR00001") && orgs.contains(&"CM00001"));
        let one = app.get("OP00001", "/v1/admin/access-report?organisation=CR00001&from=2025-08-22&to=2025-08-22").await.expect(200).json();
        assert!(one["items"].as_array().expect("items").iter().all(|e| e["actor"]["organisation"] == "CR00001"));
        app.get("OP00001", "/v1/admin/access-report?organisation=CR09999&from=2025-08-22&to=2025-08-22").await.expect(404);
    }
}

/// Retention periods come from configuration: with 5 days, a claim withdrawn on Fri 22 Aug 2025
/// is purged from the start of Wed 27 Aug.
async fn configured_retention(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, |settings| settings.retention_ended_days = 5).await else {
        return;
    };
    let id = submitted(&app, &rta()).await;
    let withdrawn = act(&app, "CR00001", &id, "withdraw", json!({})).await.expect(200).json();
    assert_eq!(withdrawn["purge_at"], "2025-08-26T23:00:00Z");
    app.set_clock("2025-08-26T23:00:01Z").await.expect(200);
    app.get("CR00001", &format!("/v1/claims/{id}")).await.expect(410);
}

#[actix_web::test]
async fn configured_retention_sqlite() {
    configured_retention(Backend::Sqlite).await;
}

#[actix_web::test]
async fn configured_retention_postgres() {
    configured_retention(Backend::Postgres).await;
}

/// The entry of `list` whose members match `wanted`.
fn entry(list: &Value, wanted: Value) -> Option<&Value> {
    let wanted = wanted.as_object().expect("object");
    list.as_array().expect("array").iter().find(|item| wanted.iter().all(|(key, value)| &item[key] == value))
}

on_both_backends! {
    /// Management information: what happened each month, counted on the day it happened, with
    /// the median business days to a liability decision; the same figures as CSV; purging a claim
    /// changes none of them; operators only.
    async fn statistics(app) {
        // Fri 22 Aug 2025: four claims; one withdrawn, one decided at once, one acknowledged.
        let decided_later = submitted(&app, &rta()).await;
        let withdrawn = submitted(&app, &rta()).await;
        act(&app, "CR00001", &withdrawn, "withdraw", json!({})).await.expect(200);
        let late = acknowledged(&app, &rta()).await;
        admitted(&app, &rta()).await;
        // Wed 27 Aug: two business days on (Mon 25 Aug 2025 is a bank holiday).
        app.set_clock("2025-08-27T10:00:00Z").await.expect(200);
        let mut body = decision("admitted");
        body["compensator_reference"] = json!("NMI/2");
        act(&app, "CM00001", &decided_later, "decide-liability", body).await.expect(200);
        // One decision already rolled up into the daily counts (when the clock moved), one not yet.
        let so_far = app.get("OP00001", "/v1/admin/statistics?from=2025-08-01&to=2025-08-31&group_by=total").await.expect(200).json();
        assert_eq!(entry(&so_far["groups"][0]["liability_decision"], json!({ "type": "rta" })).map(|e| e["count"].clone()), Some(json!(2)));
        // The acknowledged claim's liability decision is never made: it exits when the deadline passes.
        let (claim, _) = read(&app, "CR00001", &late).await;
        let passes: chrono::DateTime<chrono::Utc> = deadline(&claim, "liability_decision")["due_at"].as_str().expect("due_at").parse().expect("instant");
        let missed_month = passes.with_timezone(&chrono_tz::Europe::London).format("%Y-%m").to_string();
        app.set_clock("2025-09-30T09:00:00Z").await.expect(200);
        assert_eq!(read(&app, "CR00001", &late).await.0["status"], "exited");

        let path = "/v1/admin/statistics?from=2025-08-01&to=2025-09-30";
        app.get("CR00001", path).await.expect(403);
        app.get("OP00001", "/v1/admin/statistics?from=2025-09-30&to=2025-08-01").await.expect(400);
        let report = app.get("OP00001", path).await.expect(200).json();
        let periods: Vec<&str> = report["groups"].as_array().expect("groups").iter().filter_map(|g| g["period"].as_str()).collect();
        assert_eq!(periods, ["2025-08", "2025-09"]);
        let august = &report["groups"][0];
        let reached = |status: &str| entry(&august["statuses"], json!({ "type": "rta", "track": "portal", "status": status })).map(|e| e["count"].clone());
        assert_eq!(reached("submitted"), Some(json!(4)));
        assert_eq!(reached("withdrawn"), Some(json!(1)));
        assert_eq!(reached("awaiting_liability_decision"), Some(json!(1)), "{august}");
        assert_eq!(reached("liability_admitted"), Some(json!(2)));
        // The claim decided on the 27th was never acknowledged: its first deadline passed.
        let unacknowledged = entry(&august["deadlines_missed"], json!({ "deadline": "acknowledgement", "party": "compensator" }));
        assert_eq!(unacknowledged.map(|e| e["count"].clone()), Some(json!(1)), "{august}");
        // Decisions after 0 and 2 business days.
        assert_eq!(entry(&august["liability_decision"], json!({ "type": "rta" })).map(|e| (e["count"].clone(), e["median_business_days"].clone())), Some((json!(2), json!(1.0))));
        assert_eq!(entry(&august["liability_decision"], json!({ "type": null })).map(|e| e["median_business_days"].clone()), Some(json!(1.0)));
        let missed_group = entry(&report["groups"], json!({ "period": missed_month })).expect("the month the deadline passed");
        let missed = entry(&missed_group["deadlines_missed"], json!({ "type": "rta", "deadline": "liability_decision", "party": "compensator" }));
        assert_eq!(missed.map(|e| e["count"].clone()), Some(json!(1)));
        let september = &report["groups"][1];
        let exit = entry(&september["exits"], json!({ "type": "rta", "reason": "liability_response_late", "by": "system" }));
        assert_eq!(exit.map(|e| e["count"].clone()), Some(json!(1)), "{september}");
        assert!(!report.to_string().contains(&late), "no claim ids, let alone names");

        let total = app.get("OP00001", &format!("{path}&group_by=total")).await.expect(200).json();
        assert_eq!(total["groups"].as_array().map(Vec::len), Some(1));
        assert_eq!(entry(&total["groups"][0]["statuses"], json!({ "status": "submitted" })).map(|e| e["count"].clone()), Some(json!(4)));

        let csv = app.call(awc::http::Method::GET, path, Some("OP00001"), None, &[("Accept", "text/csv")]).await.expect(200);
        assert!(csv.header("content-type").is_some_and(|t| t.starts_with("text/csv")));
        let text = String::from_utf8(csv.body.clone()).expect("utf-8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "period,measure,type,track,status,reason,party,deadline,count,median_business_days");
        assert!(lines.contains(&"2025-08,status_reached,rta,portal,submitted,,,,4,"), "{text}");
        assert!(lines.contains(&"2025-08,liability_decision,rta,portal,,,,,2,1"), "{text}");
        assert!(lines.contains(&"2025-09,exited,rta,portal,,liability_response_late,system,,1,"), "{text}");

        // The withdrawn claim was purged on the way (30 days after 22 Aug): the figures stand.
        app.get("CR00001", &format!("/v1/claims/{withdrawn}")).await.expect(410);
        app.set_clock("2025-10-30T09:00:00Z").await.expect(200);
        app.get("CR00001", &format!("/v1/claims/{late}")).await.expect(410);
        assert_eq!(app.get("OP00001", path).await.expect(200).json(), report);
    }
}

async fn new_client(app: &TestApp, organisation: &str, label: &str) -> (String, String) {
    let issued = app
        .post(
            "OP00001",
            &format!("/v1/admin/organisations/{organisation}/clients"),
            &json!({ "label": label }),
        )
        .await
        .expect(201)
        .json();
    (
        issued["client_id"].as_str().expect("id").to_owned(),
        issued["client_secret"].as_str().expect("secret").to_owned(),
    )
}

async fn remove_organisation(app: &TestApp, code: &str) -> Reply {
    app.call(
        awc::http::Method::DELETE,
        &format!("/v1/admin/organisations/{code}"),
        Some("OP00001"),
        None,
        &[],
    )
    .await
}

async fn token_status(app: &TestApp, client_id: &str, secret: &str) -> u16 {
    app.token_request(&[
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("client_secret", secret),
    ])
    .await
    .status
    .as_u16()
}

on_both_backends! {
    /// Accounts: a client nobody used for 90 days by the hub's clock is disabled, with a
    /// `client.disabled` event (no claim) to its organisation, and the access report says why; a
    /// client that holds a live token when the clock jumps is in use and stays enabled.
    async fn clients_unused_for_90_days_are_disabled(app) {
        let (old, old_secret) = new_client(&app, "CR00002", "old integration").await;
        assert_eq!(token_status(&app, &old, &old_secret).await, 200, "used once, on Fri 22 Aug 2025");
        // Its token runs out (real time); a second client gets one that is still live at each jump.
        app.advance_real_clock(chrono::Duration::hours(2));
        let (busy, busy_secret) = new_client(&app, "CR00002", "busy integration").await;
        let clients = |report: &Value| -> Vec<(String, Value, Value)> {
            report["clients"].as_array().expect("clients").iter()
                .map(|c| (c["client_id"].as_str().expect("id").to_owned(), c["disabled_at"].clone(), c["disabled_reason"].clone()))
                .collect()
        };
        let report_path = "/v1/organisations/me/access-report?from=2025-08-01&to=2025-08-31";

        assert_eq!(token_status(&app, &busy, &busy_secret).await, 200);
        app.set_clock("2025-11-20T08:59:00Z").await.expect(200);
        let report = app.get("CR00002", report_path).await.expect(200).json();
        assert!(clients(&report).iter().all(|(_, at, _)| at.is_null()), "89 days and 23 hours: all enabled: {report}");

        assert_eq!(token_status(&app, &busy, &busy_secret).await, 200);
        app.set_clock("2025-11-20T09:01:00Z").await.expect(200);
        let report = app.get("CR00002", report_path).await.expect(200).json();
        let listed = clients(&report);
        let old_row = listed.iter().find(|(id, _, _)| id == &old).expect("the old client");
        assert!(old_row.1.as_str().is_some_and(|at| at.starts_with("2025-11-20T09:01:00")), "{old_row:?}");
        assert_eq!(old_row.2, "unused");
        let busy_row = listed.iter().find(|(id, _, _)| id == &busy).expect("the busy client");
        assert!(busy_row.1.is_null(), "{listed:?}");
        assert_eq!(token_status(&app, &old, &old_secret).await, 401);
        assert_eq!(token_status(&app, &busy, &busy_secret).await, 200);

        let feed = app.get("CR00002", "/v1/events?limit=500").await.expect(200).json();
        let disabled: Vec<&Value> = feed["items"].as_array().expect("items").iter().filter(|e| e["type"] == "client.disabled").collect();
        assert_eq!(disabled.len(), 1, "{feed}");
        assert_eq!(disabled[0]["claim_id"], Value::Null);
        assert_eq!(disabled[0]["data"]["client_id"], old.as_str());
        assert_eq!(disabled[0]["data"]["reason"], "unused");
        assert_eq!(disabled[0]["actor"]["kind"], "system");
        let others = app.get("CR00001", "/v1/events?limit=500").await.expect(200).json();
        assert!(others["items"].as_array().expect("items").iter().all(|e| e["type"] != "client.disabled"));
    }
}

on_both_backends! {
    /// Feed events are kept 30 days (by the hub's clock) and then deleted; the claim's history
    /// keeps its trail, and a consumer's cursor carries on past the gap.
    async fn events_are_kept_30_days(app) {
        let id = submitted(&app, &rta()).await;
        let first = app.get("CR00001", "/v1/events?limit=500").await.expect(200).json();
        let cursor = first["next_cursor"].as_str().expect("cursor").to_owned();
        app.set_clock("2025-09-20T09:00:00Z").await.expect(200);
        let newer = submitted(&app, &rta()).await;
        assert!(event_types(&app, "CR00001", &id).await.contains(&"claim.submitted".to_owned()), "29 days on");

        // 30 days and a minute after the submission (the sandbox clock runs on from where it is
        // set, so the submission happened a little after START).
        app.set_clock("2025-09-21T09:01:00Z").await.expect(200);
        let kept = event_types(&app, "CR00001", &id).await;
        assert!(!kept.contains(&"claim.submitted".to_owned()), "{kept:?}");
        assert_eq!(event_types(&app, "CR00001", &newer).await.first().map(String::as_str), Some("claim.submitted"));
        let later = app.get("CR00001", &format!("/v1/events?after={cursor}&limit=500")).await.expect(200).json();
        let claims: Vec<&str> = later["items"].as_array().expect("items").iter().filter_map(|e| e["claim_id"].as_str()).collect();
        assert!(claims.contains(&newer.as_str()), "{later}");
        let history = app.get("CR00001", &format!("/v1/claims/{id}/history")).await.expect(200).json();
        assert_eq!(history["items"][0]["action"], "claim.submitted");
    }
}

on_both_backends! {
    /// Accounts: an organisation none of whose clients was used for 12 months is reported to the
    /// operator and, once every claim naming it is purged, removed: clients deleted, name replaced
    /// by its code, gone from the directory, refused on a new claim. Active organisations, and
    /// ones still named by live claims, are refused with `409`.
    async fn inactive_organisations_are_reported_and_removed(app) {
        let created = app.post("OP00001", "/v1/admin/organisations", &json!({ "kind": "compensator", "name": "Quiet Mutual", "compensator_type": "insurer" }))
            .await.expect(201).json();
        let code = created["code"].as_str().expect("code").to_owned();
        let (quiet, quiet_secret) = new_client(&app, &code, "platform").await;
        assert_eq!(token_status(&app, &quiet, &quiet_secret).await, 200, "used once, on Fri 22 Aug 2025");
        let mut cnf = rta();
        cnf["defendant"]["compensator"] = json!(code);
        let id = submitted(&app, &cnf).await;
        act(&app, "CR00001", &id, "withdraw", json!({})).await.expect(200);
        let names = |list: &Value| -> Vec<String> {
            list["items"].as_array().expect("items").iter().filter_map(|o| o["code"].as_str().map(str::to_owned)).collect()
        };

        app.get("CR00001", "/v1/admin/inactive-organisations").await.expect(403);
        let listed = app.get("OP00001", "/v1/admin/inactive-organisations").await.expect(200).json();
        assert!(!names(&listed).contains(&code), "used today");
        remove_organisation(&app, &code).await.expect(409);

        // A year and a day later (its token long expired) its client has been disabled and
        // nothing used it since.
        app.advance_real_clock(chrono::Duration::hours(2));
        app.get("CR00001", "/v1/claims").await.expect(200);
        app.set_clock("2026-08-23T09:00:00Z").await.expect(200);
        let listed = app.get("OP00001", "/v1/admin/inactive-organisations").await.expect(200).json();
        let found = listed["items"].as_array().expect("items").iter().find(|o| o["code"] == code.as_str()).expect("listed");
        assert_eq!(found["name"], "Quiet Mutual");
        assert_eq!(found["live_claims"], 0, "its withdrawn claim was purged after 30 days");
        assert!(found["last_used_at"].as_str().is_some_and(|at| at.starts_with("2025-08-22")), "{found}");
        assert!(!names(&listed).contains(&"OP00001".to_owned()), "operators are never listed");
        assert!(!names(&listed).contains(&"CR00001".to_owned()), "in use across the move");
        assert_eq!(remove_organisation(&app, "CR00001").await.expect(409).json()["code"], "organisation_active");
        remove_organisation(&app, "CM09999").await.expect(404);
        remove_organisation(&app, &code).await.expect(204);
        remove_organisation(&app, &code).await.expect(404);

        let listed = app.get("OP00001", "/v1/admin/inactive-organisations").await.expect(200).json();
        assert!(!names(&listed).contains(&code));
        let directory = app.get("CR00001", "/v1/organisations?limit=500").await.expect(200).json();
        assert!(!names(&directory).contains(&code));
        let refused = app.submit("CR00001", &cnf).await.expect(422);
        assert!(refused.field_errors().iter().any(|(field, _)| field == "cnf.defendant.compensator"), "{:?}", refused.field_errors());
        assert_eq!(token_status(&app, &quiet, &quiet_secret).await, 401);
        assert_eq!(app.get("CR00001", &format!("/v1/claims/{id}")).await.expect(410).json()["tombstone"]["compensator"], code.as_str());
    }
}
