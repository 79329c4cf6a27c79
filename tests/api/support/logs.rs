//! Every log line the hubs of this test process write, kept in memory so tests can search them.
//! Captured at the production level (`info`), as JSON lines.

use std::io::Write;
use std::sync::{Mutex, Once};

static LINES: Mutex<Vec<u8>> = Mutex::new(Vec::new());
static INSTALL: Once = Once::new();

struct Capture;

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        LINES.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Installs the capturing subscriber (once per process, before any hub starts).
pub fn install() {
    INSTALL.call_once(|| {
        let settings = claims_exchange::config::Settings {
            log_format: Some(claims_exchange::config::LogFormat::Json),
            ..Default::default()
        };
        claims_exchange::telemetry::init_with_writer(&settings, || Capture);
    });
}

/// Everything logged so far.
pub fn text() -> String {
    String::from_utf8_lossy(&LINES.lock().unwrap_or_else(|p| p.into_inner())).into_owned()
}
