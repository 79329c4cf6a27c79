//! The test harness: each test gets its own database (a fresh SQLite file, or a fresh PostgreSQL
//! database dropped afterwards) and its own hub in sandbox mode on a random port, and talks to it
//! over HTTP like any client.

pub mod db;
pub mod flow;
pub mod logs;
pub mod private_postgres;

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use actix_web::dev::ServerHandle;
use awc::http::{Method, StatusCode};
use chrono::{DateTime, Utc};
use claims_exchange::config::Settings;
use claims_exchange::sandbox::SeededClient;
use claims_exchange::server;
use claims_http::clock::AdjustableClock;
use serde_json::Value;

pub use db::{Backend, TestDb};

/// Runs a test body once per backend: `sqlite` and `postgres` tests of the same name.
#[macro_export]
macro_rules! on_both_backends {
    ($(#[$meta:meta])* async fn $name:ident($app:ident) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($app: $crate::support::TestApp) $body

            #[actix_web::test]
            async fn sqlite() {
                if let Some(app) = $crate::support::TestApp::spawn($crate::support::Backend::Sqlite).await {
                    body(app).await;
                }
            }

            #[actix_web::test]
            async fn postgres() {
                if let Some(app) = $crate::support::TestApp::spawn($crate::support::Backend::Postgres).await {
                    body(app).await;
                }
            }
        }
    };
}

/// [`on_both_backends!`] with settings changed by `$adjust` (a `FnOnce(&mut Settings)`), for a
/// test that needs something other than the defaults.
#[macro_export]
macro_rules! on_both_backends_with {
    ($adjust:expr; $(#[$meta:meta])* async fn $name:ident($app:ident) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($app: $crate::support::TestApp) $body

            #[actix_web::test]
            async fn sqlite() {
                if let Some(app) = $crate::support::TestApp::spawn_with($crate::support::Backend::Sqlite, $adjust).await {
                    body(app).await;
                }
            }

            #[actix_web::test]
            async fn postgres() {
                if let Some(app) = $crate::support::TestApp::spawn_with($crate::support::Backend::Postgres, $adjust).await {
                    body(app).await;
                }
            }
        }
    };
}

/// Settings for a test that reads a claim's whole feed after a life longer than the 30 days
/// events are kept by default.
pub fn keeping_events(settings: &mut Settings) {
    settings.event_retention_days = 3650;
}

/// The instant every test hub's sandbox clock starts at (a Friday, 10:00 in England).
pub const START: &str = "2025-08-22T09:00:00Z";

pub fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).expect("an RFC 3339 instant")
}

