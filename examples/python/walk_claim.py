"""Walk a road-traffic claim from submission to `closed` (outcome `settled`) with a generated client.

This is an example for integrators. It uses only the Python client that `openapi-python-client`
generates from the hub's OpenAPI document (`openapi/openapi.json`, also served at
`GET /openapi.json`): every call goes through the typed `sync_detailed` functions, so the status
code, the headers and the parsed body of each response are at hand. It shows:

- getting an access token with the client credentials grant (`issue_token`), once for the
  claimant representative CR00001 and once for the compensator CM00001;
- submitting a Claim Notification Form built from the typed models, with an `Idempotency-Key`
  so that a retry cannot create a second claim;
- optimistic concurrency: every action sends the claim's `ETag` (from the previous response) in
  `If-Match`; a stale one is refused with `412`;
- the shortest protocol path to a settled claim:

      submitted --acknowledge (CM)--> awaiting_liability_decision
        --decide_liability: admitted (CM)--> liability_admitted
        --send_settlement_pack (CR)--> settlement_pack_sent
        --respond_settlement_pack: accept (CM)--> settled
        --record_payment: settlement (CM)--> settled (paid)
        --confirm_settlement_received (CR)--> closed, outcome settled

  (`decide_liability` on a `submitted` claim would acknowledge it too; the separate step is kept
  here because most compensators acknowledge first.)

Run it with `scripts/python-example.sh`, which generates the client, installs it and starts a
sandbox hub. By hand: `HUB_URL=http://127.0.0.1:8080 HUB_CREDENTIALS=creds.json python walk_claim.py`
with the client installed, against `claims-exchange serve --sandbox --credentials-file creds.json`.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import uuid
from http import HTTPStatus
from typing import Any, NoReturn

import httpx
from claims_exchange_client import AuthenticatedClient, Client
from claims_exchange_client.api.authentication import issue_token
from claims_exchange_client.api.claim_actions import (
    acknowledge,
    confirm_settlement_received,
    decide_liability,
    record_payment,
    respond_settlement_pack,
    send_settlement_pack,
)
from claims_exchange_client.api.claims import get_claim, submit_claim
from claims_exchange_client.models import (
    Accident,
    AcknowledgeInput,
    ActionKind,
    Address,
    Circumstances,
    Claimant,
    ClaimantRole,
    ClaimSection,
    ClaimStatus,
    ClaimType,
    ClaimView,
    Cnf,
    CompensatorContact,
    DecideLiabilityInput,
    Defendant,
    DefendantKind,
    Hospital,
    Injury,
    InsuranceCover,
    LiabilityOutcome,
    LiabilitySection,
    LossHead,
    LossLineInput,
    NoFields,
    OAuthError,
    OtherParty,
    OtherPartyRole,
    Outcome,
    PackResponse,
    PaymentKind,
    Problem,
    RecordPaymentInput,
    ReferralSource,
    Rehabilitation,
    RepairPosition,
    Representative,
    RespondSettlementPackInput,
    SeatBelt,
    SendSettlementPackInput,
    Settlement,
    Signatory,
    SubmitClaimRequest,
    GrantType,
    TokenRequest,
    TokenResponse,
    ValueBand,
    VehicleDamage,
)
from claims_exchange_client.types import Response

REPRESENTATIVE = "CR00001"
COMPENSATOR = "CM00001"


def fail(message: str) -> NoReturn:
    """Stop with a clear message and a non-zero exit status."""
    sys.exit(f"walk_claim: {message}")


def expect(response: Response[Any], status: HTTPStatus, step: str) -> Any:
    """Return the parsed body of `response`, or stop when its status is not the expected one.

    Errors are RFC 9457 problems with a stable `code`; the generated client parses them into
    `Problem` (for the statuses the document lists) next to the success model.
    """
    if response.status_code != status:
        problem = response.parsed
        if isinstance(problem, Problem):
            details = f"{problem.code}: {problem.detail}"
            if problem.errors:
                details += "".join(f"\n  {e.field}: {e.code} ({e.message})" for e in problem.errors)
            if problem.allowed_actions:
                details += f"\n  allowed now: {', '.join(problem.allowed_actions)}"
        elif isinstance(problem, OAuthError):  # /oauth/token answers as OAuth 2.0 does
            details = f"{problem.error}: {problem.error_description}"
        else:
            details = response.content.decode(errors="replace")[:500]
        fail(f"{step}: expected HTTP {status.value}, got {response.status_code.value}: {details}")
    return response.parsed


def token(base_url: str, credentials: dict[str, Any], code: str) -> AuthenticatedClient:
    """A client that calls the hub as organisation `code` (client credentials grant)."""
    org = next((o for o in credentials["organisations"] if o["code"] == code), None)
    if org is None:
        fail(f"{code} is not in the credentials file")
    response = issue_token.sync_detailed(
        client=Client(base_url=base_url),  # no token needed to get one
        body=TokenRequest(
            grant_type=GrantType.CLIENT_CREDENTIALS,
            client_id=org["client_id"],
            client_secret=org["client_secret"],
        ),
    )
    issued: TokenResponse = expect(response, HTTPStatus.OK, f"token for {code}")
    return AuthenticatedClient(base_url=base_url, token=issued.access_token)


def road_traffic_cnf(compensator: str) -> SubmitClaimRequest:
    """The contract's example `rta` form (a rear-end shunt in Leeds), built from the typed models."""
    return SubmitClaimRequest(
        cnf=Cnf(
            claim=ClaimSection(
                type_=ClaimType.RTA,
                value_band=ValueBand.UP_TO_10000,
                injury_damages_estimate_pence=600_000,
                total_value_estimate_pence=850_000,
                signatory=Signatory.REPRESENTATIVE,
                statement_of_truth=True,
                fraud_check_reference="ASKCUEPI0012345678",
            ),
            claimant=Claimant(
                title="Ms",
                first_name="Alex",
                surname="Example",
                date_of_birth=datetime.date(1985, 6, 14),
                address=Address(line1="1 Sample Street", city="Leeds", postcode="LS1 4AP"),
                occupation="Teacher",
                national_insurance_number="AB123456C",
                personal_representative_of_deceased=False,
                protected_party=False,
                bankrupt=False,
            ),
            representative=Representative(
                contact_name="Sam Handler",
                telephone="0113 496 0000",
                email="claims@example-solicitors.test",
                case_reference="RTA/2024/0001",
                referral_source=ReferralSource.DIRECT,
            ),
            defendant=Defendant(
                kind=DefendantKind.PERSONAL,
                name="Jordan Driver",
                address=Address(line1="20 Example Road", city="Bradford", postcode="BD1 1AA"),
                personal_representative_of_deceased=False,
                compensator=compensator,
                policy_number="POL-558812",
                vehicle_registration="YX19 ABC",
                vehicle_registered_outside_uk=False,
            ),
            accident=Accident(
                date=datetime.date(2024, 3, 14),
                time="08:45",
                location="Junction of Park Row and Boar Lane, Leeds",
                description=(
                    "The claimant was stationary at a red light when the defendant's car hit"
                    " the rear of the claimant's car."
                ),
                claimant_role=ClaimantRole.DRIVER,
                seat_belt_worn=SeatBelt.YES,
                police_reported=False,
                circumstances=Circumstances.REAR_END,
            ),
            injury=Injury(
                description="Pain and stiffness; see the medical notes.",
                whiplash=True,
                soft_tissue=True,
                bone=False,
                other=False,
                medical_attention_sought=True,
                first_medical_attention_date=datetime.date(2024, 3, 15),
                hospital_attendance=True,
                hospitals=[
                    Hospital(
                        name="Leeds General Infirmary",
                        address=Address(line1="Great George Street", city="Leeds", postcode="LS1 3EX"),
                    )
                ],
                overnight_stay=False,
                time_off_work=True,
                time_off_work_days=10,
                rehabilitation=Rehabilitation.UNDERTAKEN,
                rehabilitation_needs="Six sessions of physiotherapy.",
            ),
            vehicle_damage=VehicleDamage(
                own_vehicle_damage_claimed=True,
                insurance_cover=InsuranceCover.COMPREHENSIVE,
                repair_position=RepairPosition.REPAIRED,
                total_loss=False,
                replacement_vehicle_provided=False,
            ),
            other_parties=[OtherParty(role=OtherPartyRole.WITNESS, name="Chris Witness", telephone="07700 900123")],
            liability=LiabilitySection(reasons="The defendant drove into the back of a stationary vehicle."),
        )
    )


