//! Assembling and running the hub: storage, clock, token keys, sandbox seeding, HTTP server.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::{HttpServer, web};
use anyhow::Context;
use claims_domain::Clock;
use claims_http::auth::keys::TokenKeys;
use claims_http::calendar_cache::{CalendarCache, Recounts};
use claims_http::clock::{SandboxClock, SandboxStart, SystemClock};
use claims_http::directory::Directory;
use claims_http::feed::Sequencer;
use claims_http::limits::{GuardSettings, RateLimits, RateSettings, TokenGuard};
use claims_http::metrics::Metrics;
use claims_http::state::{ApiSettings, AppState};
use claims_http::sweeper;
use claims_persistence::{Database, PoolOptions};

use crate::config::Settings;
use crate::sandbox::{self, SeededClient};

/// A hub ready to serve: its state and, in sandbox mode, the seeded clients.
pub struct Hub {
    pub state: web::Data<AppState>,
    pub seeded: Vec<SeededClient>,
    /// Tells background work (the deadline sweeper) to stop.
    stop: tokio::sync::watch::Sender<bool>,
    /// Whether `start` has still to start the sweeper (it runs once per hub).
    sweeper_pending: std::sync::Mutex<bool>,
    background: std::sync::Mutex<Vec<actix_web::rt::task::JoinHandle<()>>>,
}

