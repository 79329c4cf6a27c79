//! Data-subject requests recorded on claims.

use claims_domain::ids::ClaimId;
use claims_domain::party::Side;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

use super::Conn;
use super::claims::{insert_audit, insert_event};
use crate::error::StoreError;
use crate::models::DsrRow;
use crate::records::{DataSubjectRequest, DsrQuery, NewAudit, NewEvent};
use crate::schema::{claims, data_subject_requests};
use crate::sql_types::DbUuid;

/// Records a request with its event and audit entry.
pub(crate) async fn insert_dsr(
    conn: &mut Conn,
    request: &DataSubjectRequest,
    event: &NewEvent,
    audit: &NewAudit,
) -> Result<(), StoreError> {
    let row = DsrRow::of(request);
    transaction!(conn, async |conn| {
        diesel::insert_into(data_subject_requests::table).values(&row).execute(conn).await?;
        insert_event(conn, event).await?;
        insert_audit(conn, audit).await
    })
}

/// Writes a changed request if it is still open and, with `unextended`, not yet extended (so two
/// callers cannot both extend or both close it); whether it was written.
pub(crate) async fn update_dsr(
    conn: &mut Conn,
    request: &DataSubjectRequest,
    unextended: bool,
    event: &NewEvent,
    audit: &NewAudit,
) -> Result<bool, StoreError> {
    let row = DsrRow::of(request);
    transaction!(conn, async |conn| {
        let mut target = diesel::update(data_subject_requests::table)
            .filter(data_subject_requests::id.eq(row.id))
            .filter(data_subject_requests::closed_at.is_null())
            .into_boxed();
        if unextended {
            target = target.filter(data_subject_requests::extended_at.is_null());
        }
        if target.set(&row).execute(conn).await? == 0 {
            return Ok(false);
        }
        insert_event(conn, event).await?;
        insert_audit(conn, audit).await?;
        Ok(true)
    })
}

/// The requests of a claim, oldest first.
pub(crate) async fn dsrs_of_claim(
    conn: &mut Conn,
    claim: ClaimId,
) -> Result<Vec<DataSubjectRequest>, StoreError> {
    data_subject_requests::table
        .filter(data_subject_requests::claim_id.eq(DbUuid(claim.as_uuid())))
        .order((data_subject_requests::recorded_at.asc(), data_subject_requests::id.asc()))
        .select(DsrRow::as_select())
        .load(conn)
        .await?
        .into_iter()
        .map(DsrRow::into_request)
        .collect()
}

/// The requests on the claims of an organisation, by due date.
pub(crate) async fn dsrs_of_organisation(
    conn: &mut Conn,
    query: &DsrQuery,
) -> Result<Vec<DataSubjectRequest>, StoreError> {
    let code = query.organisation.to_string();
    let mut select =
        data_subject_requests::table.inner_join(claims::table).select(DsrRow::as_select()).into_boxed();
    select = match query.side {
        Side::ClaimantRepresentative => select.filter(claims::claimant_rep_code.eq(code)),
        Side::Compensator => select.filter(claims::compensator_code.eq(code)),
    };
    if let Some(today) = query.overdue_on {
        select = select
            .filter(data_subject_requests::closed_at.is_null())
            .filter(data_subject_requests::due_on.lt(today));
    }
    if let Some((due, id)) = query.after {
        select = select.filter(
            data_subject_requests::due_on
                .gt(due)
                .or(data_subject_requests::due_on.eq(due).and(data_subject_requests::id.gt(DbUuid(id)))),
        );
    }
    select
        .order((data_subject_requests::due_on.asc(), data_subject_requests::id.asc()))
        .limit(query.limit)
        .load(conn)
        .await?
        .into_iter()
        .map(DsrRow::into_request)
        .collect()
}
