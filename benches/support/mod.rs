//! What the benchmarks share: a PostgreSQL database of their own, a sandbox hub on it listening
//! on a free port, and an operator's token.

use std::future::Future;
use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use claims_exchange::config::Settings;
use claims_exchange::server::{self, Hub};
use claims_persistence::provisioning;
use serde_json::Value;

/// Runs `measure` on a new PostgreSQL database (at `TEST_POSTGRES_URL`, default the local
/// server) and drops the database afterwards, whatever `measure` returned.
pub async fn on_a_fresh_database<F, Fut>(measure: F) -> anyhow::Result<()>
where
    F: FnOnce(String) -> Fut,
    Fut: Future<Output = anyhow::Result<()>>,
{
    let server_url = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let name = format!("cx_bench_{}", uuid::Uuid::new_v4().simple());
    provisioning::create_postgres_database(&server_url, &name).await?;
    let result = measure(provisioning::database_url(&server_url, &name)).await;
    provisioning::drop_postgres_database(&server_url, &name).await?;
    result
}

/// A sandbox hub on `url` that never sweeps on its own, serving HTTP.
pub struct Running {
    pub hub: Hub,
    pub base: String,
    pub client: awc::Client,
    handle: ServerHandle,
}

pub async fn start_hub(url: &str) -> anyhow::Result<Running> {
    let settings = Settings {
        listen: "127.0.0.1:0".parse()?,
        database_url: Some(url.to_owned()),
        sandbox: true,
        sweep_interval_seconds: 0,
        log_filter: "warn".to_owned(),
        ..Settings::default()
    };
    let hub = server::prepare(&settings).await?;
    let (server, address) = server::start(&hub, &settings, TcpListener::bind("127.0.0.1:0")?)?;
    let handle = server.handle();
    actix_web::rt::spawn(server);
    let client = awc::Client::builder().timeout(Duration::from_secs(600)).finish();
    Ok(Running { hub, base: format!("http://{address}"), client, handle })
}

impl Running {
    /// A token of the seeded operator client.
    pub async fn operator_token(&self) -> anyhow::Result<String> {
        let operator = self
            .hub
            .seeded
            .iter()
            .find(|c| c.code == "OP00001")
            .ok_or_else(|| anyhow::anyhow!("no operator"))?;
        let mut response = self
            .client
            .post(format!("{}/oauth/token", self.base))
            .send_form(&[
                ("grant_type", "client_credentials"),
                ("client_id", operator.client_id.as_str()),
                ("client_secret", operator.client_secret.as_str()),
            ])
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let token: Value = serde_json::from_slice(&response.body().await?)?;
        Ok(token["access_token"].as_str().unwrap_or_default().to_owned())
    }

    pub async fn stop(self) {
        self.handle.stop(true).await;
        self.hub.stop_background().await;
        self.hub.state.db.close();
    }
}
