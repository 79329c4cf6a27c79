//! A PostgreSQL server of a test's own (its own data directory and port), which the test may
//! freeze, thaw, stop and start again without touching the shared server on port 5432.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct PrivatePostgres {
    dir: PathBuf,
    bin: PathBuf,
    pub port: u16,
    server: Option<Child>,
}

/// Where this machine's PostgreSQL programs are (`initdb`, `postgres`), newest version first.
fn bin_dir() -> Option<PathBuf> {
    if let Ok(output) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        if dir.join("initdb").exists() {
            return Some(dir);
        }
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| entry.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    found.sort();
    found.pop()
}

fn running_as_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A command run as the `postgres` system user when the tests run as root (initdb refuses root).
fn as_postgres(program: &Path) -> Command {
    if running_as_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

impl PrivatePostgres {
    /// Initialises and starts a server, or fails saying why it cannot (with `SKIP_POSTGRES=1`
    /// it says so loudly and the test does not run).
    pub fn start() -> Option<Self> {
        match Self::try_start() {
            Ok(server) => Some(server),
            Err(why) if claims_persistence::provisioning::postgres_skipped() => {
                eprintln!("\n!!! SKIP_POSTGRES: no private PostgreSQL ({why}); this test did NOT run !!!\n");
                None
            }
            Err(why) => panic!("a private PostgreSQL could not start ({why}); set SKIP_POSTGRES=1 to skip"),
        }
    }

    fn try_start() -> Result<Self, String> {
        let bin = bin_dir().ok_or("no initdb found (pg_config --bindir, /usr/lib/postgresql/*/bin)")?;
        let dir = std::env::temp_dir().join(format!("claims-exchange-pg-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        if running_as_root() {
            let owned = Command::new("chown").args(["-R", "postgres:postgres"]).arg(&dir).status();
            if !owned.is_ok_and(|s| s.success()) {
                return Err("could not give the data directory to the postgres user".to_owned());
            }
        }
        let data = dir.join("data");
        let initialised = as_postgres(&bin.join("initdb"))
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "-D"])
            .arg(&data)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map_err(|e| e.to_string())?;
        if !initialised.success() {
            return Err("initdb failed".to_owned());
        }
        let mut server = Self { dir, bin, port: free_port(), server: None };
        server.run()?;
        Ok(server)
    }

    /// Starts the server process (in a process group of its own, so it can be frozen whole).
    fn run(&mut self) -> Result<(), String> {
        use std::os::unix::process::CommandExt;
        let child = as_postgres(&self.bin.join("postgres"))
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-p", &self.port.to_string(), "-c", "listen_addresses=127.0.0.1"])
            .arg("-c")
            .arg(format!("unix_socket_directories={}", self.dir.display()))
            .args(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .map_err(|e| e.to_string())?;
        self.server = Some(child);
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            if self.sql("SELECT 1").is_ok_and(|out| out.trim() == "1") {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err("the server did not become ready".to_owned())
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Runs SQL with `psql` and returns its unaligned output.
    pub fn sql(&self, statement: &str) -> Result<String, String> {
        let output = self.psql(statement).output().map_err(|e| e.to_string())?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(String::from_utf8_lossy(&output.stderr).into_owned())
        }
    }

    /// A `psql` command for `statement`, to run now or in the background.
    pub fn psql(&self, statement: &str) -> Command {
        let mut command = Command::new("psql");
        command
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", "postgres", "-d", "postgres"])
            .args(["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", statement])
            .stdin(Stdio::null());
        command
    }

    fn signal(&self, signal: &str) {
        if let Some(child) = &self.server {
            let group = format!("-{}", child.id());
            let _ = Command::new("kill").args([signal, "--", &group]).status();
        }
    }

    /// Stops every process of the server where it stands (SIGSTOP): connections stay open and
    /// nothing answers.
    pub fn freeze(&self) {
        self.signal("-STOP");
    }

    pub fn thaw(&self) {
        self.signal("-CONT");
    }

    /// Shuts the server down (connections are refused until [`PrivatePostgres::restart`]).
    pub fn stop(&mut self) {
        self.thaw();
        let _ = as_postgres(&self.bin.join("pg_ctl"))
            .args(["stop", "-m", "fast", "-w", "-D"])
            .arg(self.dir.join("data"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if let Some(mut child) = self.server.take() {
            let _ = child.wait();
        }
    }

    pub fn restart(&mut self) -> Result<(), String> {
        self.run()
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