pub struct TestApp {
    pub base_url: String,
    pub settings: Settings,
    pub clients: Vec<SeededClient>,
    pub client: awc::Client,
    handle: ServerHandle,
    tokens: Mutex<HashMap<String, String>>,
    pub hub: claims_exchange::server::Hub,
    /// The hub's real clock (tokens, lockouts), which tests may move.
    pub real_clock: Arc<AdjustableClock>,
    _db: TestDb,
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: awc::http::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| panic!("not JSON ({}): {}", self.status, String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected status; body: {}",
            String::from_utf8_lossy(&self.body)
        );
        self
    }

    /// The `(field, code)` pairs of a validation problem.
    pub fn field_errors(&self) -> Vec<(String, String)> {
        let body = self.json();
        body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| {
                        (
                            e["field"].as_str().unwrap_or("").to_owned(),
                            e["code"].as_str().unwrap_or("").to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl TestApp {
    /// A hub on a fresh database of `backend`, or `None` when PostgreSQL is unavailable and not
    /// required (the harness says so loudly).
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_at(backend, START).await
    }

    pub async fn spawn_at(backend: Backend, clock: &str) -> Option<TestApp> {
        let db = TestDb::create(backend).await?;
        Some(Self::start(db, Some(clock), 0, Arc::default(), |_| {}).await)
    }

    /// A hub whose deadline sweeper runs every `sweep_interval_seconds` on its own.
    pub async fn spawn_sweeping(backend: Backend, sweep_interval_seconds: u64) -> Option<TestApp> {
        let db = TestDb::create(backend).await?;
        Some(Self::start(db, Some(START), sweep_interval_seconds, Arc::default(), |_| {}).await)
    }

    /// A hub whose sandbox clock starts at `clock`, with settings changed by `adjust`.
    pub async fn spawn_at_with(
        backend: Backend,
        clock: &str,
        adjust: impl FnOnce(&mut Settings),
    ) -> Option<TestApp> {
        let db = TestDb::create(backend).await?;
        Some(Self::start(db, Some(clock), 0, Arc::default(), adjust).await)
    }

    /// A hub with settings changed by `adjust`.
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> Option<TestApp> {
        let db = TestDb::create(backend).await?;
        Some(Self::start(db, Some(START), 0, Arc::default(), adjust).await)
    }

    /// A second hub on this hub's database (so on its sandbox clock), sweeping deadlines every
    /// `sweep_interval_seconds` (0: never). Its seeding issues new secrets; the first hub's keep
    /// working.
    pub async fn another_on_the_same_database(&self, sweep_interval_seconds: u64) -> TestApp {
        Self::start(self._db.share(), None, sweep_interval_seconds, self.real_clock.clone(), |_| {}).await
    }

    /// The settings a test hub on `db` starts with.
    pub fn settings_for(db: &TestDb, clock: Option<&str>, sweep_interval_seconds: u64) -> Settings {
        Settings {
            listen: "127.0.0.1:0".parse().expect("address"),
            database_url: Some(db.url.clone()),
            sandbox: true,
            clock: clock.map(instant),
            workers: Some(2),
            pool_size: 8,
            // Unless asked, time moves only when a test moves the sandbox clock, which sweeps
            // there and then.
            sweep_interval_seconds,
            ..Settings::default()
        }
    }

    async fn start(
        db: TestDb,
        clock: Option<&str>,
        sweep_interval_seconds: u64,
        real_clock: Arc<AdjustableClock>,
        adjust: impl FnOnce(&mut Settings),
    ) -> TestApp {
        Self::try_start(db, clock, sweep_interval_seconds, real_clock, adjust).await.expect("the hub starts")
    }

    /// Starts a hub on `db` (as a restart or a second process would), or says why it would not.
    pub async fn try_start(
        db: TestDb,
        clock: Option<&str>,
        sweep_interval_seconds: u64,
        real_clock: Arc<AdjustableClock>,
        adjust: impl FnOnce(&mut Settings),
    ) -> anyhow::Result<TestApp> {
        let mut settings = Self::settings_for(&db, clock, sweep_interval_seconds);
        adjust(&mut settings);
        logs::install();
        let hub = server::prepare_with_real_clock(&settings, real_clock.clone()).await?;
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let (server, address) = server::start(&hub, &settings, listener).expect("the server starts");
        let handle = server.handle();
        actix_web::rt::spawn(server);
        Ok(TestApp {
            base_url: format!("http://{address}"),
            settings,
            clients: hub.seeded.clone(),
            client: awc::Client::builder()
                .timeout(std::time::Duration::from_secs(60))
                .disable_redirects()
                .finish(),
            handle,
            tokens: Mutex::new(HashMap::new()),
            hub,
            real_clock,
            _db: db,
        })
    }

    /// Stops this hub's server and background work (its database stays).
    pub async fn stop(&self) {
        self.handle.stop(true).await;
        self.hub.stop_background().await;
    }

    /// Takes over this hub's database (it then outlives the hub, for a restart on it).
    pub fn take_database(&mut self) -> TestDb {
        let borrowed = self._db.share();
        std::mem::replace(&mut self._db, borrowed)
    }

    /// The URL of the hub's database.
    pub fn database_url(&self) -> &str {
        &self._db.url
    }

    pub fn backend(&self) -> Backend {
        if self._db.url.starts_with("sqlite:") { Backend::Sqlite } else { Backend::Postgres }
    }

    pub fn credentials(&self, code: &str) -> &SeededClient {
        self.clients.iter().find(|c| c.code == code).unwrap_or_else(|| panic!("no seeded client for {code}"))
    }

    /// A token for a seeded organisation's client (cached until the clock moves).
    pub async fn token(&self, code: &str) -> String {
        if let Some(token) = self.tokens.lock().expect("lock").get(code) {
            return token.clone();
        }
        let client = self.credentials(code);
        let reply = self
            .token_request(&[
                ("grant_type", "client_credentials"),
                ("client_id", &client.client_id),
                ("client_secret", &client.client_secret),
            ])
            .await
            .expect(200);
        let token = reply.json()["access_token"].as_str().expect("a token").to_owned();
        self.tokens.lock().expect("lock").insert(code.to_owned(), token.clone());
        token
    }

    pub async fn token_request(&self, form: &[(&str, &str)]) -> Reply {
        let response = self.client.post(format!("{}/oauth/token", self.base_url)).send_form(&form).await;
        read(response).await
    }

    /// Sends a request; `as_code` names the seeded organisation whose token to use.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        as_code: Option<&str>,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = self.client.request(method, format!("{}{path}", self.base_url));
        if let Some(code) = as_code {
            request = request.bearer_auth(self.token(code).await);
        }
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        let response = match body {
            Some(body) => request.send_json(body).await,
            None => request.send().await,
        };
        let reply = read(response).await;
        if path.starts_with("/v1/events") && reply.status == 200 {
            contract::check_feed(&reply.json());
        }
        reply
    }

    /// Sends a body exactly as given (bytes the JSON helpers would not produce).
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        as_code: &str,
        content_type: &str,
        body: impl Into<Vec<u8>>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.base_url))
            .bearer_auth(self.token(as_code).await)
            .insert_header(("content-type", content_type));
        for (name, value) in headers {
            request = request.insert_header((*name, *value));
        }
        read(request.send_body(body.into()).await).await
    }

    pub async fn get(&self, as_code: &str, path: &str) -> Reply {
        self.call(Method::GET, path, Some(as_code), None, &[]).await
    }

    pub async fn post(&self, as_code: &str, path: &str, body: &Value) -> Reply {
        self.call(Method::POST, path, Some(as_code), Some(body), &[]).await
    }

    /// Submits a CNF as a claimant representative.
    pub async fn submit(&self, as_code: &str, cnf: &Value) -> Reply {
        self.post(as_code, "/v1/claims", &serde_json::json!({ "cnf": cnf })).await
    }

    /// Submits a CNF that must be accepted; returns the claim.
    pub async fn submit_ok(&self, as_code: &str, cnf: &Value) -> Value {
        self.submit(as_code, cnf).await.expect(201).json()
    }

    /// Drops cached tokens.
    pub fn forget_tokens(&self) {
        self.tokens.lock().expect("lock").clear();
    }

    /// Moves the hub's real clock; cached tokens are dropped, since they may have expired.
    pub fn advance_real_clock(&self, by: chrono::Duration) {
        self.real_clock.advance(by);
        self.forget_tokens();
    }

    /// Moves the sandbox clock. Tokens are kept: they run on the real clock, so they stay valid.
    pub async fn set_clock(&self, to: &str) -> Reply {
        self.call(
            Method::PUT,
            "/v1/sandbox/clock",
            Some("OP00001"),
            Some(&serde_json::json!({ "now": to })),
            &[],
        )
        .await
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop the server without waiting; the database guard drops after it.
        drop(self.handle.stop(false));
    }
}

