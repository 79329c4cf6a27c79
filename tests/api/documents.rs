//! Scenario 20 (attachments) and printable documents.

use sha2::{Digest, Sha256};

use crate::on_both_backends;
use crate::support::flow::*;
use crate::support::*;

fn pdf_of(size: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.resize(size, b'x');
    bytes
}

on_both_backends! {
    /// Scenario 20: exactly 4 MiB is stored with its SHA-256; one byte more is 413; an executable
    /// named `.pdf` is 415.
    async fn scenario_20_attachment_size_and_type(app) {
        let id = submitted(&app, &rta()).await;
        let exact = pdf_of(4_194_304);
        let stored = upload(&app, "CR00001", &id, "report.pdf", &exact).await.expect(201).json();
        assert_eq!(stored["size_bytes"], 4_194_304);
        assert_eq!(stored["media_type"], "application/pdf");
        assert_eq!(stored["sha256"], format!("{:x}", Sha256::digest(&exact)));
        assert_eq!(stored["uploaded_by"], "CR00001");

        let over = upload(&app, "CR00001", &id, "report.pdf", &pdf_of(4_194_305)).await.expect(413);
        assert_eq!(over.json()["code"], "payload_too_large");
        let executable = upload(&app, "CR00001", &id, "report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00").await.expect(415);
        assert_eq!(executable.json()["code"], "unsupported_media_type");

        // The compensator sees it listed and downloads the same bytes; others cannot.
        let listed = app.get("CM00001", &format!("/v1/claims/{id}/attachments")).await.expect(200).json();
        assert_eq!(listed["items"].as_array().map(Vec::len), Some(1));
        assert_eq!(listed["items"][0]["title"], "Medical report");
        assert_eq!(listed["items"][0]["file_name"], "report.pdf");
        let attachment = listed["items"][0]["id"].as_str().expect("id").to_owned();
        let download = app.get("CM00001", &format!("/v1/claims/{id}/attachments/{attachment}")).await.expect(200);
        assert_eq!(download.header("content-type").as_deref(), Some("application/pdf"));
        assert_eq!(format!("{:x}", Sha256::digest(&download.body)), stored["sha256"].as_str().expect("sha"));
        app.get("CR00002", &format!("/v1/claims/{id}/attachments")).await.expect(404);
        upload(&app, "CR00002", &id, "report.pdf", &pdf_of(100)).await.expect(404);
        assert_eq!(event_types(&app, "CM00001", &id).await, ["claim.submitted", "claim.attachment_added"]);

        let text = upload(&app, "CM00001", &id, "note.txt", "Adjuster's note: see report.\n".as_bytes()).await.expect(201).json();
        assert_eq!(text["media_type"], "text/plain");
    }
}

on_both_backends! {
    /// Each document is a real PDF rendered from the claim as it stands; a stage not reached yet
    /// has no document.
    async fn documents_are_pdfs_of_the_current_claim(app) {
        let id = admitted(&app, &rta()).await;
        let path = |kind: &str| format!("/v1/claims/{id}/documents/{kind}");
        let cnf = app.get("CR00001", &path("cnf")).await.expect(200);
        assert_eq!(cnf.header("content-type").as_deref(), Some("application/pdf"));
        let text = pdf_text(&cnf.body);
        assert!(text.contains("RTA/2024/0001"), "the reference is in the text: {text}");
        assert!(text.contains(&id), "the claim id is in the text");
        assert!(text.contains("Claim Notification Form"));

        let liability = pdf_text(&app.get("CM00001", &path("liability_response")).await.expect(200).body);
        assert!(liability.contains("RTA/2024/0001") && liability.contains("admitted"), "{liability}");
        for kind in ["interim_request", "settlement_pack", "court_pack"] {
            app.get("CR00001", &path(kind)).await.expect(404);
        }
        act(&app, "CR00001", &id, "send-settlement-pack", pack(&[("general_damages", 600_000)])).await.expect(200);
        let pack_text = pdf_text(&app.get("CR00001", &path("settlement_pack")).await.expect(200).body);
        assert!(pack_text.contains("general_damages") && pack_text.contains("£6000.00"), "{pack_text}");
        app.get("CR00002", &path("cnf")).await.expect(404);
        app.get("CR00001", &path("nonsense")).await.expect(404);
    }
}
