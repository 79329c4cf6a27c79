//! The protocols a claim can run under, and the value bands that select fixed costs.

string_enum! {
    /// The protocol a claim runs under.
    ClaimType {
        Rta => "rta",
        ElAccident => "el_accident",
        ElDisease => "el_disease",
        Pl => "pl",
    }
}

string_enum! {
    /// The value band of a claim, which selects its fixed costs.
    ValueBand {
        UpTo10000 => "up_to_10000",
        From10000To25000 => "10000_to_25000",
    }
}