async fn read(
    response: Result<
        awc::ClientResponse<
            impl futures_util::Stream<Item = Result<actix_web::web::Bytes, awc::error::PayloadError>> + Unpin,
        >,
        awc::error::SendRequestError,
    >,
) -> Reply {
    let mut response = response.expect("the hub answers");
    let body = response.body().limit(16 * 1024 * 1024).await.expect("a readable body").to_vec();
    Reply { status: response.status(), headers: response.headers().clone(), body }
}

/// The example CNF of a claim type, as JSON.
pub fn example(claim_type: claims_domain::claim_type::ClaimType) -> Value {
    serde_json::to_value(claims_domain::cnf::examples::for_type(claim_type)).expect("examples serialise")
}

/// The example small-claims form: a driver in a rear-end collision on 14 Mar 2024, whiplash and
/// a minor psychological injury, estimates £2,500 / £3,200.
pub fn oic() -> Value {
    example(claims_domain::claim_type::ClaimType::OicRta)
}

pub fn rta() -> Value {
    example(claims_domain::claim_type::ClaimType::Rta)
}

/// The example RTA form for a child passenger (born 2012), within the RTA track's limits.
pub fn child_rta() -> Value {
    let mut cnf = rta();
    cnf["claimant"]["date_of_birth"] = serde_json::json!("2012-05-01");
    cnf["accident"]["claimant_role"] = serde_json::json!("passenger");
    cnf["claim"]["injury_damages_estimate_pence"] = serde_json::json!(200_000);
    cnf
}

