//! `schema.rs` against what the migrations create, on both databases: the same tables, the same
//! columns in the same order, the same nullability and compatible types. And each migration's
//! `down.sql` undoes its `up.sql` exactly (the catalog after a revert is the catalog before the
//! migration ran).

use std::collections::BTreeMap;

use diesel::migration::MigrationSource;
use diesel::sql_types::{Bool, Text};
use diesel::{Connection, QueryableByName, RunQueryDsl, sql_query};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness};

use crate::db::{POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};
use crate::provisioning;

/// A column as a catalog or `schema.rs` describes it: name, type family, nullable.
type Column = (String, String, bool);
type Tables = BTreeMap<String, Vec<Column>>;

/// The tables `schema.rs` declares, read from its text (the `diesel::table!` blocks).
fn declared() -> Tables {
    let text = include_str!("schema.rs");
    let mut tables = Tables::new();
    let mut current: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if let Some((name, _)) = line.split_once(" (").filter(|_| line.ends_with('{')) {
            current = Some(name.to_owned());
            tables.insert(name.to_owned(), Vec::new());
        } else if line == "}" {
            current = None;
        } else if let (Some(table), Some((column, kind))) = (&current, line.split_once(" -> ")) {
            let kind = kind.trim_end_matches(',');
            let (nullable, kind) = match kind.strip_prefix("Nullable<").and_then(|k| k.strip_suffix('>')) {
                Some(inner) => (true, inner),
                None => (false, kind),
            };
            if let Some(columns) = tables.get_mut(table) {
                columns.push((column.to_owned(), family(kind).to_owned(), nullable));
            }
        }
    }
    tables
}

/// The family a diesel type, a PostgreSQL type or an SQLite declared type belongs to.
fn family(kind: &str) -> &'static str {
    match kind.to_ascii_lowercase().as_str() {
        "text" => "text",
        "integer" | "int4" => "int4",
        "bigint" | "int8" => "int8",
        "bool" | "boolean" => "bool",
        "date" => "date",
        "binary" | "bytea" | "blob" => "bytes",
        "uuid" => "uuid",
        "jsonb" => "json",
        "instant" | "timestamp with time zone" | "timestamptz" => "instant",
        _ => "unknown",
    }
}

/// On SQLite, instants, UUIDs and JSON documents are text (see `sql_types`); dates are text too.
fn sqlite_family(declared: &str, family: &str) -> bool {
    match family {
        "instant" | "uuid" | "json" => declared.eq_ignore_ascii_case("TEXT"),
        "int4" | "int8" => matches!(declared.to_ascii_uppercase().as_str(), "INTEGER" | "BIGINT"),
        "bool" => declared.eq_ignore_ascii_case("BOOLEAN"),
        "date" => declared.eq_ignore_ascii_case("DATE") || declared.eq_ignore_ascii_case("TEXT"),
        "bytes" => declared.eq_ignore_ascii_case("BLOB"),
        _ => declared.eq_ignore_ascii_case("TEXT"),
    }
}

#[derive(QueryableByName)]
struct CatalogColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Bool)]
    nullable: bool,
}

#[derive(QueryableByName)]
struct CatalogEntry {
    #[diesel(sql_type = Text)]
    entry: String,
}

const MIGRATIONS_TABLE: &str = "__diesel_schema_migrations";

/// Everything the migrations can create on SQLite, as text: the schema objects' SQL.
fn sqlite_catalog(conn: &mut diesel::SqliteConnection) -> Vec<String> {
    sql_query(format!(
        "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') AS entry FROM sqlite_master \
         WHERE name NOT LIKE 'sqlite_%' AND tbl_name <> '{MIGRATIONS_TABLE}' ORDER BY type, name"
    ))
    .load::<CatalogEntry>(conn)
    .expect("the SQLite catalog")
    .into_iter()
    .map(|e| e.entry)
    .collect()
}

type PgConnection =
    diesel_async::async_connection_wrapper::AsyncConnectionWrapper<diesel_async::AsyncPgConnection>;

/// Everything the migrations can create on PostgreSQL: columns with their types and defaults,
/// constraints and indexes.
fn postgres_catalog(conn: &mut PgConnection) -> Vec<String> {
    let query = format!(
        "SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' \
             || COALESCE(column_default, '') AS entry \
           FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '{MIGRATIONS_TABLE}' \
         UNION ALL SELECT 'index ' || indexdef FROM pg_indexes \
           WHERE schemaname = 'public' AND tablename <> '{MIGRATIONS_TABLE}' \
         UNION ALL SELECT 'constraint ' || conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) \
           FROM pg_constraint WHERE connamespace = 'public'::regnamespace \
             AND conrelid::regclass::text <> '{MIGRATIONS_TABLE}' \
         ORDER BY 1"
    );
    sql_query(query)
        .load::<CatalogEntry>(conn)
        .expect("the PostgreSQL catalog")
        .into_iter()
        .map(|e| e.entry)
        .collect()
}