class ClaimWalk:
    """Follows one claim: its id and its latest `ETag`, which every action sends as `If-Match`."""

    def __init__(self, claim: ClaimView, etag: str) -> None:
        self.id = claim.id
        self.claim = claim
        self.etag = etag

    def act(self, name: str, operation: Any, client: AuthenticatedClient, body: Any) -> ClaimView:
        """Take action `name` (a module of `claims_exchange_client.api.claim_actions`) and print it."""
        response = operation.sync_detailed(self.id, client=client, body=body, if_match=self.etag)
        self.claim = expect(response, HTTPStatus.OK, name)
        self.etag = response.headers["etag"]  # the new version: the next action's If-Match
        print(f"{name} -> {self.claim.status} (version {self.claim.version})")
        return self.claim


def require_allowed(claim: ClaimView, action: ActionKind, who: str) -> None:
    """The hub lists what the caller may do now: a client can drive its screens from it."""
    if action not in claim.allowed_actions:
        fail(f"{who} may not {action} now (allowed: {', '.join(claim.allowed_actions) or 'nothing'})")


def main() -> None:
    base_url = os.environ.get("HUB_URL") or fail("set HUB_URL to the hub's base URL")
    credentials_file = os.environ.get("HUB_CREDENTIALS") or fail("set HUB_CREDENTIALS to its credentials file")
    with open(credentials_file, encoding="utf-8") as f:
        credentials = json.load(f)

    cr = token(base_url, credentials, REPRESENTATIVE)
    cm = token(base_url, credentials, COMPENSATOR)
    print(f"tokens for {REPRESENTATIVE} and {COMPENSATOR}")

    # Submit: the representative sends the CNF to the compensator named in it.
    response = submit_claim.sync_detailed(
        client=cr, body=road_traffic_cnf(COMPENSATOR), idempotency_key=f"walk-claim-{uuid.uuid4()}"
    )
    submitted: ClaimView = expect(response, HTTPStatus.CREATED, "submit")
    walk = ClaimWalk(submitted, response.headers["etag"])
    print(f"submit -> {submitted.status} (version {submitted.version}, id {submitted.id})")
    for deadline in submitted.deadlines:
        print(f"  deadline {deadline.name}: {deadline.due_date} ({deadline.party})")

    # The compensator reads the claim and sees that it may acknowledge it.
    response = get_claim.sync_detailed(walk.id, client=cm)
    as_compensator: ClaimView = expect(response, HTTPStatus.OK, "read as the compensator")
    require_allowed(as_compensator, ActionKind.ACKNOWLEDGE, COMPENSATOR)
    walk.etag = response.headers["etag"]

    # Stage 1: acknowledgement, then the liability decision.
    walk.act("acknowledge", acknowledge, cm, AcknowledgeInput(compensator_reference="NMI/CL/2025/0042"))
    claim = walk.act(
        "decide_liability",
        decide_liability,
        cm,
        DecideLiabilityInput(
            outcome=LiabilityOutcome.ADMITTED,
            compensator_contact=CompensatorContact(
                name="Pat Adjuster", telephone="0161 496 0000", email="pat.adjuster@example-insurer.test"
            ),
            rehabilitation_offered=True,
            repairs_offered=False,  # RTA only, required there
            replacement_vehicle_offered=False,  # likewise
            claimant_date_of_birth=walk.claim.cnf.claimant.date_of_birth,
        ),
    )
    if claim.status != ClaimStatus.LIABILITY_ADMITTED:
        fail(f"liability should be admitted, the claim is {claim.status}")

    # Stage 2: the representative's settlement pack (the claimant's offer, loss by loss) ...
    walk.act(
        "send_settlement_pack",
        send_settlement_pack,
        cr,
        SendSettlementPackInput(
            losses=[
                LossLineInput(head=LossHead.GENERAL_DAMAGES, gross_pence=600_000, evidence_attached=True),
                LossLineInput(head=LossHead.VEHICLE_REPAIR, gross_pence=185_000, evidence_attached=True),
                LossLineInput(
                    head=LossHead.LOSS_OF_EARNINGS_CLAIMANT,
                    gross_pence=90_000,
                    evidence_attached=True,
                    comment="Two weeks off work.",
                ),
            ],
            disbursements_pence=18_000,
            medical_report_references=["MR-2025-118"],
            london_weighting=False,
            statement_of_truth=True,
        ),
    )
    # ... which the compensator accepts: the claim is settled and the hub works out what is owed.
    claim = walk.act(
        "respond_settlement_pack",
        respond_settlement_pack,
        cm,
        RespondSettlementPackInput(response=PackResponse.ACCEPT),
    )
    if not isinstance(claim.settlement, Settlement):
        fail(f"an accepted pack should give a settlement, the claim is {claim.status}")
    sums = claim.settlement.sums
    print(
        f"  owed: {sums.total_pence} pence (damages {sums.damages_pence}, Stage 1 costs"
        f" {sums.stage1_costs_pence}, Stage 2 costs {sums.stage2_costs_pence},"
        f" disbursements {sums.disbursements_pence}), due {claim.settlement.payment_due_date}"
    )

    # Stage 3: the compensator pays what is owed and records it; the representative confirms.
    walk.act(
        "record_payment",
        record_payment,
        cm,
        RecordPaymentInput(
            kind=PaymentKind.SETTLEMENT,
            amount_pence=sums.total_pence,
            # Not in the future: the sandbox day on which all of this happens.
            paid_on=claim.notification_date,
        ),
    )
    claim = walk.act("confirm_settlement_received", confirm_settlement_received, cr, NoFields())

    if claim.status != ClaimStatus.CLOSED or claim.outcome != Outcome.SETTLED:
        fail(f"the claim should be closed as settled, it is {claim.status} with outcome {claim.outcome}")
    print(f"claim {claim.id}: status {claim.status}, outcome {claim.outcome}")


if __name__ == "__main__":
    try:
        main()
    except httpx.HTTPError as error:  # the generated client lets httpx's transport errors through
        fail(f"cannot talk to the hub at {os.environ.get('HUB_URL')}: {error!r}")
