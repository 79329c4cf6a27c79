//! Benchmark: management information at national scale on PostgreSQL.
//!
//! `cargo bench --bench statistics` (PostgreSQL at `TEST_POSTGRES_URL`, default
//! `postgres://postgres@127.0.0.1:5432/postgres`; `psql` on the path). It creates and drops its
//! own database, writes the anonymous facts of 1,000,000 claims over two years straight into the
//! facts table with `psql` (what the hub's writes would have left there), times the
//! housekeeping that rolls them up into daily counts, then times `GET /v1/admin/statistics` for a
//! year by month, a month, and a year as CSV.

use std::process::Command;
use std::time::Instant;

const CLAIMS: u32 = 1_000_000;

/// Per claim: submitted, acknowledged, liability decided (with its business days), and then
/// either settled and closed, or (one in ten) exited with the liability deadline missed.
const SEED: &str = r"
INSERT INTO claim_statistics (kind, claim_type, occurred_on, month, detail, party, business_days)
SELECT f.kind, (ARRAY['rta', 'el', 'pl', 'oic_rta'])[1 + c % 4], f.day, to_char(f.day, 'YYYY-MM'), f.detail, f.party, f.days
FROM generate_series(1, {CLAIMS}) AS c
CROSS JOIN LATERAL (SELECT DATE '2024-01-01' + (c % 700) AS submitted, (1 + (c::bigint * 7919) % 30)::int AS decided_after) AS d
CROSS JOIN LATERAL (VALUES
    ('status_reached', d.submitted, 'submitted', '', -1),
    ('status_reached', d.submitted + 1, 'awaiting_liability_decision', '', -1),
    ('liability_decided', d.submitted + d.decided_after, '', '', d.decided_after),
    ('status_reached', d.submitted + d.decided_after, CASE WHEN c % 10 = 0 THEN 'exited' ELSE 'liability_admitted' END, '', -1),
    (CASE WHEN c % 10 = 0 THEN 'exited' ELSE 'settled' END, d.submitted + d.decided_after + 20,
        CASE WHEN c % 10 = 0 THEN 'liability_response_late' ELSE '' END, CASE WHEN c % 10 = 0 THEN 'system' ELSE '' END,
        CASE WHEN c % 10 = 0 THEN -1 ELSE d.decided_after + 14 END),
    (CASE WHEN c % 10 = 0 THEN 'deadline_missed' ELSE 'status_reached' END, d.submitted + d.decided_after + 21,
        CASE WHEN c % 10 = 0 THEN 'liability_decision' ELSE 'closed' END, CASE WHEN c % 10 = 0 THEN 'compensator' ELSE '' END, -1)
) AS f(kind, day, detail, party, days);
";

mod support;

fn main() -> anyhow::Result<()> {
    actix_web::rt::System::new()
        .block_on(support::on_a_fresh_database(|url| async move { measure(&url).await }))
}

fn psql(url: &str, sql: &str) -> anyhow::Result<()> {
    let output = Command::new("psql").args([url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql]).output()?;
    anyhow::ensure!(output.status.success(), "psql: {}", String::from_utf8_lossy(&output.stderr));
    Ok(())
}

async fn measure(url: &str) -> anyhow::Result<()> {
    let running = support::start_hub(url).await?;
    let hub = &running.hub;

    let seeding = Instant::now();
    psql(url, &SEED.replace("{CLAIMS}", &CLAIMS.to_string()))?;
    psql(url, "VACUUM ANALYZE claim_statistics")?;
    let seeded = seeding.elapsed();

    let rolling = Instant::now();
    claims_http::sweeper::housekeeping(&hub.state).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let rolled = rolling.elapsed();
    psql(url, "VACUUM ANALYZE claim_statistics_daily")?;

    let token = running.operator_token().await?;
    let (client, base) = (&running.client, &running.base);

    println!("facts of {CLAIMS} claims written in {:.1} s", seeded.as_secs_f64());
    println!("rolled up into daily counts by the housekeeping in {:.1} s", rolled.as_secs_f64());
    for (what, path, accept) in [
        ("a year by month", "/v1/admin/statistics?from=2025-01-01&to=2025-12-31", "application/json"),
        ("one month", "/v1/admin/statistics?from=2025-03-01&to=2025-03-31", "application/json"),
        ("a year by month, CSV", "/v1/admin/statistics?from=2025-01-01&to=2025-12-31", "text/csv"),
        (
            "two years in total",
            "/v1/admin/statistics?from=2024-01-01&to=2025-12-31&group_by=total",
            "application/json",
        ),
    ] {
        let mut times = Vec::new();
        for _ in 0..7 {
            let started = Instant::now();
            let mut response = client
                .get(format!("{base}{path}"))
                .bearer_auth(&token)
                .insert_header(("accept", accept))
                .send()
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let body = response.body().limit(64 << 20).await?;
            anyhow::ensure!(response.status().is_success(), "{path}: {}", response.status());
            anyhow::ensure!(!body.is_empty(), "{path}: empty");
            times.push(started.elapsed());
        }
        times.sort();
        println!(
            "GET statistics, {what}: median {:.1} ms, slowest {:.1} ms (7 runs)",
            times[3].as_secs_f64() * 1000.0,
            times[6].as_secs_f64() * 1000.0
        );
    }
    running.stop().await;
    Ok(())
}