/// Applies each migration in turn, then reverts each, checking every revert leaves the catalog as
/// it was before that migration. Returns nothing: it asserts.
fn each_down_undoes_its_up<C, F>(conn: &mut C, migrations: fn() -> EmbeddedMigrations, catalog: F)
where
    C: MigrationHarness<C::Backend> + Connection,
    F: Fn(&mut C) -> Vec<String>,
{
    let count = MigrationSource::<C::Backend>::migrations(&migrations()).expect("migrations").len();
    // From an empty database: take back whatever is applied first.
    while !conn.applied_migrations().expect("applied migrations").is_empty() {
        conn.revert_last_migration(migrations()).expect("a down migration");
    }
    let mut before = vec![catalog(conn)];
    for _ in 0..count {
        conn.run_next_migration(migrations()).expect("an up migration");
        before.push(catalog(conn));
    }
    for step in (0..count).rev() {
        let name = conn.revert_last_migration(migrations()).expect("a down migration");
        assert_eq!(catalog(conn), before[step], "reverting {name} leaves what was there before it");
    }
}

#[test]
fn sqlite_matches_schema_rs_and_its_downs_undo_its_ups() {
    let dir = std::env::temp_dir().join(format!("claims-exchange-drift-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("a directory");
    let path = dir.join("drift.sqlite3");
    let mut conn = diesel::SqliteConnection::establish(&path.display().to_string()).expect("SQLite");
    conn.run_pending_migrations(SQLITE_MIGRATIONS).expect("migrations");
    let mut found = Tables::new();
    let tables = sql_query(format!(
        "SELECT name AS entry FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '{MIGRATIONS_TABLE}' ORDER BY name"
    ))
    .load::<CatalogEntry>(&mut conn)
    .expect("tables");
    let declared = declared();
    for table in tables {
        let columns = sql_query(format!(
            "SELECT '{0}' AS table_name, name AS column_name, type AS data_type, \"notnull\" = 0 AND pk = 0 AS nullable \
             FROM pragma_table_info('{0}') ORDER BY cid",
            table.entry
        ))
        .load::<CatalogColumn>(&mut conn)
        .expect("columns");
        let wanted = declared.get(&table.entry).cloned().unwrap_or_default();
        let mut listed = Vec::new();
        for (column, want) in
            columns.iter().zip(wanted.iter().chain(std::iter::repeat(&(String::new(), String::new(), false))))
        {
            assert!(
                sqlite_family(&column.data_type, &want.1),
                "{}.{}: SQLite declares {}, schema.rs says {}",
                column.table_name,
                column.column_name,
                column.data_type,
                want.1
            );
            listed.push((column.column_name.clone(), want.1.clone(), column.nullable));
        }
        found.insert(table.entry.clone(), listed);
    }
    assert_eq!(found, declared, "the SQLite migrations create what schema.rs declares");
    each_down_undoes_its_up(&mut conn, || SQLITE_MIGRATIONS, sqlite_catalog);
    drop(conn);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn postgres_matches_schema_rs_and_its_downs_undo_its_ups() {
    let server =
        std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| provisioning::DEFAULT_TEST_SERVER.to_owned());
    let name = format!("cx_test_drift_{}", uuid::Uuid::new_v4().simple());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    if let Err(error) = runtime.block_on(provisioning::create_postgres_database(&server, &name)) {
        assert!(
            provisioning::postgres_skipped(),
            "PostgreSQL is required (set SKIP_POSTGRES=1 to skip): {error}"
        );
        eprintln!("!!! SKIP_POSTGRES: the PostgreSQL schema drift test did NOT run !!!");
        return;
    }
    let url = provisioning::database_url(&server, &name);
    // Diesel's migration harness is synchronous: run it on a thread of its own.
    let checked = std::thread::spawn(move || {
        let mut conn = PgConnection::establish(&url).expect("PostgreSQL");
        conn.run_pending_migrations(POSTGRES_MIGRATIONS).expect("migrations");
        let columns = sql_query(format!(
            "SELECT table_name::text, column_name::text, data_type::text, is_nullable = 'YES' AS nullable \
             FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '{MIGRATIONS_TABLE}' \
             ORDER BY table_name, ordinal_position"
        ))
        .load::<CatalogColumn>(&mut conn)
        .expect("columns");
        let mut found = Tables::new();
        for column in columns {
            found.entry(column.table_name).or_default().push((
                column.column_name,
                family(&column.data_type).to_owned(),
                column.nullable,
            ));
        }
        assert_eq!(found, declared(), "the PostgreSQL migrations create what schema.rs declares");
        each_down_undoes_its_up(&mut conn, || POSTGRES_MIGRATIONS, postgres_catalog);
    })
    .join();
    runtime.block_on(provisioning::drop_postgres_database(&server, &name)).expect("dropped");
    if let Err(panic) = checked {
        std::panic::resume_unwind(panic);
    }
}
