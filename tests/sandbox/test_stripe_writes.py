"""The Stripe sandbox write endpoints, through the real stripe SDK over loopback."""

from __future__ import annotations

import pytest
import stripe


def events_of(client, event_type: str) -> list:
    return client.v1.events.list(params={"type": event_type, "limit": 100}).data


def test_partial_then_full_refund(stripe_client, stripe_server, stripe_objects):
    charge = next(c for c in stripe_objects["charges"] if c["id"] == "ch_ex00050")
    refunds_before = stripe_server.store.count("refunds")
    refund = stripe_client.v1.refunds.create(
        params={"charge": charge["id"], "amount": 300, "reason": "requested_by_customer"}
    )
    assert isinstance(refund, stripe.Refund)
    assert (refund.amount, refund.charge, refund.status) == (300, charge["id"], "succeeded")
    assert refund.created > max(c["created"] for c in stripe_objects["charges"])
    after = stripe_client.v1.charges.retrieve(charge["id"])
    assert (after.amount_refunded, after.refunded) == (300, False)
    assert stripe_client.v1.refunds.list(params={"limit": 1}).data[0].id == refund.id
    txn = stripe_client.v1.balance_transactions.retrieve(refund.balance_transaction)
    assert (txn.amount, txn.type, txn.source) == (-300, "refund", refund.id)

    rest = stripe_client.v1.refunds.create(params={"payment_intent": charge["payment_intent"]})
    assert rest.amount == charge["amount"] - 300
    final = stripe_client.v1.charges.retrieve(charge["id"])
    assert (final.amount_refunded, final.refunded) == (charge["amount"], True)
    assert stripe_server.store.count("refunds") == refunds_before + 2

    created = events_of(stripe_client, "refund.created")
    assert [e.data.object.id for e in created] == [rest.id, refund.id]
    refunded = events_of(stripe_client, "charge.refunded")
    assert refunded[0].data.object.amount_refunded == charge["amount"]
    assert refunded[0].data.previous_attributes.amount_refunded == 300


def test_refund_above_remaining_is_refused_and_changes_nothing(stripe_client, stripe_server):
    store = stripe_server.store
    before = {e: store.count(e) for e in ("refunds", "events", "balance_transactions")}
    charge_before = store.retrieve("charges", "ch_ex00030")
    amount = stripe_client.v1.charges.retrieve("ch_ex00030").amount
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.refunds.create(params={"charge": "ch_ex00030", "amount": amount + 1})
    error = caught.value
    assert error.http_status == 400 and error.param == "amount"
    dollars = f"${(amount + 1) // 100}.{(amount + 1) % 100:02d}"
    remaining = f"${amount // 100}.{amount % 100:02d}"
    assert error.user_message == (
        f"Refund amount ({dollars}) is greater than unrefunded amount on charge ({remaining})"
    )
    assert store.retrieve("charges", "ch_ex00030") == charge_before
    assert {e: store.count(e) for e in before} == before


def test_refunding_a_refunded_charge(stripe_client):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.refunds.create(params={"charge": "ch_ex00002"})  # refunded in history
    assert caught.value.code == "charge_already_refunded"


def test_idempotent_replay_returns_the_same_refund_once(stripe_server, stripe_client):
    store = stripe_server.store
    before = store.count("refunds")
    options = {"idempotency_key": "refund-ch_ex00040-1"}
    first = stripe_client.v1.refunds.create(
        params={"charge": "ch_ex00040", "amount": 100}, options=options
    )
    again = stripe_client.v1.refunds.create(
        params={"charge": "ch_ex00040", "amount": 100}, options=options
    )
    assert again.id == first.id
    assert again.last_response.headers["idempotent-replayed"] == "true"
    assert again.last_response.body == first.last_response.body
    assert store.count("refunds") == before + 1
    with pytest.raises(stripe.IdempotencyError):
        stripe_client.v1.refunds.create(
            params={"charge": "ch_ex00040", "amount": 200}, options=options
        )
    assert store.count("refunds") == before + 1


def test_cancel_subscription(stripe_client, stripe_server):
    sub = stripe_client.v1.subscriptions.cancel("sub_ex0000")
    assert isinstance(sub, stripe.Subscription)
    assert sub.status == "canceled" and sub.canceled_at == sub.ended_at
    assert sub.canceled_at > stripe_server.store.history_end
    live = stripe_client.v1.subscriptions.list(params={"limit": 100}).data
    assert "sub_ex0000" not in {s.id for s in live}
    assert stripe_client.v1.subscriptions.retrieve("sub_ex0000").status == "canceled"
    [event] = events_of(stripe_client, "customer.subscription.deleted")
    assert event.data.object.id == "sub_ex0000" and event.created >= sub.canceled_at
    with pytest.raises(stripe.InvalidRequestError):
        stripe_client.v1.subscriptions.cancel("sub_ex0000")


def test_capture_payment_intent(stripe_client, stripe_objects):
    intent = next(p for p in stripe_objects["payment_intents"] if p["status"] == "requires_capture")
    captured = stripe_client.v1.payment_intents.capture(
        intent["id"], params={"amount_to_capture": intent["amount"] - 100}
    )
    assert (captured.status, captured.amount_received) == ("succeeded", intent["amount"] - 100)
    charge = stripe_client.v1.charges.retrieve(intent["latest_charge"])
    assert charge.captured and charge.amount_captured == intent["amount"] - 100
    assert charge.amount_refunded == 100  # the released remainder
    assert events_of(stripe_client, "charge.captured")[0].data.object.id == charge.id
    assert events_of(stripe_client, "payment_intent.succeeded")[0].data.object.id == intent["id"]
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.payment_intents.capture(intent["id"])
    assert caught.value.code == "payment_intent_unexpected_state"


def test_send_invoice_only_when_open(stripe_client, stripe_objects):
    open_one = next(i for i in stripe_objects["invoices"] if i["status"] == "open")
    paid_one = next(i for i in stripe_objects["invoices"] if i["status"] == "paid")
    sent = stripe_client.v1.invoices.send_invoice(open_one["id"])
    assert isinstance(sent, stripe.Invoice) and sent.id == open_one["id"]
    assert events_of(stripe_client, "invoice.sent")[0].data.object.id == open_one["id"]
    with pytest.raises(stripe.InvalidRequestError):
        stripe_client.v1.invoices.send_invoice(paid_one["id"])


def test_create_tax_id(stripe_client):
    tax_id = stripe_client.v1.customers.tax_ids.create(
        "cus_ex0002", params={"type": "eu_vat", "value": "DE123456789"}
    )
    assert isinstance(tax_id, stripe.TaxId)
    assert (tax_id.customer, tax_id.country, tax_id.value) == ("cus_ex0002", "DE", "DE123456789")
    listed = stripe_client.v1.customers.tax_ids.list("cus_ex0002").data
    assert [t.id for t in listed] == [tax_id.id]
    assert stripe_client.v1.customers.tax_ids.retrieve("cus_ex0002", tax_id.id).id == tax_id.id
    assert events_of(stripe_client, "customer.tax_id.created")[0].data.object.id == tax_id.id


def test_update_customer(stripe_client):
    customer = stripe_client.v1.customers.update(
        "cus_ex0004", params={"email": "new@example.com", "name": "New Name"}
    )
    assert (customer.email, customer.name) == ("new@example.com", "New Name")
    assert stripe_client.v1.customers.retrieve("cus_ex0004").email == "new@example.com"
    [event] = events_of(stripe_client, "customer.updated")
    assert event.data.previous_attributes.email == "c4@example.com"
    assert event.data.object.email == "new@example.com"
