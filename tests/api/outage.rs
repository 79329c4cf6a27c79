//! Database outages: with PostgreSQL frozen (every process stopped with SIGSTOP, connections open
//! and silent) or shut down, requests get `503` with `Retry-After` within the database time limit,
//! a request already waiting on the database included, and the hub recovers by itself when the
//! database comes back. The server is a private one the test starts; the shared one is never
//! touched. Slow request bodies are cut off with `408`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use awc::http::Method;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::on_both_backends;
use crate::support::private_postgres::PrivatePostgres;
use crate::support::*;

/// The database time limit the hub runs with here.
const LIMIT: Duration = Duration::from_secs(2);

/// Waits for `work`, failing the test (rather than hanging it) if it takes longer than `bound`.
async fn within<T>(bound: Duration, what: &str, work: impl std::future::Future<Output = T>) -> T {
    match tokio::time::timeout(bound, work).await {
        Ok(done) => done,
        Err(_) => panic!("{what} hung for more than {bound:?}"),
    }
}

/// A request, with how long its answer took.
async fn timed(app: &TestApp, method: Method, path: &str, code: Option<&str>) -> (Reply, Duration) {
    let started = Instant::now();
    let reply = within(Duration::from_secs(15), path, app.call(method, path, code, None, &[])).await;
    (reply, started.elapsed())
}

fn assert_unavailable(reply: &Reply, what: &str) {
    assert_eq!(reply.status.as_u16(), 503, "{what}: {}", String::from_utf8_lossy(&reply.body));
    assert!(reply.header("retry-after").is_some(), "{what} says when to retry");
    assert_eq!(reply.header("content-type").as_deref(), Some("application/problem+json"), "{what}");
}

/// Asks until the hub answers `200` again (it must recover without a restart).
async fn recovers(app: &TestApp, path: &str, code: Option<&str>) {
    let started = Instant::now();
    loop {
        let (reply, _) = timed(app, Method::GET, path, code).await;
        if reply.status.as_u16() == 200 {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "{path} did not recover: {}", reply.status);
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    }
}

#[actix_web::test]
async fn a_frozen_or_stopped_database_gets_503_in_time_and_the_hub_recovers() {
    let Some(mut postgres) = PrivatePostgres::start() else { return };
    let app =
        TestApp::try_start(TestDb::existing(postgres.url()), Some(START), 0, Arc::default(), |settings| {
            settings.database_timeout_ms = u64::try_from(LIMIT.as_millis()).unwrap_or(2000);
        })
        .await
        .expect("a hub on the private server");
    let claim = app.submit_ok("CR00001", &rta()).await;
    let path = format!("/v1/claims/{}", claim["id"].as_str().expect("id"));
    let _ = app.token("CM00001").await;

    // Another session holds the claims table, so the next read waits inside the database.
    let mut locker = postgres
        .psql("BEGIN; LOCK TABLE claims IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(600);")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("psql");
    let waiting = Instant::now();
    while postgres
        .sql("SELECT count(*) FROM pg_locks WHERE relation = 'claims'::regclass AND granted AND mode = 'AccessExclusiveLock'")
        .map_or(true, |n| n.trim() != "1")
    {
        assert!(waiting.elapsed() < Duration::from_secs(10), "the lock was not taken");
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    let in_flight = {
        let (client, url, token) =
            (app.client.clone(), format!("{}{path}", app.base_url), app.token("CR00001").await);
        actix_web::rt::spawn(async move {
            let started = Instant::now();
            let response = client.get(url).bearer_auth(token).send().await;
            (
                response.map(|r| (r.status().as_u16(), r.headers().contains_key("retry-after"))),
                started.elapsed(),
            )
        })
    };
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    postgres.freeze();

    // The request already running gets its 503 within the limit, not when the database returns.
    let (answer, took) =
        within(Duration::from_secs(15), "the running request", in_flight).await.expect("the request task");
    assert_eq!(answer.expect("an answer"), (503, true));
    assert!(took < LIMIT + Duration::from_secs(2), "the running request took {took:?}");

    // New requests: 503 within the limit (not twice it), health not ready, nothing hangs.
    for (method, target, code) in [
        (Method::GET, path.as_str(), Some("CR00001")),
        (Method::GET, "/v1/claims", Some("CM00001")),
        (Method::GET, "/health/ready", None),
    ] {
        let (reply, took) = timed(&app, method, target, code).await;
        assert_unavailable(&reply, target);
        assert!(took < LIMIT * 2 - Duration::from_millis(300), "{target} took {took:?}");
    }
    let (submitted, took) = {
        let started = Instant::now();
        (
            within(Duration::from_secs(15), "a submission", app.submit("CR00001", &rta())).await,
            started.elapsed(),
        )
    };
    assert_unavailable(&submitted, "a submission");
    assert!(took < LIMIT * 2 - Duration::from_millis(300), "a submission took {took:?}");
    let (live, _) = timed(&app, Method::GET, "/health/live", None).await;
    assert_eq!(live.status.as_u16(), 200, "the process itself is up");

    // Thawed, the hub serves again with no restart (the connections cut off were discarded).
    postgres.thaw();
    let _ = locker.kill();
    let _ = postgres.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(600)%' AND pid <> pg_backend_pid()");
    let _ = locker.wait();
    recovers(&app, "/health/ready", None).await;
    recovers(&app, &path, Some("CR00001")).await;
    app.submit("CR00001", &rta()).await.expect(201);

    // A server that is down refuses connections: 503 at once, and recovery when it is back.
    postgres.stop();
    let (reply, took) = timed(&app, Method::GET, "/v1/claims", Some("CR00001")).await;
    assert_unavailable(&reply, "a list with the server down");
    assert!(took < LIMIT + Duration::from_secs(1), "took {took:?}");
    postgres.restart().expect("the server starts again");
    recovers(&app, "/v1/claims", Some("CR00001")).await;
    let list = app.get("CR00001", "/v1/claims").await.expect(200).json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(2), "both acknowledged submissions are there");
    app.stop().await;
}

on_both_backends! {
    /// A body that stops arriving is cut off after the configured time with `408`.
    async fn a_stalled_body_gets_408(app) {
        let Some(app) = TestApp::spawn_with(app.backend(), |settings| settings.request_body_timeout_seconds = 1).await
        else {
            return;
        };
        let token = app.token("CR00001").await;
        let address = app.base_url.trim_start_matches("http://").to_owned();
        let mut stream = tokio::net::TcpStream::connect(&address).await.expect("a connection");
        let head = format!(
            "POST /v1/claims HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{{\"cnf\": {{"
        );
        stream.write_all(head.as_bytes()).await.expect("sent");
        let mut answer = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(20), async {
            let mut buffer = [0u8; 4096];
            loop {
                match stream.read(&mut buffer).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        answer.extend_from_slice(&buffer[..n]);
                        if answer.windows(4).any(|w| w == b"\r\n\r\n") {
                            break;
                        }
                    }
                }
            }
        })
        .await;
        assert!(read.is_ok(), "the hub answered instead of waiting for the rest");
        let text = String::from_utf8_lossy(&answer);
        assert!(text.starts_with("HTTP/1.1 408"), "{text}");
        // Nothing was stored, and the hub carries on.
        let list = app.get("CR00001", "/v1/claims").await.expect(200).json();
        assert_eq!(list["items"], json!([]));
    }
}
