//! Sandbox mode: the demonstration organisations, one API client each, and their credentials.

use std::path::Path;

use anyhow::Context;
use chrono::{DateTime, Utc};
use claims_domain::ids::OrganisationCode;
use claims_domain::organisation::{CompensatorType, OrganisationKind};
use claims_http::directory::Directory;
use claims_http::service::registration::{self, OrganisationSpec};
use claims_persistence::Database;
use serde::Serialize;

/// A demonstration organisation: code, kind, name, compensator type, group.
type Seed = (&'static str, OrganisationKind, &'static str, Option<CompensatorType>, Option<&'static str>);

const ORGANISATIONS: &[Seed] = &[
    ("CR00001", OrganisationKind::ClaimantRepresentative, "Example Solicitors LLP", None, None),
    ("CR00002", OrganisationKind::ClaimantRepresentative, "Sample Injury Lawyers Ltd", None, None),
    (
        "CM00001",
        OrganisationKind::Compensator,
        "Northern Motor Insurance",
        Some(CompensatorType::Insurer),
        Some("northern"),
    ),
    (
        "CM00002",
        OrganisationKind::Compensator,
        "Northern Commercial Insurance",
        Some(CompensatorType::Insurer),
        Some("northern"),
    ),
    ("CM00003", OrganisationKind::Compensator, "Motor Insurers' Bureau", Some(CompensatorType::Mib), None),
    (
        "CM00004",
        OrganisationKind::Compensator,
        "Southern General Insurance",
        Some(CompensatorType::Insurer),
        Some("southern"),
    ),
    ("OP00001", OrganisationKind::Operator, "Claims Exchange Operator", None, None),
];

/// Credentials of a seeded client, as printed and written to the credentials file.
#[derive(Clone, Debug, Serialize)]
pub struct SeededClient {
    pub code: String,
    pub kind: OrganisationKind,
    pub client_id: String,
    pub client_secret: String,
}

#[derive(Serialize)]
struct CredentialsFile<'a> {
    base_url: &'a str,
    organisations: &'a [SeededClient],
}

/// Creates the organisations that are missing and gives each a client `<code>-sandbox`. The codes
/// and client ids are the same on every start; each start issues a new secret (the hub keeps only
/// hashes, so old ones cannot be shown again), and the secrets earlier starts printed keep working
/// for `overlap` of real time: another process may still be serving them.
pub async fn seed(
    db: &Database,
    directory: &Directory,
    now: DateTime<Utc>,
    real_now: DateTime<Utc>,
    overlap: chrono::Duration,
) -> anyhow::Result<Vec<SeededClient>> {
    let mut seeded = Vec::new();
    for (code, kind, name, compensator_type, group) in ORGANISATIONS {
        let parsed = OrganisationCode::parse(code).context("seed codes are well formed")?;
        if directory.get(db, &parsed).await.map_err(anyhow::Error::from)?.is_none() {
            let spec = OrganisationSpec {
                code: Some((*code).to_owned()),
                kind: *kind,
                name: (*name).to_owned(),
                compensator_type: *compensator_type,
                group: group.map(str::to_owned),
            };
            registration::create_organisation(db, directory, spec, now)
                .await
                .map_err(|e| anyhow::anyhow!("seeding {code}: {e}"))?;
        }
        let client_id = format!("{}-sandbox", code.to_lowercase());
        let existing = db.client_status(&client_id).await?;
        let client_secret = if existing.is_some() {
            registration::add_secret(db, &client_id, real_now, real_now + overlap)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
        } else {
            let label = Some("sandbox".to_owned());
            registration::create_client(db, directory, &parsed, label, Some(client_id.clone()), real_now)
                .await
                .map_err(|e| anyhow::anyhow!("seeding the client of {code}: {e}"))?
                .client_secret
        };
        seeded.push(SeededClient { code: (*code).to_owned(), kind: *kind, client_id, client_secret });
    }
    Ok(seeded)
}

/// Writes the credentials file (readable by the owner only where the platform allows).
pub fn write_credentials(path: &Path, base_url: &str, clients: &[SeededClient]) -> anyhow::Result<()> {
    let body = serde_json::to_string_pretty(&CredentialsFile { base_url, organisations: clients })?;
    std::fs::write(path, body + "\n").with_context(|| format!("writing {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

/// The banner printed at sandbox start.
pub fn banner(base_url: &str, clients: &[SeededClient]) -> String {
    let mut text = format!("\nClaims Exchange sandbox is running.\n  API reference: {base_url}/docs/\n\n");
    text.push_str(&format!("  {:<9} {:<25} {:<18} {}\n", "code", "kind", "client_id", "client_secret"));
    for client in clients {
        text.push_str(&format!(
            "  {:<9} {:<25} {:<18} {}\n",
            client.code,
            client.kind.as_str(),
            client.client_id,
            client.client_secret
        ));
    }
    text.push_str(&format!(
        "\n  Get a token: curl -s -d grant_type=client_credentials -d client_id=cr00001-sandbox \\\n      -d client_secret=<secret> {base_url}/oauth/token\n"
    ));
    text
}
