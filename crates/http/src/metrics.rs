//! Prometheus metrics: requests per route and status, their latency, and pool usage.

use prometheus::{
    Encoder, Gauge, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    pool: IntGaugeVec,
    sweeper_lag: Gauge,
    recounted: IntCounter,
}

impl Metrics {
    pub fn new() -> Result<Self, prometheus::Error> {
        let registry = Registry::new_custom(Some("claims_exchange".to_owned()), None)?;
        let requests = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests by route pattern, method and status"),
            &["method", "route", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new("http_request_duration_seconds", "HTTP request latency by route pattern")
                .buckets(vec![0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0]),
            &["method", "route"],
        )?;
        let pool = IntGaugeVec::new(
            Opts::new("db_pool_connections", "Database pool connections by state"),
            &["state"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        let sweeper_lag = Gauge::new(
            "deadline_sweeper_lag_seconds",
            "How long the most overdue deadline consequence had waited at the last sweep",
        )?;
        registry.register(Box::new(pool.clone()))?;
        registry.register(Box::new(sweeper_lag.clone()))?;
        let recounted = IntCounter::new(
            "deadline_recount_claims_total",
            "Claims whose deadlines were recounted after a bank-holiday calendar change",
        )?;
        registry.register(Box::new(recounted.clone()))?;
        Ok(Self { registry, requests, latency, pool, sweeper_lag, recounted })
    }

    /// Records one finished request. `route` is the matched pattern (`/v1/claims/{id}`), never
    /// the concrete path, so ids do not become label values.
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        self.requests.with_label_values(&[method, route, &status.to_string()]).inc();
        self.latency.with_label_values(&[method, route]).observe(seconds);
    }

    pub fn add_recounted(&self, claims: usize) {
        self.recounted.inc_by(u64::try_from(claims).unwrap_or(u64::MAX));
    }

    pub fn set_sweeper_lag(&self, seconds: f64) {
        self.sweeper_lag.set(seconds);
    }

    /// The text exposition, with the pool gauges read now.
    pub fn render(&self, pool: claims_persistence::PoolUsage) -> String {
        let gauge = |state: &str, value: usize| {
            self.pool.with_label_values(&[state]).set(i64::try_from(value).unwrap_or(i64::MAX));
        };
        gauge("open", pool.size);
        gauge("idle", pool.available);
        gauge("max", pool.max_size);
        let mut buffer = Vec::new();
        if TextEncoder::new().encode(&self.registry.gather(), &mut buffer).is_err() {
            return String::new();
        }
        String::from_utf8(buffer).unwrap_or_default()
    }
}
