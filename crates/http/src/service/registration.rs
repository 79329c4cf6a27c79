//! Organisations and their API clients: registering, listing (the directory every client reads,
//! and the operator's full list), issuing and disabling clients. Used by the operator endpoints,
//! the `admin` command and sandbox seeding.

use claims_domain::ids::OrganisationCode;
use claims_domain::organisation::{CompensatorType, Organisation, OrganisationKind, check_new_organisation};
use claims_domain::validation::{CONTROL_CHARACTER_MESSAGE, FieldErrors, has_control_characters};
use claims_persistence::records::{ClientSummary, NewClient, OrganisationQuery};
use claims_persistence::{Database, StoreError};

use super::credentials::hash;
use crate::auth::Caller;
use crate::auth::secrets;
use crate::directory::Directory;
use crate::dto::client::IssuedCredentials;
use crate::dto::organisation::{DirectoryQuery, OrganisationView};
use crate::dto::page::{self, KeyCursor, Page};
use crate::error::ApiError;
use crate::state::AppState;

/// What is needed to register an organisation.
#[derive(Clone, Debug)]
pub struct OrganisationSpec {
    pub code: Option<String>,
    pub kind: OrganisationKind,
    pub name: String,
    pub compensator_type: Option<CompensatorType>,
    pub group: Option<String>,
}

/// Registers an organisation, allocating the next free code of its kind when none is given.
pub async fn create_organisation(
    db: &Database,
    directory: &Directory,
    spec: OrganisationSpec,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Organisation, ApiError> {
    let mut errors = FieldErrors::new();
    let name = spec.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        errors.add("name", "invalid_length", "must be 1 to 100 characters");
    }
    if spec.group.as_ref().is_some_and(|g| g.trim().is_empty() || g.chars().count() > 50) {
        errors.add("group", "invalid_length", "must be 1 to 50 characters");
    }
    // The HTTP body check refuses these first; the command line comes here directly.
    for (field, text) in [("name", Some(&spec.name)), ("group", spec.group.as_ref())] {
        if text.is_some_and(|t| has_control_characters(t)) {
            errors.add(field, "control_character", CONTROL_CHARACTER_MESSAGE);
        }
    }
    let given = match spec.code.as_deref().map(OrganisationCode::parse).transpose() {
        Ok(code) => code,
        Err(_) => {
            errors.add("code", "invalid_format", "must be two capital letters and five digits");
            None
        }
    };
    let prefix = spec.kind.code_prefix();
    for (field, problem) in
        check_new_organisation(spec.kind, given.as_ref(), spec.compensator_type, spec.group.as_deref())
    {
        errors.add(field, "invalid_value", problem.to_string());
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }

    // Allocation can race with another registration: try the next number again.
    for _ in 0..5 {
        let code = match &given {
            Some(code) => code.clone(),
            None => next_code(db, prefix).await?,
        };
        let organisation = Organisation {
            code,
            kind: spec.kind,
            name: name.clone(),
            compensator_type: spec.compensator_type,
            group: spec.group.clone(),
        };
        match db.insert_organisation(&organisation, now).await {
            Ok(()) => {
                directory.remember(organisation.clone());
                return Ok(organisation);
            }
            Err(StoreError::Conflict(_)) if given.is_none() => continue,
            Err(StoreError::Conflict(_)) => {
                return Err(ApiError::Conflict {
                    code: "organisation_exists",
                    detail: "an organisation with this code exists".to_owned(),
                    retry_after: None,
                });
            }
            Err(other) => return Err(other.into()),
        }
    }
    Err(ApiError::Internal("could not allocate an organisation code".to_owned()))
}

async fn next_code(db: &Database, prefix: &str) -> Result<OrganisationCode, ApiError> {
    let highest = db.highest_organisation_code(prefix).await?;
    let number = highest.and_then(|code| code[prefix.len()..].parse::<u32>().ok()).unwrap_or(0) + 1;
    OrganisationCode::parse(&format!("{prefix}{number:05}"))
        .map_err(|_| ApiError::Internal(format!("the {prefix} codes are used up")))
}

