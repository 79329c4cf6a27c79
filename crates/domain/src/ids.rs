//! Identifiers. Each is a newtype so a claim id can never be passed where an organisation code is
//! expected, and each is checked once, where it enters the system.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A claim's id: a version 7 (time-ordered) UUID.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClaimId(Uuid);

impl ClaimId {
    pub fn new_v7() -> Self {
        Self(Uuid::now_v7())
    }
    pub fn from_uuid(id: Uuid) -> Self {
        Self(id)
    }
    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl fmt::Display for ClaimId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for ClaimId {
    type Err = uuid::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uuid::parse_str(s).map(Self)
    }
}

/// The public code of an organisation: two capital letters and five digits (`CR00019`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct OrganisationCode(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("an organisation code is two capital letters followed by five digits")]
pub struct InvalidOrganisationCode;

impl OrganisationCode {
    pub fn parse(raw: &str) -> Result<Self, InvalidOrganisationCode> {
        let bytes = raw.as_bytes();
        let well_formed = bytes.len() == 7
            && bytes[..2].iter().all(u8::is_ascii_uppercase)
            && bytes[2..].iter().all(u8::is_ascii_digit);
        if well_formed { Ok(Self(raw.to_owned())) } else { Err(InvalidOrganisationCode) }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrganisationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for OrganisationCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_codes_have_two_letters_and_five_digits() {
        assert!(OrganisationCode::parse("CR00019").is_ok());
        for bad in ["CR0001", "cr00019", "CR000190", "C100019", "CR0001A", ""] {
            assert_eq!(OrganisationCode::parse(bad), Err(InvalidOrganisationCode), "{bad}");
        }
    }

    #[test]
    fn claim_ids_are_time_ordered() {
        let first = ClaimId::new_v7();
        let second = ClaimId::new_v7();
        assert!(first < second);
        assert_eq!(first.as_uuid().get_version_num(), 7);
    }
}
