"""The Braintree account's objects as the store keeps them: each record holds its element and
the values its search fields take (`fields`: name -> Unix seconds, several for the status-date
fields; `words`: the text and multi-value fields), indexed from the element itself, so a
search sees exactly what the served XML says. Its bytes are cached until it changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from lxml import etree

from sandbox.braintree.shape import to_bytes

TXN_STATUS_DATES = {
    "authorized": "authorized_at",
    "submitted_for_settlement": "submitted_for_settlement_at",
    "settled": "settled_at",
    "voided": "voided_at",
    "failed": "failed_at",
    "processor_declined": "processor_declined_at",
    "gateway_rejected": "gateway_rejected_at",
    "authorization_expired": "authorization_expired_at",
}
ACH = "us_bank_account"


def parse_time(text: str | None) -> int | None:
    if not text:
        return None
    fmt = "%Y-%m-%d" if len(text) == 10 else "%Y-%m-%dT%H:%M:%SZ"
    return int(datetime.strptime(text, fmt).replace(tzinfo=UTC).timestamp())


@dataclass
class Record:
    el: etree._Element
    created: int
    fields: dict[str, list[int]] = field(default_factory=dict)
    words: dict[str, list[str]] = field(default_factory=dict)  # text/multi-value fields
    _bytes: bytes | None = None

    def xml(self) -> bytes:
        if self._bytes is None:
            self._bytes = to_bytes(self.el)
        return self._bytes

    def changed(self) -> None:
        self._bytes = None


def index_transaction(rec: Record) -> Record:
    el = rec.el
    fields: dict[str, list[int]] = {"created_at": [parse_time(el.findtext("created-at"))]}
    for event in el.iterfind("status-history/status-event"):
        name = TXN_STATUS_DATES.get(event.findtext("status"))
        if name:
            fields.setdefault(name, []).append(parse_time(event.findtext("timestamp")))
    returned = ach_returned(el)
    if returned:
        fields["ach_return_responses_created_at"] = returned
    disbursed = parse_time(el.findtext("disbursement-details/disbursement-date"))
    if disbursed is not None:
        fields["disbursement_date"] = [disbursed]
    disputed = [parse_time(d.findtext("received-date")) for d in el.iterfind("disputes/dispute")]
    if disputed:
        fields["dispute_date"] = disputed
    rec.fields = fields
    rec.words = {
        "id": [el.findtext("id")],
        "status": [el.findtext("status")],
        "type": [el.findtext("type")],
        "customer_id": [el.findtext("customer/id") or ""],
        "currency": [el.findtext("currency-iso-code")],
        "merchant_account_id": [el.findtext("merchant-account-id")],
    }
    rec.changed()
    return rec


def ach_returned(el) -> list[int]:
    """When a bank debit came back from the ACH network: its settlement_declined event, with a
    NACHA return code (R01 ...) as the processor's settlement response."""
    code = el.findtext("processor-settlement-response-code") or ""
    if el.findtext("payment-instrument-type") != ACH or not code.startswith("R"):
        return []
    events = el.iterfind("status-history/status-event")
    return [
        parse_time(e.findtext("timestamp"))
        for e in events
        if e.findtext("status") == "settlement_declined"
    ]


def index_dispute(rec: Record) -> Record:
    el = rec.el
    history = list(el.iterfind("status-history/status-history"))
    rec.fields = {
        "received_date": [parse_time(el.findtext("received-date"))],
        "reply_by_date": [parse_time(el.findtext("reply-by-date"))],
        "effective_date": [parse_time(h.findtext("effective-date")) for h in history],
        "disbursement_date": [
            t for h in history if (t := parse_time(h.findtext("disbursement-date"))) is not None
        ],
    }
    rec.words = {
        "id": [el.findtext("id")],
        "status": [el.findtext("status")],
        "kind": [el.findtext("kind")],
        "reason": [el.findtext("reason")],
        "transaction_id": [el.findtext("transaction/id")],
        "merchant_account_id": [el.findtext("merchant-account-id")],
    }
    rec.changed()
    return rec


def index_simple(rec: Record, words: tuple[str, ...] = ()) -> Record:
    el = rec.el
    rec.fields = {"created_at": [parse_time(el.findtext("created-at"))]}
    nbd = parse_time(el.findtext("next-billing-date"))
    if nbd is not None:
        rec.fields["next_billing_date"] = [nbd]
    rec.words = {"id": [el.findtext("id")]}
    for name in words:
        rec.words[name] = [el.findtext(name.replace("_", "-")) or ""]
    rec.changed()
    return rec


def index_subscription(rec: Record) -> Record:
    return index_simple(rec, ("status", "plan_id", "merchant_account_id"))


def index_customer(rec: Record) -> Record:
    return index_simple(rec, ("email",))
