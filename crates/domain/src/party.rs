//! The two sides of a claim.

string_enum! {
    /// Which side of a claim an organisation is on.
    Side {
        ClaimantRepresentative => "claimant_representative",
        Compensator => "compensator",
    }
}

impl Side {
    /// The other side of the claim.
    pub fn other(self) -> Side {
        match self {
            Side::ClaimantRepresentative => Side::Compensator,
            Side::Compensator => Side::ClaimantRepresentative,
        }
    }
}
