"""Small stores for the server's tests: the rendered business plus what it does not render yet
(credit notes, events in older versions), built from Stripe's own example objects."""

from __future__ import annotations

import copy

from sandbox.business import generate
from sandbox.stripe.render import render_account

CREDIT_NOTE_LINES = 12  # more than an embedded list shows (10)


def business(seed: int = 3, scale: float = 0.02) -> dict:
    return render_account(generate(seed=seed, scale=scale))


def visible(objects: dict, entity: str) -> list[dict]:
    """The rendered objects of `entity` a list shows: all but the deleted ones."""
    gone = set((objects.get("deleted") or {}).get(entity, ()))
    return [o for o in objects[entity] if o["id"] not in gone]


def invoice_payments(objects: dict) -> list[dict]:
    """The rendered invoice payments: their own list, or (older renderer) the invoices'."""
    if "invoice_payments" in objects:
        return list(objects["invoice_payments"])
    return [p for inv in objects["invoices"] for p in (inv.get("payments") or {}).get("data", [])]


def payments_by_invoice(objects: dict) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {inv["id"]: [] for inv in objects["invoices"]}
    for payment in invoice_payments(objects):
        out[payment["invoice"]].append(payment)
    return out


def credit_notes(resources: dict, invoices: list[dict], n: int = 3) -> list[dict]:
    out = []
    for k, inv in enumerate(invoices[:n]):
        note = copy.deepcopy(resources["credit_note"])
        line = resources["credit_note_line_item"]
        lines = [
            {**copy.deepcopy(line), "id": f"cnli_case{k}{j:02d}"} for j in range(CREDIT_NOTE_LINES)
        ]
        note.update(
            id=f"cn_case{k:04d}",
            created=inv["created"] + 10,
            customer=inv["customer"],
            invoice=inv["id"],
            currency=inv["currency"],
        )
        note["lines"] = {
            "object": "list",
            "data": lines,
            "has_more": False,
            "url": f"/v1/credit_notes/{note['id']}/lines",
        }
        out.append(note)
    return out


def event(resources: dict, obj: dict, kind: str, version: str, created: int, n: int) -> dict:
    out = copy.deepcopy(resources["event"])
    out.update(
        id=f"evt_case{n:05d}",
        api_version=version,
        created=created,
        type=kind,
        data={"object": copy.deepcopy(obj)},
    )
    return out


def with_extras(resources: dict, objects: dict) -> dict:
    """The rendered objects plus credit notes and events of three API versions."""
    out = dict(objects)
    out["credit_notes"] = [
        *objects.get("credit_notes", []),
        *credit_notes(resources, objects["invoices"]),
    ]
    events = []
    versions = ("2020-08-27", "2024-06-20", "2026-10-28.endive")
    for n, charge in enumerate(objects["charges"][:9]):
        events.append(
            event(resources, charge, "charge.succeeded", versions[n % 3], charge["created"], n)
        )
    for n, invoice in enumerate(objects["invoices"][:9], start=100):
        events.append(
            event(resources, invoice, "invoice.paid", versions[n % 3], invoice["created"], n)
        )
    out["events"] = [*objects.get("events", []), *events]
    return out
