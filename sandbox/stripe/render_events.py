"""The events of the last 30 days of the history (Stripe keeps 30 days), for the changes that
happened then, oldest first; the newest is not after the history's end.

Each event's `data.object` is a copy of the rendered object with the fields that changed since
the event patched back to their value at the event's time (a charge's capture and refunds, a
refund's or dispute's or invoice's or subscription's status); other fields show the end state.
`*.updated` events carry `previous_attributes`. One event in ten is stamped with API version
"2020-08-27" and one in ten "2024-06-20" (chosen by a digest of the event, so stable): the
server's store downgrades their `data.object` to that version; here only `api_version` is set.
"""

from __future__ import annotations

import hashlib

import orjson

from sandbox.business.clock import EVENTS_SINCE, HISTORY_END
from sandbox.business.model import Business
from sandbox.stripe.render_ids import StripeIds
from sandbox.stripe.render_shapes import fresh

PINNED = "2026-10-28.endive"
OLDER = ("2020-08-27", "2024-06-20")


def api_version_of(seed: int, key: str) -> str:
    digit = hashlib.blake2b(f"{seed}:{key}".encode(), digest_size=2).digest()[0] % 10
    return OLDER[digit] if digit < len(OLDER) else PINNED


class _Events:
    def __init__(self, ids: StripeIds) -> None:
        self.ids = ids
        self.rows: list[tuple[int, int, str, str, dict, dict, dict | None]] = []

    def add(self, at, kind, key, obj, patch=None, previous=None) -> None:
        if at is None or not EVENTS_SINCE <= at <= HISTORY_END:
            return
        self.rows.append((at, len(self.rows), kind, key, obj, patch or {}, previous))

    def render(self) -> list[dict]:
        out = []
        blobs: dict[int, bytes] = {}  # one serialization per object, however many events
        for at, _, kind, key, obj, patch, previous in sorted(self.rows, key=lambda r: r[:2]):
            blob = blobs.get(id(obj))
            if blob is None:
                blob = blobs[id(obj)] = orjson.dumps(obj)
            snapshot = orjson.loads(blob)  # its own copy: the server may rewrite it
            snapshot.update(patch)
            event = fresh("event")
            data: dict = {"object": snapshot}
            if previous is not None:
                data["previous_attributes"] = previous
            event.update(
                id=self.ids.of("evt", f"{kind}:{key}"),
                api_version=api_version_of(self.ids.seed, f"{kind}:{key}"),
                created=at,
                data=data,
                livemode=False,
                pending_webhooks=0,
                request={"id": None, "idempotency_key": None},
                type=kind,
            )
            out.append(event)
        return out


def render_events(b: Business, ids: StripeIds, rendered: dict[str, dict[str, dict]]) -> list:
    """`rendered[entity][neutral id]` is the rendered object of each neutral one."""
    ev = _Events(ids)
    for c in b.customers:
        obj = rendered["customers"][c.id]
        ev.add(c.created, "customer.created", c.id, obj)
        ev.add(c.deleted_at, "customer.deleted", c.id, obj)
    for sub in b.subscriptions:
        obj = rendered["subscriptions"][sub.id]
        first = sub.statuses[0].status if sub.statuses else obj["status"]
        ev.add(sub.created, "customer.subscription.created", sub.id, obj, {"status": first})
        for before, span in zip(sub.statuses, sub.statuses[1:], strict=False):
            kind = "customer.subscription.deleted" if span.status == "canceled" else (
                "customer.subscription.updated")  # fmt: skip
            previous = {"status": before.status} if kind.endswith("updated") else None
            ev.add(span.start, kind, f"{sub.id}:{span.start}", obj, {"status": span.status},
                   previous)  # fmt: skip
    for inv in b.invoices:
        obj = rendered["invoices"][inv.id]
        if inv.status != "draft" and inv.starting_balance != inv.ending_balance:
            # finalizing applied (or added) credit balance: Stripe updates the customer
            ev.add(inv.created, "customer.updated", f"{inv.customer.id}:{inv.id}",
                   rendered["customers"][inv.customer.id], {"balance": inv.ending_balance},
                   {"balance": inv.starting_balance})  # fmt: skip
        ev.add(inv.created, "invoice.created", inv.id, obj, {"status": "draft"})
        if inv.status != "draft":
            ev.add(inv.created, "invoice.finalized", inv.id, obj, {"status": "open"})
        ev.add(inv.deleted_at, "invoice.deleted", inv.id, obj)
        if inv.status == "paid":
            ev.add(inv.paid_at, "invoice.paid", inv.id, obj)
        pi = inv.payment_intent
        for ch in pi.charges if pi is not None and len(pi.invoices) == 1 else ():
            if ch.status == "failed":
                ev.add(ch.created, "invoice.payment_failed", ch.id, obj, {"status": "open"})
        if inv.status == "uncollectible" and obj["status_transitions"]["marked_uncollectible_at"]:
            at = obj["status_transitions"]["marked_uncollectible_at"]
            ev.add(at, "invoice.marked_uncollectible", inv.id, obj)
    for inv_id, pay in rendered["invoice_payments"].items():
        ev.add(pay["status_transitions"]["paid_at"], "invoice_payment.paid", inv_id, pay)
    for ch in b.charges:
        obj = rendered["charges"][ch.id]
        at_creation = {"amount_refunded": 0, "refunded": False, "disputed": False}
        if ch.captured_at is not None or not ch.captured:
            at_creation.update(captured=False, amount_captured=0)
        kind = {"succeeded": "charge.succeeded", "failed": "charge.failed"}.get(
            ch.status, "charge.pending")  # fmt: skip
        ev.add(ch.created, kind, ch.id, obj, at_creation)
        ev.add(ch.captured_at, "charge.captured", ch.id, obj)
        for re in ch.refunds:
            ev.add(re.created, "charge.refunded", re.id, obj)
    for pi in b.payment_intents:
        obj = rendered["payment_intents"][pi.id]
        ev.add(pi.created, "payment_intent.created", pi.id, obj)
        last = pi.charges[-1] if pi.charges else None
        if pi.status == "succeeded" and last is not None:
            ev.add(last.captured_at or last.created, "payment_intent.succeeded", pi.id, obj)
        if pi.capture_method == "manual" and last is not None:
            ev.add(last.created, "payment_intent.amount_capturable_updated", pi.id, obj,
                   {"status": "requires_capture", "amount_capturable": pi.amount})  # fmt: skip
        if pi.status == "processing" and last is not None:
            ev.add(last.created, "payment_intent.processing", pi.id, obj)
        ev.add(pi.canceled_at, "payment_intent.canceled", pi.id, obj)
    for re in b.refunds:
        obj = rendered["refunds"][re.id]
        ev.add(re.created, "refund.created", re.id, obj, {"status": re.history[0][1]})
        for (_, before), (at, status) in zip(re.history, re.history[1:], strict=False):
            key = f"{re.id}:{at}"
            ev.add(at, "refund.updated", key, obj, {"status": status}, {"status": before})
            if status == "failed":
                ev.add(at, "refund.failed", key, obj)
    for du in b.disputes:
        obj = rendered["disputes"][du.id]
        ev.add(du.created, "charge.dispute.created", du.id, obj, {"status": "needs_response"})
        ev.add(du.closed_at, "charge.dispute.closed", du.id, obj)
    for note in b.credit_notes:
        ev.add(note.created, "credit_note.created", note.id, rendered["credit_notes"][note.id])
    return ev.render()
