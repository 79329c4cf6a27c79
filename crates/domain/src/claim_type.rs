//! The protocols a claim can run under, and the value bands that select fixed costs.

string_enum! {
    /// The protocol a claim runs under.
    ClaimType {
        Rta => "rta",
        ElAccident => "el_accident",
        ElDisease => "el_disease",
        Pl => "pl",
        /// Small road-traffic claims (the whiplash reform's small-claims track).
        OicRta => "oic_rta",
    }
}

string_enum! {
    /// The lifecycle a claim follows: the portal protocols' (`rta`, `el_accident`, `el_disease`,
    /// `pl`), or the small-claims protocol's (`oic_rta`).
    Track { Portal => "portal", SmallClaims => "small_claims" }
}

impl ClaimType {
    pub fn track(self) -> Track {
        match self {
            ClaimType::OicRta => Track::SmallClaims,
            ClaimType::Rta | ClaimType::ElAccident | ClaimType::ElDisease | ClaimType::Pl => Track::Portal,
        }
    }

    /// A road-traffic claim, on either track.
    pub fn is_road(self) -> bool {
        matches!(self, ClaimType::Rta | ClaimType::OicRta)
    }
}

string_enum! {
    /// The value band of a claim, which selects its fixed costs.
    ValueBand {
        UpTo10000 => "up_to_10000",
        From10000To25000 => "10000_to_25000",
    }
}
