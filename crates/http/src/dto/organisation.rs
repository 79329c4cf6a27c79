//! Organisations in the directory and in the operator's endpoints.

use claims_domain::organisation::{CompensatorType, Organisation, OrganisationKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

/// An organisation as the directory shows it. No personal data.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationView {
    #[schema(example = "CM00001")]
    pub code: String,
    pub kind: OrganisationKind,
    #[schema(example = "Northern Motor Insurance")]
    pub name: String,
    pub compensator_type: Option<CompensatorType>,
    /// Brand group: insurers of one group and the TPAs they appoint share it.
    #[schema(example = "northern")]
    pub group: Option<String>,
}

impl From<Organisation> for OrganisationView {
    fn from(organisation: Organisation) -> Self {
        Self {
            code: organisation.code.to_string(),
            kind: organisation.kind,
            name: organisation.name,
            compensator_type: organisation.compensator_type,
            group: organisation.group,
        }
    }
}

/// A new organisation.
#[derive(Debug, Deserialize, ToSchema, Validate)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "kind": "compensator",
    "name": "Harbour Mutual Insurance",
    "compensator_type": "insurer",
    "group": "harbour"
}))]
pub struct NewOrganisationRequest {
    /// Optional: the hub allocates the next free code of the kind (`CR…`, `CM…`, `OP…`) when absent.
    #[schema(pattern = r"^[A-Z]{2}[0-9]{5}$")]
    pub code: Option<String>,
    pub kind: OrganisationKind,
    /// 1 to 100 characters once leading and trailing white space is trimmed.
    // At most 100 characters once trimmed, no control characters (blank is refused by the
    // registration check, together with the other fields' faults).
    #[schema(
        min_length = 1,
        pattern = r"^[\t\n \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*(?:[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000](?:[^\u0000-\u0008\u000B-\u001F\u007F-\u009F]{0,98}[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000])?)?[\t\n \u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"
    )]
    pub name: String,
    /// Required for compensators, absent for others.
    pub compensator_type: Option<CompensatorType>,
    // No control characters; blank is refused by the registration check, with the other fields' faults.
    #[schema(min_length = 1, max_length = 50, pattern = r"^[^\u0000-\u0008\u000B-\u001F\u007F-\u009F]*$")]
    pub group: Option<String>,
}

/// Query of the organisation directory.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DirectoryQuery {
    /// Only organisations of this kind.
    pub kind: Option<OrganisationKind>,
    /// Part of the name (any case) or the exact code.
    pub q: Option<String>,
    /// Page size, 1 to 500 (default 50).
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// An organisation none of whose API clients was used for 12 months.
#[derive(Debug, Serialize, ToSchema)]
pub struct InactiveOrganisationView {
    #[serde(flatten)]
    pub organisation: OrganisationView,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The last use of any of its clients; `null` if none was ever used.
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Claims naming it that are not purged yet: it can be removed once this is 0.
    pub live_claims: i64,
}

impl From<claims_persistence::records::InactiveOrganisation> for InactiveOrganisationView {
    fn from(found: claims_persistence::records::InactiveOrganisation) -> Self {
        Self {
            organisation: found.organisation.into(),
            created_at: found.created_at,
            last_used_at: found.last_used_at,
            live_claims: found.live_claims,
        }
    }
}

/// The organisations inactive for 12 months, by code.
#[derive(Debug, Serialize, ToSchema)]
pub struct InactiveOrganisations {
    pub items: Vec<InactiveOrganisationView>,
}