impl Hub {
    /// Stops the background work and waits for it to finish its current step.
    pub async fn stop_background(&self) {
        let _ = self.stop.send(true);
        let handles: Vec<_> = self.background.lock().map(|mut h| h.drain(..).collect()).unwrap_or_default();
        for handle in handles {
            let _ = handle.await;
        }
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Opens the database and prepares everything the HTTP server needs. In sandbox mode it also
/// migrates and seeds; otherwise the database must already be migrated (`claims-exchange migrate`).
pub async fn prepare(settings: &Settings) -> anyhow::Result<Hub> {
    prepare_with_real_clock(settings, Arc::new(SystemClock)).await
}

/// Like [`prepare`], on a given real clock (tests move it to make tokens expire).
pub async fn prepare_with_real_clock(settings: &Settings, real_clock: Arc<dyn Clock>) -> anyhow::Result<Hub> {
    let db = connect(settings)?;
    if settings.sandbox {
        db.migrate().await.context("migrating the database")?;
    } else {
        db.ready().await.context("the database is not ready; run `claims-exchange migrate` first")?;
    }
    let (clock, sandbox_clock): (Arc<dyn Clock>, _) = if settings.sandbox {
        let start = SandboxStart { at: settings.clock, reset: settings.reset_clock };
        let clock = Arc::new(SandboxClock::open(&db, real_clock.clone(), start).await?);
        (clock.clone(), Some(clock))
    } else {
        (real_clock.clone(), None)
    };
    let tokens = TokenKeys::new(
        settings.token_issuer.clone(),
        settings.token_audience.clone(),
        chrono::Duration::seconds(settings.token_ttl_seconds),
    );
    tokens.load_or_create(&db, real_clock.now()).await.context("loading the token-signing keys")?;
    let directory = Directory::default();
    let seeded = if settings.sandbox {
        let overlap = chrono::Duration::days(settings.secret_overlap_days);
        sandbox::seed(&db, &directory, clock.now(), real_clock.now(), overlap).await?
    } else {
        Vec::new()
    };
    let calendar =
        CalendarCache::load(&db, clock.now()).await.context("loading the bank-holiday calendar")?;
    let recounts = Recounts::default();
    let api_settings = ApiSettings {
        secret_overlap: chrono::Duration::days(settings.secret_overlap_days),
        attachment_limit_bytes: settings.attachment_limit_bytes,
        clock_movers: settings.sandbox_clock_movers,
        body_timeout: Duration::from_secs(settings.request_body_timeout_seconds),
        small_claims_periods: settings.small_claims_periods(),
        client_idle: chrono::Duration::days(settings.client_idle_days),
        event_retention: chrono::Duration::days(settings.event_retention_days),
        rate: RateSettings { per_second: settings.rate_limit_per_second, burst: settings.rate_limit_burst },
        token_guard: GuardSettings {
            source_failures: settings.token_failures_per_source,
            client_failures: settings.token_failures_per_client,
            ..GuardSettings::default()
        },
        trusted_proxies: settings.trusted_proxies.clone(),
        recount_wait: Duration::from_millis(settings.calendar_recount_wait_ms),
        sweep_batch: settings.sweep_batch,
        clock_sweep_wait: Duration::from_millis(settings.sandbox_clock_sweep_wait_ms),
        cursor_lifetime: chrono::Duration::minutes(settings.cursor_lifetime_minutes),
        walk_changed_limit: settings.walk_changed_limit,
        ..ApiSettings::default()
    };
    let state = AppState {
        db,
        clock,
        real_clock,
        sandbox_clock,
        tokens: Arc::new(tokens),
        rate_limits: Arc::new(RateLimits::new(api_settings.rate)),
        token_guard: Arc::new(TokenGuard::new(api_settings.token_guard)),
        settings: api_settings,
        metrics: Arc::new(Metrics::new().context("registering metrics")?),
        directory,
        standings: Default::default(),
        sweeping: Default::default(),
        sequencer: Sequencer::default(),
        calendar,
        recounts,
    };
    let (stop, _) = tokio::sync::watch::channel(false);
    Ok(Hub {
        state: web::Data::new(state),
        seeded,
        stop,
        sweeper_pending: std::sync::Mutex::new(true),
        background: std::sync::Mutex::new(Vec::new()),
    })
}

pub fn connect(settings: &Settings) -> anyhow::Result<Database> {
    let options = PoolOptions {
        max_size: settings.pool_size,
        timeout: Duration::from_millis(settings.database_timeout_ms),
        bulk_timeout: Duration::from_millis(settings.database_bulk_timeout_ms),
    };
    Ok(Database::connect(&settings.database_url(), options)?.with_retention(settings.retention()))
}

/// Starts the HTTP server on an already-bound listener. SIGTERM and SIGINT stop it gracefully:
/// it stops accepting, lets requests in flight finish (up to the shutdown timeout), then exits.
pub fn start(hub: &Hub, settings: &Settings, listener: TcpListener) -> anyhow::Result<(Server, SocketAddr)> {
    let address = listener.local_addr()?;
    let state = hub.state.clone();
    let document = claims_http::openapi();
    let mut server = HttpServer::new(move || claims_http::app(state.clone(), document.clone()))
        .shutdown_timeout(settings.shutdown_timeout_seconds)
        .listen(listener)?;
    if let Some(workers) = settings.workers {
        server = server.workers(workers);
    }
    // The sweeper always runs: it recounts deadlines after a calendar change even when it sweeps
    // only on demand (`sweep_interval_seconds = 0`). So does the feed's sequencer pass, which
    // every write asks for.
    let interval =
        (settings.sweep_interval_seconds > 0).then(|| Duration::from_secs(settings.sweep_interval_seconds));
    let pending = hub.sweeper_pending.lock().map(|mut pending| std::mem::replace(&mut *pending, false));
    if pending.unwrap_or(false) {
        let sweeper = actix_web::rt::spawn(sweeper::run(hub.state.clone(), interval, hub.stop.subscribe()));
        let state = hub.state.clone();
        let stop = hub.stop.subscribe();
        let sequencer = actix_web::rt::spawn(async move { state.sequencer.run(&state.db, stop).await });
        if let Ok(mut background) = hub.background.lock() {
            background.push(sweeper);
            background.push(sequencer);
        }
    }
    Ok((server.run(), address))
}

/// `serve`: prepares the hub, prints the sandbox banner, and serves until stopped.
pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    let hub = prepare(&settings).await?;
    let listener =
        TcpListener::bind(settings.listen).with_context(|| format!("listening on {}", settings.listen))?;
    let (server, address) = start(&hub, &settings, listener)?;
    let base_url = settings.public_url(address);
    if settings.sandbox {
        println!("{}", sandbox::banner(&base_url, &hub.seeded));
        if let Some(path) = &settings.credentials_file {
            sandbox::write_credentials(path, &base_url, &hub.seeded)?;
            println!("  Credentials written to {}\n", path.display());
        }
    }
    tracing::info!(%address, backend = ?hub.state.db.backend(), sandbox = settings.sandbox, "serving");
    server.await?;
    hub.stop_background().await;
    hub.state.db.close();
    tracing::info!("stopped");
    Ok(())
}
