//! The business rules of Claims Exchange, free of any I/O.
//!
//! Everything here is plain data and pure functions: the HTTP and persistence crates depend on
//! this crate, never the other way round (CI checks that no database, web or runtime crate is
//! pulled in).

/// Declares a closed set of snake_case words (a status, a kind, a code) as an enum with its text
/// form, a parser and, for the contract, an OpenAPI schema.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:tt),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name { $($(#[$vmeta])* #[serde(rename = $text)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                match raw { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub mod calendar;
pub mod claim;
pub mod claim_status;
pub mod claim_type;
pub mod clock;
pub mod cnf;
pub mod data_subject;
pub mod events;
pub mod fixed_costs;
pub mod ids;
pub mod lifecycle;
pub mod limits;
pub mod losses;
pub mod money;
pub mod organisation;
pub mod party;
pub mod references;
pub mod retention;
#[cfg(all(test, feature = "openapi"))]
mod schema_tests;
pub mod settlement;
pub mod statistics;
pub mod tariff;
pub mod validation;

pub use clock::Clock;
