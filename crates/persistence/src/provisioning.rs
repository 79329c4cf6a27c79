//! Creating and dropping whole PostgreSQL databases: used by the test suite (one database per
//! test) and by benchmarks. Names are restricted to a safe alphabet because they are spliced into
//! SQL.

use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};

use crate::error::StoreError;

/// The PostgreSQL server the test suites use unless `TEST_POSTGRES_URL` names another.
pub const DEFAULT_TEST_SERVER: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// Whether the tests that need PostgreSQL may skip themselves (`SKIP_POSTGRES=1`). Without it a
/// missing PostgreSQL fails them: the PostgreSQL half of the suite never passes silently.
pub fn postgres_skipped() -> bool {
    std::env::var("SKIP_POSTGRES").is_ok_and(|v| v == "1" || v == "true")
}

fn checked(name: &str) -> Result<&str, StoreError> {
    let safe = !name.is_empty()
        && name.len() <= 63
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if safe { Ok(name) } else { Err(StoreError::InvalidUrl(format!("unsafe database name {name:?}"))) }
}

/// Connects to the server's maintenance database named in `server_url` and creates `name`.
pub async fn create_postgres_database(server_url: &str, name: &str) -> Result<(), StoreError> {
    let name = checked(name)?;
    let mut conn =
        AsyncPgConnection::establish(server_url).await.map_err(|e| StoreError::Unavailable(e.to_string()))?;
    conn.batch_execute(&format!("CREATE DATABASE {name}")).await?;
    Ok(())
}

/// Drops `name`, disconnecting anyone still connected.
pub async fn drop_postgres_database(server_url: &str, name: &str) -> Result<(), StoreError> {
    let name = checked(name)?;
    let mut conn =
        AsyncPgConnection::establish(server_url).await.map_err(|e| StoreError::Unavailable(e.to_string()))?;
    conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
    Ok(())
}

/// The URL of database `name` on the server of `server_url` (which names another database).
pub fn database_url(server_url: &str, name: &str) -> String {
    let base = server_url.split('?').next().unwrap_or(server_url);
    match base.rfind('/') {
        Some(slash) if slash > base.find("://").map_or(0, |i| i + 2) => {
            format!("{}/{name}", &base[..slash])
        }
        _ => format!("{base}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_swap_the_database_name() {
        assert_eq!(
            database_url("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(database_url("postgres://u@h:5432", "t1"), "postgres://u@h:5432/t1");
    }

    #[test]
    fn only_plain_names_are_accepted() {
        assert!(checked("cx_test_01").is_ok());
        assert!(checked("x; DROP DATABASE y").is_err());
    }
}
