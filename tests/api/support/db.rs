//! One database per test.

use claims_persistence::provisioning;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestDb {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    /// Another `TestDb` owns the database.
    Borrowed,
    Directory(std::path::PathBuf),
    Postgres {
        server: String,
        name: String,
    },
}

/// The PostgreSQL server the suite uses; `TEST_POSTGRES_URL` overrides it.
fn postgres_server() -> String {
    std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| provisioning::DEFAULT_TEST_SERVER.to_owned())
}

impl TestDb {
    pub async fn create(backend: Backend) -> Option<TestDb> {
        let unique = uuid::Uuid::new_v4().simple().to_string();
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("claims-exchange-test-{unique}"));
                std::fs::create_dir_all(&dir).expect("a temporary directory");
                let url = format!("sqlite://{}", dir.join("hub.sqlite3").display());
                Some(TestDb { url, cleanup: Cleanup::Directory(dir) })
            }
            Backend::Postgres => {
                let server = postgres_server();
                let name = format!("cx_test_{unique}");
                match provisioning::create_postgres_database(&server, &name).await {
                    Ok(()) => {}
                    Err(error) if provisioning::postgres_skipped() => {
                        eprintln!(
                            "\n!!! SKIP_POSTGRES: PostgreSQL at {server} is unavailable ({error}); this \
                             PostgreSQL test did NOT run. !!!\n"
                        );
                        return None;
                    }
                    Err(error) => panic!(
                        "PostgreSQL at {server} is unavailable ({error}): start it, or set SKIP_POSTGRES=1 to \
                         skip the PostgreSQL half of the suite"
                    ),
                }
                let url = provisioning::database_url(&server, &name);
                Some(TestDb { url, cleanup: Cleanup::Postgres { server, name } })
            }
        }
    }
}

impl TestDb {
    /// A database the test manages itself (a private server's); nothing is removed.
    pub fn existing(url: String) -> TestDb {
        TestDb { url, cleanup: Cleanup::Borrowed }
    }

    /// The same database, for a second hub; the first guard removes it.
    pub fn share(&self) -> TestDb {
        TestDb { url: self.url.clone(), cleanup: Cleanup::Borrowed }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Borrowed => {}
            Cleanup::Directory(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::Postgres { server, name } => {
                let (server, name) = (server.clone(), name.clone());
                // Dropping needs async I/O; do it on a thread with its own runtime and wait.
                let dropped = std::thread::spawn(move || {
                    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
                    runtime
                        .block_on(provisioning::drop_postgres_database(&server, &name))
                        .map_err(|e| std::io::Error::other(e.to_string()))
                })
                .join();
                if !matches!(dropped, Ok(Ok(()))) {
                    eprintln!("could not drop a test database: {dropped:?}");
                }
            }
        }
    }
}
