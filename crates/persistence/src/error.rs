//! What can go wrong in storage, in terms the HTTP layer can act on.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached or did not answer in time; the caller may retry.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// The claim changed since it was read (its version moved on): the change was not made.
    #[error("the claim changed meanwhile")]
    VersionConflict,
    /// A row with the same key exists.
    #[error("a conflicting row exists: {0}")]
    Conflict(String),
    /// A stored value is not one the code knows; a bug or a manual edit.
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("migrations failed: {0}")]
    Migration(String),
    #[error("invalid database URL: {0}")]
    InvalidUrl(String),
    #[error("query failed: {0}")]
    Query(DieselError),
}

impl StoreError {
    /// The database did not answer within the time allowed.
    pub fn timed_out() -> Self {
        StoreError::Unavailable("the database did not answer in time".to_owned())
    }
}

impl From<DieselError> for StoreError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                StoreError::Conflict(info.message().to_owned())
            }
            DieselError::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                info,
            ) => StoreError::Unavailable(info.message().to_owned()),
            other => StoreError::Query(other),
        }
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for StoreError {
    fn from(error: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        StoreError::Unavailable(error.to_string())
    }
}
