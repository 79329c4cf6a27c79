//! Where a claim is in its life.

string_enum! {
    /// Where a claim is in its life (the statuses of the protocol's lifecycle).
    ClaimStatus {
        Submitted => "submitted",
        AwaitingLiabilityDecision => "awaiting_liability_decision",
        Rejected => "rejected",
        LiabilityAdmitted => "liability_admitted",
        /// Small-claims track: the compensator denied liability.
        LiabilityDenied => "liability_denied",
        /// Small-claims track: the claimant asked for the compensator's offer.
        OfferRequested => "offer_requested",
        /// Small-claims track: the compensator made an offer.
        OfferMade => "offer_made",
        /// Small-claims track: the claimant answered with a counter-offer.
        CounterOfferMade => "counter_offer_made",
        SettlementPackSent => "settlement_pack_sent",
        Negotiating => "negotiating",
        NoAgreement => "no_agreement",
        Settled => "settled",
        CourtPackSent => "court_pack_sent",
        Closed => "closed",
        Exited => "exited",
        Withdrawn => "withdrawn",
        /// A person asked for their data to be erased, rectified or restricted: the claim is
        /// read-only until the request is cancelled or the claim is purged.
        ErasurePending => "erasure_pending",
    }
}

impl ClaimStatus {
    pub fn is_terminal(self) -> bool {
        matches!(self, ClaimStatus::Closed | ClaimStatus::Exited | ClaimStatus::Withdrawn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_closed_exited_and_withdrawn_are_terminal() {
        let terminal: Vec<_> = ClaimStatus::ALL.iter().filter(|s| s.is_terminal()).collect();
        assert_eq!(terminal, [&ClaimStatus::Closed, &ClaimStatus::Exited, &ClaimStatus::Withdrawn]);
    }
}
