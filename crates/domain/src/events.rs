//! The names of what happens to claims: the event types of the feed (and of webhooks to come), and
//! the actions the audit trail records. Each is written once here, with its wire name.

string_enum! {
    /// What an event in the feed says happened to a claim.
    EventType {
        Submitted => "claim.submitted",
        Acknowledged => "claim.acknowledged",
        Rejected => "claim.rejected",
        Resubmitted => "claim.resubmitted",
        /// The claim moved to another organisation (reassignment, accepted offer, bulk transfer).
        Transferred => "claim.transferred",
        LiabilityDecided => "claim.liability_decided",
        Article75Declared => "claim.article_75_declared",
        Exited => "claim.exited",
        Withdrawn => "claim.withdrawn",
        /// A reminder some business days before a deadline.
        DeadlineApproaching => "claim.deadline_approaching",
        DeadlineMissed => "claim.deadline_missed",
        /// A deadline moved: a calendar change, an agreed extension, an Article 75 declaration.
        DeadlineChanged => "claim.deadline_changed",
        InterimPaymentRequested => "claim.interim_payment_requested",
        InterimPaymentResponded => "claim.interim_payment_responded",
        InterimPaymentAccepted => "claim.interim_payment_accepted",
        InterimPaymentDeclined => "claim.interim_payment_declined",
        InterimPaymentReceived => "claim.interim_payment_received",
        SettlementPackSent => "claim.settlement_pack_sent",
        OfferMade => "claim.offer_made",
        Settled => "claim.settled",
        NoAgreement => "claim.no_agreement",
        PaymentRecorded => "claim.payment_recorded",
        CourtPackSent => "claim.court_pack_sent",
        CourtPackAnswered => "claim.court_pack_answered",
        Closed => "claim.closed",
        TransferOffered => "claim.transfer_offered",
        TransferOfferCancelled => "claim.transfer_offer_cancelled",
        TransferDeclined => "claim.transfer_declined",
        AttachmentAdded => "claim.attachment_added",
        /// Small-claims track: the claimant accepted the compensator's liability decision.
        LiabilityDecisionAccepted => "claim.liability_decision_accepted",
        /// Small-claims track: the claim came back from court with the court's finding.
        ResumedAfterCourt => "claim.resumed_after_court",
        MedicalReportAdded => "claim.medical_report_added",
        LossesSet => "claim.losses_set",
        OfferRequested => "claim.offer_requested",
        RemovalProposed => "claim.removal_proposed",
        RemovalObjected => "claim.removal_objected",
        /// Small-claims track: nobody acted on the claim for 30 calendar days (sent once).
        Dormant => "claim.dormant",
        DataSubjectRequestRecorded => "claim.data_subject_request_recorded",
        DataSubjectRequestExtended => "claim.data_subject_request_extended",
        DataSubjectRequestClosed => "claim.data_subject_request_closed",
        ErasureRequested => "claim.erasure_requested",
        ErasureCancelled => "claim.erasure_cancelled",
        /// About the organisation, not a claim: one of its API clients was disabled after 90 days
        /// unused (`claim_id` is `null`).
        ClientDisabled => "client.disabled",
    }
}

string_enum! {
    /// What an entry of a claim's audit trail records: a change (by whom it was made), a
    /// consequence the hub applied, or a read.
    AuditAction {
        Submitted => "claim.submitted",
        Acknowledged => "claim.acknowledged",
        Rejected => "claim.rejected",
        Resubmitted => "claim.resubmitted",
        Reassigned => "claim.reassigned",
        LiabilityDecided => "claim.liability_decided",
        Article75Declared => "claim.article_75_declared",
        FraudAlleged => "claim.fraud_alleged",
        Exited => "claim.exited",
        Withdrawn => "claim.withdrawn",
        ConsiderationPeriodExtended => "claim.consideration_period_extended",
        InterimPaymentRequested => "claim.interim_payment_requested",
        InterimPaymentResponded => "claim.interim_payment_responded",
        InterimDeadlineExtended => "claim.interim_deadline_extended",
        InterimPaymentAccepted => "claim.interim_payment_accepted",
        InterimPaymentDeclined => "claim.interim_payment_declined",
        InterimPaymentReceived => "claim.interim_payment_received",
        SettlementPackSent => "claim.settlement_pack_sent",
        SettlementPackAnswered => "claim.settlement_pack_answered",
        OfferMade => "claim.offer_made",
        OfferAccepted => "claim.offer_accepted",
        PaymentRecorded => "claim.payment_recorded",
        SettlementReceived => "claim.settlement_received",
        CourtPackSent => "claim.court_pack_sent",
        CourtPackAnswered => "claim.court_pack_answered",
        TransferOffered => "claim.transfer_offered",
        TransferOfferCancelled => "claim.transfer_offer_cancelled",
        TransferAccepted => "claim.transfer_accepted",
        TransferDeclined => "claim.transfer_declined",
        /// Moved by an operator's bulk transfer.
        Transferred => "claim.transferred",
        AttachmentAdded => "claim.attachment_added",
        LiabilityDecisionAccepted => "claim.liability_decision_accepted",
        ResumedAfterCourt => "claim.resumed_after_court",
        MedicalReportAdded => "claim.medical_report_added",
        LossesSet => "claim.losses_set",
        OfferRequested => "claim.offer_requested",
        RemovalProposed => "claim.removal_proposed",
        RemovalObjected => "claim.removal_objected",
        DataSubjectRequestRecorded => "claim.data_subject_request_recorded",
        DataSubjectRequestExtended => "claim.data_subject_request_extended",
        DataSubjectRequestClosed => "claim.data_subject_request_closed",
        ErasureRequested => "claim.erasure_requested",
        ErasureCancelled => "claim.erasure_cancelled",
        /// About the organisation, not a claim: one of its API clients was disabled after 90 days
        /// unused (`claim_id` is `null`).
        ClientDisabled => "client.disabled",
        /// What time brought (reminders, misses and their consequences), applied by the hub.
        TimePassed => "claim.time_passed",
        /// Deadlines recounted after a change of the bank-holiday calendar.
        DeadlinesRecomputed => "claim.deadlines_recomputed",
        Read => "claim.read",
        HistoryRead => "claim.history_read",
        AttachmentRead => "claim.attachment_read",
        DocumentPrinted => "claim.document_printed",
        /// A party exported the whole record (a data-subject access or portability request).
        Exported => "claim.exported",
    }
}

impl AuditAction {
    /// Reads, as opposed to changes (claim lists place a claim by its last change).
    pub const READS: [AuditAction; 5] = [
        AuditAction::Read,
        AuditAction::HistoryRead,
        AuditAction::AttachmentRead,
        AuditAction::DocumentPrinted,
        AuditAction::Exported,
    ];
}
