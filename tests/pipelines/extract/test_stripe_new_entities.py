"""invoice_payments, credit_notes, events and subscription items, read as Stripe serves them
(a small Stripe stand-in until the sandbox serves them), and a server too old to offer one."""

from __future__ import annotations

import pytest

from gateways.errors import GatewayPermissionError
from gateways.stripe import StripeGateway
from pipelines.extract.landing import read_cursor
from pipelines.extract.stripe import extract_stripe_entity
from tests.pipelines.extract.conftest import account_for, raw_payloads
from tests.pipelines.extract.stub_stripe import StubStripe

quiet = [].append
T0 = 1_780_000_000


class _Url:
    url = "http://stub.invalid"


ACCOUNT = account_for(_Url())


def invoice_payment(n: int, status: str = "paid") -> dict:
    return {
        "id": f"inpay_{n:04d}", "object": "invoice_payment", "created": T0 + n,
        "amount_paid": 1000 + n if status == "paid" else None, "amount_requested": 1000 + n,
        "currency": "usd", "invoice": f"in_{n:04d}", "is_default": True, "livemode": False,
        "payment": {"type": "payment_intent", "payment_intent": f"pi_{n:04d}"},
        "status": status, "status_transitions": {"canceled_at": None, "paid_at": T0 + n},
    }  # fmt: skip


def line(prefix: str, parent: str, n: int) -> dict:
    return {"id": f"{prefix}_{parent}_{n:03d}", "object": "line", "amount": 10 * n}


def credit_note(n: int, lines: int) -> dict:
    parent = f"cn_{n:04d}"
    return {
        "id": parent, "object": "credit_note", "created": T0 + n, "currency": "eur",
        "amount": 500, "amount_shipping": 0, "discount_amount": 0, "subtotal": 500,
        "total": 500, "out_of_band_amount": None, "invoice": f"in_{n:04d}", "status": "issued",
        "lines": {"object": "list", "data": [line("cnli", parent, k) for k in range(lines)],
                  "has_more": False, "url": f"/v1/credit_notes/{parent}/lines"},
    }  # fmt: skip


def subscription(n: int, items: int) -> dict:
    parent = f"sub_{n:04d}"
    return {
        "id": parent, "object": "subscription", "created": T0 + n, "currency": "usd",
        "status": "active",
        "items": {"object": "list", "data": [line("si", parent, k) for k in range(items)],
                  "has_more": False, "url": f"/v1/subscription_items?subscription={parent}"},
    }  # fmt: skip


def event(n: int, kind: str, created: int) -> dict:
    obj = {"id": f"ch_{n:04d}", "object": "charge", "created": T0, "amount": 100}
    return {
        "id": f"evt_{n:05d}", "object": "event", "api_version": "2020-08-27",
        "created": created, "type": kind, "data": {"object": obj},
    }  # fmt: skip


def land(stub: StubStripe, entity: str, path, messages=None):
    gateway = StripeGateway(ACCOUNT, http_client=stub, sleep=id)
    log = quiet if messages is None else messages.append
    return extract_stripe_entity(ACCOUNT, entity, path, gateway=gateway, log=log, now=lambda: T0)


def test_invoice_payments_land_whole(tmp_path):
    payments = [invoice_payment(n, "paid" if n % 3 else "open") for n in range(250)]
    result = land(StubStripe({"invoice_payments": payments}), "invoice_payments", tmp_path / "w")
    assert result.inserted == 250 and result.quarantined == 0
    assert raw_payloads(tmp_path / "w", "invoice_payments") == {
        ("main", p["id"]): p for p in payments
    }


@pytest.mark.parametrize(
    ("entity", "make", "field", "path"),
    [
        ("credit_notes", credit_note, "lines", "/v1/credit_notes/cn_0001/lines"),
        ("subscriptions", subscription, "items", "/v1/subscription_items"),
    ],
)
def test_embedded_lists_are_completed_past_the_first_page(entity, make, field, path, tmp_path):
    objects = [make(1, 137), make(2, 10), make(3, 0)]
    stub = StubStripe({entity: objects})
    land(stub, entity, tmp_path / "w")
    landed = raw_payloads(tmp_path / "w", entity)
    assert {k: len(v[field]["data"]) for (_, k), v in landed.items()} == {
        objects[0]["id"]: 137,
        objects[1]["id"]: 10,
        objects[2]["id"]: 0,
    }
    assert landed[("main", objects[0]["id"])] == {
        **objects[0],
        field: {**objects[0][field], "has_more": False},
    }
    # only the object with more than one page asked for the rest: two pages of 100
    assert stub.requests.count(path) == 2


def test_every_event_type_lands_whole(tmp_path):
    kinds = ["charge.succeeded", "customer.created", "invoice.paid", "charge.dispute.closed"]
    events = [event(n, kinds[n % 4], T0 - 5000 + n) for n in range(230)]
    result = land(StubStripe({"events": events}), "events", tmp_path / "w")
    assert result.inserted == 230
    assert raw_payloads(tmp_path / "w", "events") == {("main", e["id"]): e for e in events}


def test_events_are_read_incrementally_with_an_overlap_for_late_ones(tmp_path):
    path = tmp_path / "w"
    events = [event(n, "charge.succeeded", T0 - 86_400 + 60 * n) for n in range(200)]
    stub = StubStripe({"events": events})
    land(stub, "events", path)
    newest = events[-1]["created"]
    late = event(900, "charge.refunded", newest - 300)  # visible only now, 5 minutes older
    stub.objects["events"] += [late, event(901, "charge.captured", newest + 10)]
    stub.requests.clear()

    again = land(stub, "events", path)
    assert again.inserted == 2 and again.objects_seen < 20  # read only the overlap
    assert raw_payloads(path, "events")[("main", late["id"])] == late
    assert len(raw_payloads(path, "events")) == 202


def test_a_server_without_the_endpoint_warns_and_lands_nothing(tmp_path):
    stub = StubStripe({"charges": []}, offers={"charges", "events"})
    messages: list[str] = []
    result = land(stub, "invoice_payments", tmp_path / "w", messages)
    assert (result.inserted, result.pages) == (0, 0)
    warning = [m for m in messages if m.startswith("WARNING")]
    assert len(warning) == 1 and "invoice_payments: not offered by this server" in warning[0]
    assert "Unrecognized request URL (GET: /v1/invoice_payments)" in warning[0]
    assert read_cursor(tmp_path / "w", "stripe", "main", "invoice_payments") is None


def test_a_restricted_key_still_fails_a_new_entity(store, tmp_path):
    from sandbox.stripe.server import serve

    key = "rk_test_no_invoice_payments_0123456789"
    with (
        serve(store, api_keys={key: {"customers", "events"}}) as server,
        pytest.raises(GatewayPermissionError, match="HTTP 403"),
    ):
        extract_stripe_entity(
            account_for(server, key=key), "invoice_payments", tmp_path / "w", log=quiet
        )
