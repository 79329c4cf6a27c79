//! The hub's data-protection duties through the API: scenario 36 (export) of the specification.

use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::on_both_backends;
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
