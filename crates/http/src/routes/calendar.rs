//! The business-day calendar: reading it, counting with it, and (operator) changing it.

use actix_web::{HttpResponse, delete, get, put, web};
use chrono::NaiveDate;

use crate::auth::Caller;
use crate::dto::calendar::{
    AddBusinessDaysQuery, BankHolidays, BusinessDayResult, CalendarChange, HolidaysQuery,
};
use crate::error::{ApiError, Problem};
use crate::service::calendar;
use crate::state::AppState;

/// Bank holidays in England and Wales.
#[utoipa::path(
    tag = "reference data",
    operation_id = "bank_holidays",
    params(HolidaysQuery),
    responses((status = 200, body = BankHolidays)),
    security(("oauth2" = []))
)]
#[get("/calendar/bank-holidays")]
pub async fn bank_holidays(
    state: web::Data<AppState>,
    _caller: Caller,
    query: web::Query<HolidaysQuery>,
) -> Result<HttpResponse, ApiError> {
    let dates = calendar::bank_holidays(&state, query.year).await?;
    Ok(HttpResponse::Ok().json(BankHolidays { dates }))
}

/// The end of a period of business days.
///
/// `from=2025-08-22&days=15` → `2025-09-15`: the `days`-th business day after `from`, on the
/// hub's current calendar.
#[utoipa::path(
    tag = "reference data",
    operation_id = "add_business_days",
    params(AddBusinessDaysQuery),
    responses(
        (status = 200, body = BusinessDayResult),
        (status = 400, description = "Bad query", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = []))
)]
#[get("/calendar/add-business-days")]
pub async fn add_business_days(
    state: web::Data<AppState>,
    _caller: Caller,
    query: web::Query<AddBusinessDaysQuery>,
) -> Result<HttpResponse, ApiError> {
    let date = calendar::add_business_days(&state, query.from, query.days).await?;
    Ok(HttpResponse::Ok().json(BusinessDayResult { date }))
}

/// Make a date a bank holiday (operator).
///
/// Every open deadline is recounted at once; each claim whose due date moved gets
/// `claim.deadline_changed` to both parties.
#[utoipa::path(
    tag = "operator",
    operation_id = "add_bank_holiday",
    params(("date" = String, Path, format = Date, description = "YYYY-MM-DD")),
    responses(
        (status = 200, body = CalendarChange),
        (status = 403, description = "Not an operator client", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["operator"]))
)]
#[put("/admin/bank-holidays/{date}")]
pub async fn add_bank_holiday(
    state: web::Data<AppState>,
    caller: Caller,
    date: web::Path<NaiveDate>,
) -> Result<HttpResponse, ApiError> {
    change(&state, caller, date.into_inner(), true).await
}

/// Remove a bank holiday (operator).
///
/// Every open deadline is recounted at once, as when adding one.
#[utoipa::path(
    tag = "operator",
    operation_id = "remove_bank_holiday",
    params(("date" = String, Path, format = Date, description = "YYYY-MM-DD")),
    responses(
        (status = 200, body = CalendarChange),
        (status = 403, description = "Not an operator client", body = Problem, content_type = "application/problem+json"),
    ),
    security(("oauth2" = ["operator"]))
)]
#[delete("/admin/bank-holidays/{date}")]
pub async fn remove_bank_holiday(
    state: web::Data<AppState>,
    caller: Caller,
    date: web::Path<NaiveDate>,
) -> Result<HttpResponse, ApiError> {
    change(&state, caller, date.into_inner(), false).await
}

async fn change(
    state: &AppState,
    caller: Caller,
    date: NaiveDate,
    add: bool,
) -> Result<HttpResponse, ApiError> {
    let done = calendar::change_bank_holiday(state, &caller, date, add).await?;
    Ok(HttpResponse::Ok().json(CalendarChange {
        date,
        bank_holiday: add,
        changed: done.changed,
        claims_rescheduled: done.claims_rescheduled,
        recount_complete: done.recount_complete,
        claims_to_recount: done.claims_to_recount,
    }))
}
