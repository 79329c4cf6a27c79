//! Single-field checks used by `validator` attributes (the CNF and action bodies).

use validator::ValidationError;

use crate::references;
use crate::validation::invalid;

pub(crate) fn required_text(value: &str) -> Result<(), ValidationError> {
    if value.trim().is_empty() { Err(invalid("required", "must not be blank")) } else { Ok(()) }
}

pub(crate) fn postcode(value: &str) -> Result<(), ValidationError> {
    references::parse_postcode(value)
        .map(drop)
        .ok_or_else(|| invalid("invalid_postcode", "must be a valid UK postcode"))
}

pub(crate) fn ni_number(value: &str) -> Result<(), ValidationError> {
    references::parse_ni_number(value).map(drop).ok_or_else(|| {
        invalid("invalid_ni_number", "must be two allowed prefix letters, six digits and a suffix A to D")
    })
}

pub(crate) fn case_reference(value: &str) -> Result<(), ValidationError> {
    if references::is_case_reference(value) {
        Ok(())
    } else {
        Err(invalid("invalid_format", "must be 1 to 50 letters, digits, spaces, '/', '.' or '-'"))
    }
}

pub(crate) fn fraud_check_reference(value: &str) -> Result<(), ValidationError> {
    if references::is_fraud_check_reference(value) {
        Ok(())
    } else {
        Err(invalid(
            "invalid_format",
            "must be ASKCUEPI optionally followed by 1 to 10 digits, or 1 to 10 digits",
        ))
    }
}

pub(crate) fn small_claims_reference(value: &str) -> Result<(), ValidationError> {
    if references::is_small_claims_reference(value) {
        Ok(())
    } else {
        Err(invalid("invalid_format", "must be OIC- followed by digits and hyphens"))
    }
}

pub(crate) fn time_of_day(value: &str) -> Result<(), ValidationError> {
    if references::is_time_of_day(value) {
        Ok(())
    } else {
        Err(invalid("invalid_time", "must be a time HH:MM from 00:00 to 23:59"))
    }
}

pub(crate) fn telephone(value: &str) -> Result<(), ValidationError> {
    if references::is_telephone(value) {
        Ok(())
    } else {
        Err(invalid("invalid_format", "must be a telephone number of 10 to 15 digits"))
    }
}

pub(crate) fn vehicle_registration(value: &str) -> Result<(), ValidationError> {
    references::parse_vehicle_registration(value)
        .map(drop)
        .ok_or_else(|| invalid("invalid_format", "must be at most 12 letters and digits"))
}

pub(crate) fn fca_firm_reference(value: &str) -> Result<(), ValidationError> {
    if references::is_fca_firm_reference(value) {
        Ok(())
    } else {
        Err(invalid("invalid_format", "must be a six or seven digit FCA firm reference number"))
    }
}
