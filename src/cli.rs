//! The command line: `serve`, `migrate`, `admin …` and `openapi`.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use chrono::{DateTime, Utc};
use claims_domain::ids::OrganisationCode;
use claims_domain::organisation::{CompensatorType, OrganisationKind};
use claims_http::directory::Directory;
use claims_http::service::registration::{self, OrganisationSpec};
use clap::{Args, Parser, Subcommand};
use serde::Serialize;

use crate::config::Settings;
use crate::{server, telemetry};

/// Claims Exchange: the hub for low-value personal-injury claims in England and Wales.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    /// A TOML configuration file (see docs/CONFIGURATION.md).
    #[arg(long, global = true, env = "CLAIMS_EXCHANGE_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API.
    Serve(ServeArgs),
    /// Apply the embedded database migrations.
    Migrate(DatabaseArgs),
    /// Register organisations and API clients (bootstrapping a new database).
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Print the OpenAPI document.
    Openapi,
}

#[derive(Debug, Args, Serialize)]
struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    listen: Option<SocketAddr>,
    #[command(flatten)]
    #[serde(flatten)]
    database: DatabaseArgs,
    /// Sandbox mode: migrate, seed demonstration organisations, enable the movable clock.
    #[arg(long)]
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    sandbox: bool,
    /// Sandbox only: start the clock at this RFC 3339 instant (the database keeps the clock;
    /// an instant before the stored one is refused unless --reset-clock is given).
    #[arg(long, requires = "sandbox")]
    #[serde(skip_serializing_if = "Option::is_none")]
    clock: Option<DateTime<Utc>>,
    /// Sandbox only: start the clock over at --clock (or now) even if the stored clock is later.
    #[arg(long, requires = "sandbox")]
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    reset_clock: bool,
    /// Sandbox only: write the seeded clients' credentials to this JSON file.
    #[arg(long, requires = "sandbox")]
    #[serde(skip_serializing_if = "Option::is_none")]
    credentials_file: Option<PathBuf>,
}

#[derive(Debug, Args, Serialize)]
struct DatabaseArgs {
    /// `postgres://…` or `sqlite://PATH` [env: DATABASE_URL; default: an SQLite file in data/].
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    database_url: Option<String>,
}

#[derive(Debug, Subcommand)]
enum AdminCommand {
    /// Register an organisation and print it.
    CreateOrganisation {
        #[command(flatten)]
        database: DatabaseArgs,
        /// claimant_representative, compensator or operator.
        #[arg(long, value_parser = parse_kind)]
        kind: OrganisationKind,
        #[arg(long)]
        name: String,
        /// Its code; allocated when absent.
        #[arg(long)]
        code: Option<String>,
        /// insurer, mib, self_insured or tpa (compensators only).
        #[arg(long, value_parser = parse_compensator_type)]
        compensator_type: Option<CompensatorType>,
        /// Brand group (compensators only).
        #[arg(long)]
        group: Option<String>,
    },
    /// Issue an API client for an organisation and print its credentials (shown once).
    CreateClient {
        #[command(flatten)]
        database: DatabaseArgs,
        /// The organisation's code.
        #[arg(long)]
        organisation: String,
        #[arg(long)]
        label: Option<String>,
    },
    /// Disable an API client.
    DisableClient {
        #[command(flatten)]
        database: DatabaseArgs,
        client_id: String,
    },
    /// Create a new token-signing key; older keys stop signing but still verify.
    RotateSigningKey {
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

fn parse_kind(raw: &str) -> Result<OrganisationKind, String> {
    OrganisationKind::parse(raw)
        .ok_or_else(|| "expected claimant_representative, compensator or operator".to_owned())
}

fn parse_compensator_type(raw: &str) -> Result<CompensatorType, String> {
    CompensatorType::parse(raw).ok_or_else(|| "expected insurer, mib, self_insured or tpa".to_owned())
}

pub fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = cli.config.as_ref();
    match cli.command {
        Command::Openapi => {
            print!("{}", claims_http::openapi_json());
            Ok(())
        }
        Command::Serve(args) => {
            let settings = load(config, &args)?;
            telemetry::init(&settings);
            runtime(server::serve(settings))
        }
        Command::Migrate(args) => {
            let settings = load(config, &args)?;
            telemetry::init(&settings);
            runtime(async move {
                server::connect(&settings)?.migrate().await?;
                println!("migrations applied to {}", redact(&settings.database_url()));
                Ok(())
            })
        }
        Command::Admin(command) => runtime(admin_command(command, config)),
    }
}

fn load(file: Option<&PathBuf>, overrides: &impl Serialize) -> anyhow::Result<Settings> {
    Settings::load(file, overrides).map_err(|e| anyhow::anyhow!("configuration: {e}"))
}

fn runtime(future: impl std::future::Future<Output = anyhow::Result<()>>) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(future)
}

async fn admin_command(command: AdminCommand, config: Option<&PathBuf>) -> anyhow::Result<()> {
    let database = match &command {
        AdminCommand::CreateOrganisation { database, .. }
        | AdminCommand::CreateClient { database, .. }
        | AdminCommand::DisableClient { database, .. }
        | AdminCommand::RotateSigningKey { database } => database,
    };
    let settings = load(config, database)?;
    let db = server::connect(&settings)?;
    db.ready().await.context("the database is not ready; run `claims-exchange migrate` first")?;
    let directory = Directory::default();
    let now = Utc::now();
    let fail = |e: claims_http::error::ApiError| anyhow::anyhow!("{e}");
    match command {
        AdminCommand::CreateOrganisation { kind, name, code, compensator_type, group, .. } => {
            let spec = OrganisationSpec { code, kind, name, compensator_type, group };
            let organisation =
                registration::create_organisation(&db, &directory, spec, now).await.map_err(fail)?;
            println!("{}", organisation.code);
        }
        AdminCommand::CreateClient { organisation, label, .. } => {
            let code = OrganisationCode::parse(&organisation)
                .context("--organisation must be a code such as CM00001")?;
            let issued =
                registration::create_client(&db, &directory, &code, label, None, now).await.map_err(fail)?;
            println!("{}", serde_json::to_string_pretty(&issued)?);
        }
        AdminCommand::DisableClient { client_id, .. } => {
            anyhow::ensure!(db.disable_client(&client_id, now).await?, "no client {client_id}");
            println!("disabled {client_id}");
        }
        AdminCommand::RotateSigningKey { .. } => {
            let keys = claims_http::auth::keys::TokenKeys::new(
                settings.token_issuer.clone(),
                settings.token_audience.clone(),
                chrono::Duration::seconds(settings.token_ttl_seconds),
            );
            let kid = keys.rotate(&db, now).await?;
            println!("new signing key {kid}; restart or wait for hub processes to load it");
        }
    }
    Ok(())
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_from_database_urls() {
        assert_eq!(redact("postgres://app:s3cret@db:5432/claims"), "postgres://app:***@db:5432/claims");
        assert_eq!(redact("sqlite://data/x.sqlite3"), "sqlite://data/x.sqlite3");
    }
}
