//! Logging: JSON lines in production, readable lines in the sandbox. Log lines carry ids and
//! codes only; request handlers never log form contents.

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

use crate::config::{LogFormat, Settings};

/// Libraries whose debug output would include SQL parameters (personal data): never below `info`.
const QUIET: &[&str] = &["tokio_postgres=info", "diesel=info"];

pub fn init(settings: &Settings) {
    init_with_writer(settings, std::io::stdout);
}

/// Installs logging to `writer`. A second call (tests start several hubs in one process) keeps
/// the first.
pub fn init_with_writer<W>(settings: &Settings, writer: W)
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    let mut filter = EnvFilter::try_new(&settings.log_filter).unwrap_or_else(|_| EnvFilter::new("info"));
    for directive in QUIET {
        if let Ok(directive) = directive.parse() {
            filter = filter.add_directive(directive);
        }
    }
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer);
    let _ = match settings.log_format() {
        LogFormat::Json => builder.json().with_current_span(true).with_span_list(false).try_init(),
        LogFormat::Pretty => builder.compact().try_init(),
    };
}