/// Issues a client for an organisation: a random secret, returned once, stored as a hash. With
/// `client_id` given (sandbox seeding) that id is used.
pub async fn create_client(
    db: &Database,
    directory: &Directory,
    organisation: &OrganisationCode,
    label: Option<String>,
    client_id: Option<String>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<IssuedCredentials, ApiError> {
    let organisation = directory.get(db, organisation).await?.ok_or(ApiError::NotFound)?;
    let label = label.unwrap_or_default();
    if label.chars().count() > 100 {
        return Err(ApiError::invalid_field("label", "invalid_length", "must be at most 100 characters"));
    }
    if has_control_characters(&label) {
        return Err(ApiError::invalid_field("label", "control_character", CONTROL_CHARACTER_MESSAGE));
    }
    let client_id = client_id.unwrap_or_else(|| {
        format!("{}-{}", organisation.code.as_str().to_lowercase(), secrets::random_suffix())
    });
    let secret = secrets::generate_secret();
    let role = organisation.kind.client_role();
    db.insert_client(&NewClient {
        client_id: client_id.clone(),
        organisation: organisation.code.clone(),
        role,
        label,
        secret_hash: hash(&secret).await?,
        created_at: now,
    })
    .await
    .map_err(|error| match error {
        StoreError::Conflict(_) => ApiError::Conflict {
            code: "client_exists",
            detail: "a client with this id exists".to_owned(),
            retry_after: None,
        },
        other => other.into(),
    })?;
    Ok(IssuedCredentials {
        client_id,
        client_secret: secret,
        organisation: organisation.code.to_string(),
        role,
    })
}

/// Gives an existing client one more secret; its earlier secrets keep working until
/// `old_valid_until` (a sandbox process starting on a database another one serves must not lock
/// the first one's integrators out).
pub async fn add_secret(
    db: &Database,
    client_id: &str,
    now: chrono::DateTime<chrono::Utc>,
    old_valid_until: chrono::DateTime<chrono::Utc>,
) -> Result<String, ApiError> {
    let secret = secrets::generate_secret();
    db.rotate_secret(client_id, &hash(&secret).await?, now, old_valid_until).await?;
    Ok(secret)
}

/// A page of the directory: organisations by code, filtered by kind and by part of the name (or
/// the exact code); operators only with `include_operators` (the operator's own listing).
pub async fn list_organisations(
    state: &AppState,
    query: DirectoryQuery,
    include_operators: bool,
) -> Result<Page<OrganisationView>, ApiError> {
    let limit = page::limit(query.limit)?;
    let cursors = state.cursors();
    let after = query.cursor.as_deref().map(|c| cursors.decode::<KeyCursor>(c)).transpose()?;
    let text = query.q.map(|q| q.trim().to_owned()).filter(|q| !q.is_empty());
    if text.as_ref().is_some_and(|q| q.chars().count() > 100) {
        return Err(ApiError::bad_request("invalid_query", "q must be at most 100 characters"));
    }
    let rows = state
        .db
        .list_organisations(&OrganisationQuery {
            kind: query.kind,
            text,
            after_code: after.map(|c| c.after),
            limit: limit + 1,
            include_operators,
        })
        .await?;
    Ok(cursors.paginate(rows, limit, |o| KeyCursor { after: o.code.to_string() }, OrganisationView::from))
}

/// The API clients of an organisation (operator).
pub async fn clients_of(
    state: &AppState,
    caller: &Caller,
    code: &str,
) -> Result<Vec<ClientSummary>, ApiError> {
    caller.require_operator()?;
    let code = OrganisationCode::parse(code).map_err(|_| ApiError::NotFound)?;
    state.directory.get(&state.db, &code).await?.ok_or(ApiError::NotFound)?;
    Ok(state.db.list_clients(code.as_str()).await?)
}

/// Disables a client (operator): its tokens stop working at once.
pub async fn disable_client(state: &AppState, caller: &Caller, client_id: &str) -> Result<(), ApiError> {
    caller.require_operator()?;
    if !state.db.disable_client(client_id, state.real_clock.now()).await? {
        return Err(ApiError::NotFound);
    }
    state.standings.forget_all();
    tracing::info!(client_id = %client_id, "client disabled");
    Ok(())
}

/// Places an organisation on legal hold (`hold`) or lifts it: while it holds, none of the
/// organisation's claims is purged.
/// How long a legal hold keeps an organisation's claims from being purged (domain.md §9).
const LEGAL_HOLD_YEARS: u32 = 6;

/// Places (for 6 years, by the hub's clock) or lifts an organisation's legal hold (operator).
pub async fn set_legal_hold(
    state: &AppState,
    caller: &Caller,
    code: &str,
    hold: bool,
) -> Result<(), ApiError> {
    caller.require_operator()?;
    let until = hold.then(|| {
        let now = state.clock.now();
        now.checked_add_months(chrono::Months::new(LEGAL_HOLD_YEARS * 12)).unwrap_or(now)
    });
    if !state.db.set_legal_hold(code, until).await? {
        return Err(ApiError::NotFound);
    }
    tracing::info!(organisation = %code, hold, "legal hold changed");
    Ok(())
}

/// How long an organisation's clients may all go unused before it is reported as inactive.
const ORGANISATION_IDLE_MONTHS: u32 = 12;

fn inactivity_cutoff(state: &AppState) -> chrono::DateTime<chrono::Utc> {
    let now = state.clock.now();
    now.checked_sub_months(chrono::Months::new(ORGANISATION_IDLE_MONTHS)).unwrap_or(now)
}

/// Organisations none of whose clients was used for 12 months by the hub's clock (operator).
pub async fn inactive_organisations(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<claims_persistence::records::InactiveOrganisation>, ApiError> {
    caller.require_operator()?;
    Ok(state.db.inactive_organisations(inactivity_cutoff(state)).await?)
}

/// Removes an inactive organisation (operator): its clients go, its name becomes its code, its
/// code stays in its claims' tombstones. Refused while it is active, on legal hold, or named by
/// a claim that still holds personal data.
pub async fn remove_organisation(state: &AppState, caller: &Caller, code: &str) -> Result<(), ApiError> {
    use claims_persistence::records::Removal;
    caller.require_operator()?;
    let conflict = |code, detail: String| ApiError::Conflict { code, detail, retry_after: None };
    match state.db.remove_organisation(code, inactivity_cutoff(state), state.clock.now()).await? {
        Removal::Removed => {
            state.standings.forget_all();
            if let Ok(parsed) = OrganisationCode::parse(code) {
                state.directory.forget(&parsed);
            }
            tracing::info!(organisation = %code, "organisation removed");
            Ok(())
        }
        Removal::NotFound => Err(ApiError::NotFound),
        Removal::Active => Err(conflict(
            "organisation_active",
            "one of its clients was used in the last 12 months (or it is newer than that)".to_owned(),
        )),
        Removal::OnLegalHold => Err(conflict("legal_hold", "the organisation is on legal hold".to_owned())),
        Removal::HasLiveClaims(count) => Err(conflict(
            "claims_not_purged",
            format!("{count} claims naming it still hold personal data; remove it once they are purged"),
        )),
    }
}

/// The organisation a request names in `field`, or a `422` naming the field (`code`) when the text
/// is no code of an organisation the hub knows.
pub async fn named_organisation(
    state: &AppState,
    field: &str,
    raw: &str,
    code: &str,
) -> Result<Organisation, ApiError> {
    let unknown = || ApiError::invalid_field(field, code, "names no organisation known to the hub");
    let parsed = OrganisationCode::parse(raw).map_err(|_| unknown())?;
    state.directory.get(&state.db, &parsed).await?.ok_or_else(unknown)
}
