//! A read-through cache of organisations. Codes and names change rarely and every claim view
//! names both parties, so the hub keeps them in memory; a code it has not seen is read from the
//! database (another hub process may have created it).

use std::collections::HashMap;
use std::sync::RwLock;

use claims_domain::ids::OrganisationCode;
use claims_domain::organisation::Organisation;
use claims_persistence::{Database, StoreError};

#[derive(Default)]
pub struct Directory {
    known: RwLock<HashMap<OrganisationCode, Organisation>>,
}

impl Directory {
    pub async fn get(
        &self,
        db: &Database,
        code: &OrganisationCode,
    ) -> Result<Option<Organisation>, StoreError> {
        if let Some(found) = self.known.read().unwrap_or_else(|p| p.into_inner()).get(code) {
            return Ok(Some(found.clone()));
        }
        let found = db.organisation(code.as_str()).await?;
        if let Some(organisation) = &found {
            self.remember(organisation.clone());
        }
        Ok(found)
    }

    /// Drops a removed organisation from this process's memory.
    pub fn forget(&self, code: &OrganisationCode) {
        self.known.write().unwrap_or_else(|p| p.into_inner()).remove(code);
    }

    pub fn remember(&self, organisation: Organisation) {
        self.known.write().unwrap_or_else(|p| p.into_inner()).insert(organisation.code.clone(), organisation);
    }
}
