//! The sandbox clock's offset from real time.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::Conn;
use crate::error::StoreError;
use crate::schema::sandbox_clock;
use crate::sql_types::DbInstant;

/// The stored offset in microseconds, if a sandbox has started on this database.
pub(crate) async fn sandbox_clock_offset(conn: &mut Conn) -> Result<Option<i64>, StoreError> {
    Ok(sandbox_clock::table.find(1).select(sandbox_clock::offset_micros).first(conn).await.optional()?)
}

/// Stores the offset when none is stored yet; returns the offset in effect afterwards (another
/// process starting at the same moment may have stored its own first).
pub(crate) async fn start_sandbox_clock(
    conn: &mut Conn,
    offset_micros: i64,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    diesel::insert_into(sandbox_clock::table)
        .values((
            sandbox_clock::id.eq(1),
            sandbox_clock::offset_micros.eq(offset_micros),
            sandbox_clock::moved_at.eq(DbInstant::from(now)),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(sandbox_clock::table.find(1).select(sandbox_clock::offset_micros).first(conn).await?)
}

/// Moves the clock forward to `offset_micros` (never back): `true` if it moved, `false` if the
/// stored clock is already later.
pub(crate) async fn advance_sandbox_clock(
    conn: &mut Conn,
    offset_micros: i64,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let moved = diesel::update(sandbox_clock::table.find(1))
        .filter(sandbox_clock::offset_micros.le(offset_micros))
        .set((
            sandbox_clock::offset_micros.eq(offset_micros),
            sandbox_clock::moved_at.eq(DbInstant::from(now)),
        ))
        .execute(conn)
        .await?;
    Ok(moved == 1)
}

/// Sets the clock to `offset_micros` whatever it was (starting over on purpose).
pub(crate) async fn reset_sandbox_clock(
    conn: &mut Conn,
    offset_micros: i64,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let now = DbInstant::from(now);
    diesel::insert_into(sandbox_clock::table)
        .values((
            sandbox_clock::id.eq(1),
            sandbox_clock::offset_micros.eq(offset_micros),
            sandbox_clock::moved_at.eq(now),
        ))
        .on_conflict(sandbox_clock::id)
        .do_update()
        .set((sandbox_clock::offset_micros.eq(offset_micros), sandbox_clock::moved_at.eq(now)))
        .execute(conn)
        .await?;
    Ok(())
}
