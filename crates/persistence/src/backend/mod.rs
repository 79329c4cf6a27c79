//! The queries, written once in `queries/*.rs` and compiled once per backend. Each backend module
//! names its connection type `Conn` and its way of opening a write transaction (`BEGIN IMMEDIATE`
//! on SQLite, so concurrent writers queue on the busy timeout instead of failing to upgrade a read
//! lock), then declares the same query files as its own submodules (`#[path]`): each file is an
//! ordinary module whose `super::Conn` is that backend's connection. The compiler type-checks every
//! query against both backends.

diesel::table! {
    /// Diesel's record of applied migrations (only the column the readiness check reads).
    __diesel_schema_migrations (version) {
        version -> Text,
    }
}

diesel::define_sql_function!(fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// Escapes `%`, `_` and `\` so user text matches literally inside a LIKE pattern.
pub(crate) fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

pub(crate) mod pg;
pub(crate) mod sqlite;