/// A multipart upload body with a title part and a file part: `(content type, body)`.
pub fn multipart(file_name: &str, bytes: &[u8], title: &str) -> (String, Vec<u8>) {
    let boundary = "----claims-exchange-test-boundary";
    let mut body = Vec::new();
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n{title}\r\n")
            .as_bytes(),
    );
    body.extend(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/pdf\r\n\r\n")
            .as_bytes(),
    );
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Every feed page a test reads is held to the contract: each event's `data` has the members the
/// OpenAPI document gives its type (all the required ones, no others), of the declared JSON types.
mod contract {
    use serde_json::Value;
    use std::sync::OnceLock;

    fn document() -> &'static Value {
        static DOCUMENT: OnceLock<Value> = OnceLock::new();
        DOCUMENT.get_or_init(|| serde_json::from_str(&claims_http::openapi_json()).expect("the document"))
    }

    fn resolve(schema: &Value) -> &Value {
        match schema["$ref"].as_str() {
            Some(target) => document().pointer(target.trim_start_matches('#')).expect("a component"),
            None => schema,
        }
    }

    /// Whether `value` has one of the JSON types `schema` allows (following `$ref` and `oneOf`).
    fn has_type(schema: &Value, value: &Value) -> bool {
        let schema = resolve(schema);
        if let Some(options) = schema["oneOf"].as_array() {
            return options.iter().any(|option| has_type(option, value));
        }
        if let Some(words) = schema["enum"].as_array() {
            return words.contains(value);
        }
        let types: Vec<&str> = match &schema["type"] {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => return true,
        };
        types.iter().any(|kind| match *kind {
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            "object" => value.is_object(),
            "array" => value.is_array(),
            _ => true,
        })
    }

    pub fn check_feed(page: &Value) {
        let mapping = &document()["components"]["schemas"]["EventView"]["discriminator"]["mapping"];
        for event in page["items"].as_array().into_iter().flatten() {
            let kind = event["type"].as_str().expect("a type");
            let target = mapping[kind].as_str().unwrap_or_else(|| panic!("{kind} is not in the contract"));
            let variant = document().pointer(target.trim_start_matches('#')).expect("the event's schema");
            let data_schema = resolve(&variant["properties"]["data"]);
            let data = event["data"].as_object().expect("data is an object");
            for required in data_schema["required"].as_array().into_iter().flatten() {
                let name = required.as_str().expect("a name");
                assert!(data.contains_key(name), "{kind}: data has no {name}: {data:?}");
            }
            for (name, value) in data {
                let member = &data_schema["properties"][name];
                assert!(member.is_object(), "{kind}: data has {name}, which the contract does not list");
                assert!(
                    has_type(member, value),
                    "{kind}: data.{name} = {value} is not what the contract says"
                );
            }
        }
    }
}
