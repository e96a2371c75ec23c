"""The Stripe sandbox read path, through the real stripe SDK over loopback."""

from __future__ import annotations

import orjson
import pytest
import stripe

from sandbox.stripe.app import DEFAULT_API_KEY
from sandbox.stripe.server import serve
from sandbox.stripe.store import StripeStore


@pytest.fixture(scope="module")
def stripe_server(stripe_objects):
    """One server for the module: these tests only read."""
    with serve(StripeStore(stripe_objects)) as server:
        yield server


LISTS = {
    "customers": stripe.Customer,
    "charges": stripe.Charge,
    "payment_intents": stripe.PaymentIntent,
    "refunds": stripe.Refund,
    "disputes": stripe.Dispute,
    "subscriptions": stripe.Subscription,
    "invoices": stripe.Invoice,
    "balance_transactions": stripe.BalanceTransaction,
    "tax_rates": stripe.TaxRate,
    "events": stripe.Event,
}


def newest_first(objects: list[dict]) -> list[str]:
    """Stripe's list order, computed from the input objects: created desc, later input first."""
    indexed = sorted(enumerate(objects), key=lambda p: (p[1]["created"], p[0]), reverse=True)
    return [obj["id"] for _, obj in indexed]


def test_auto_paging_visits_every_charge_once_in_stripe_order(stripe_client, stripe_objects):
    pages = stripe_client.v1.charges.list(params={"limit": 7})
    seen = [charge.id for charge in pages.auto_paging_iter()]
    assert seen == newest_first(stripe_objects["charges"])


@pytest.mark.parametrize("entity", sorted(LISTS))
def test_every_entity_parses_into_its_sdk_class(stripe_client, stripe_objects, entity):
    service = getattr(stripe_client.v1, entity)
    params = {"limit": 100, **({"status": "all"} if entity == "subscriptions" else {})}
    page = service.list(params=params)
    assert [o.id for o in page.data] == newest_first(stripe_objects[entity])[:100]
    assert all(isinstance(o, LISTS[entity]) for o in page.data)
    first = page.data[0]
    assert isinstance(service.retrieve(first.id), LISTS[entity])


def test_served_objects_are_the_store_bytes(stripe_server):
    body, status, _ = raw_get(stripe_server.url, "/v1/invoices?limit=5")
    assert status == 200
    page = orjson.loads(body)
    store = stripe_server.store
    for obj in page["data"]:
        assert orjson.dumps(obj) == store.retrieve("invoices", obj["id"])
    assert body.startswith(
        b'{"object":"list","data":[' + store.retrieve("invoices", page["data"][0]["id"])
    )
    assert page["url"] == "/v1/invoices" and page["has_more"] is True


def raw_get(base: str, path: str, key: str = DEFAULT_API_KEY):
    """The extraction path: the SDK's own HTTP client, the body left unparsed."""
    headers = {"Authorization": f"Bearer {key}", "Stripe-Version": stripe.api_version}
    return stripe.RequestsClient().request_with_retries("get", base + path, headers)


def test_ending_before_pages_backwards(stripe_client, stripe_objects):
    order = newest_first(stripe_objects["customers"])
    collected: list[str] = []
    cursor = order[-1]
    while True:
        page = stripe_client.v1.customers.list(params={"limit": 4, "ending_before": cursor})
        collected = [c.id for c in page.data] + collected
        if not page.has_more:
            break
        cursor = page.data[0].id
    assert collected == order[:-1]


def test_created_filters(stripe_client, stripe_objects):
    created = sorted({c["created"] for c in stripe_objects["charges"]})
    pivot = created[len(created) // 2]

    def ids(**created_filter):
        page = stripe_client.v1.charges.list(params={"limit": 100, "created": created_filter})
        return {c.id for c in page.data}

    def expect(test):
        return {c["id"] for c in stripe_objects["charges"] if test(c["created"])}

    assert ids(gte=pivot) == expect(lambda t: t >= pivot)
    assert ids(gt=pivot) == expect(lambda t: t > pivot)
    assert ids(lte=pivot) == expect(lambda t: t <= pivot)
    assert ids(lt=pivot, gte=created[2]) == expect(lambda t: created[2] <= t < pivot)
    exact = stripe_client.v1.charges.list(params={"created": pivot, "limit": 100})
    assert {c.id for c in exact.data} == expect(lambda t: t == pivot)


@pytest.mark.parametrize("limit", [0, 101])
def test_limit_out_of_range_is_refused(stripe_client, limit):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.charges.list(params={"limit": limit})
    assert caught.value.http_status == 400
    assert caught.value.param == "limit"


def test_default_limit_is_ten_and_filters_apply(stripe_client, stripe_objects):
    assert len(stripe_client.v1.charges.list().data) == 10
    mine = stripe_client.v1.charges.list(params={"customer": "cus_ex0003"}).data
    assert {c.id for c in mine} == {
        c["id"] for c in stripe_objects["charges"] if c["customer"] == "cus_ex0003"
    }


def test_subscriptions_hide_canceled_unless_asked(stripe_client, stripe_objects):
    subs = stripe_objects["subscriptions"]
    live = stripe_client.v1.subscriptions.list(params={"limit": 100}).data
    assert {s.id for s in live} == {s["id"] for s in subs if s["status"] != "canceled"}
    canceled = stripe_client.v1.subscriptions.list(params={"limit": 100, "status": "canceled"})
    assert {s.id for s in canceled.data} == {s["id"] for s in subs if s["status"] == "canceled"}
    ended = stripe_client.v1.subscriptions.list(params={"limit": 100, "status": "ended"})
    assert [s.id for s in ended.data] == [s.id for s in canceled.data]


def test_events_by_type(stripe_client, stripe_objects):
    events = stripe_objects["events"]
    page = stripe_client.v1.events.list(params={"types": ["customer.created"], "limit": 100})
    assert [e.id for e in page.data] == [
        i
        for i in newest_first(events)
        if i.startswith("evt")
        and next(e for e in events if e["id"] == i)["type"] == "customer.created"
    ]
    one = stripe_client.v1.events.list(params={"type": "charge.succeeded", "limit": 100})
    assert {e.id for e in one.data} == {e["id"] for e in events if e["type"] == "charge.succeeded"}
    assert all(isinstance(e.data.object, stripe.Charge) for e in one.data)


def test_invoice_lines_page_in_invoice_order(stripe_client, stripe_objects):
    lines = [x["id"] for x in stripe_objects["invoice_lines"] if x["invoice"] == "in_ex0000"]
    page = stripe_client.v1.invoices.line_items.list("in_ex0000", params={"limit": 5})
    assert [x.id for x in page.auto_paging_iter()] == lines
    assert all(isinstance(x, stripe.InvoiceLineItem) for x in page.data)


def test_unknown_ids(stripe_client):
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.charges.retrieve("ch_missing")
    error = caught.value
    assert error.http_status == 404 and error.code == "resource_missing"
    assert error.user_message == "No such charge: 'ch_missing'"
    with pytest.raises(stripe.InvalidRequestError) as caught:
        stripe_client.v1.charges.list(params={"starting_after": "ch_missing"})
    assert caught.value.param == "starting_after"


def test_wrong_or_missing_key_is_401_with_stripes_body(stripe_server):
    bad = stripe.StripeClient("sk_test_abcdefghxyz1", base_addresses={"api": stripe_server.url})
    with pytest.raises(stripe.AuthenticationError) as caught:
        bad.v1.charges.list()
    assert caught.value.http_status == 401
    assert caught.value.json_body == {
        "error": {
            "message": "Invalid API Key provided: sk_test_********xyz1",
            "type": "invalid_request_error",
        }
    }
    body, status, headers = stripe.RequestsClient().request_with_retries(
        "get", stripe_server.url + "/v1/charges", {}
    )
    assert status == 401
    assert orjson.loads(body)["error"]["message"].startswith("You did not provide an API key.")
    assert headers["request-id"].startswith("req_")


def test_basic_auth_and_response_headers(stripe_server):
    import base64

    token = base64.b64encode(f"{DEFAULT_API_KEY}:".encode()).decode()
    _, status, headers = stripe.RequestsClient().request_with_retries(
        "get",
        stripe_server.url + "/v1/tax_rates",
        {"Authorization": f"Basic {token}", "Stripe-Version": "2020-08-27"},
    )
    assert status == 200
    assert headers["stripe-version"] == "2020-08-27"
    assert headers["content-type"] == "application/json"


def test_restricted_key_reads_only_its_entities(stripe_objects):
    keys = {DEFAULT_API_KEY: None, "rk_test_onlycharges123456": {"charges"}}
    with serve(StripeStore(stripe_objects), api_keys=keys) as server:
        client = stripe.StripeClient(
            "rk_test_onlycharges123456", base_addresses={"api": server.url}
        )
        assert len(client.v1.charges.list().data) == 10
        with pytest.raises(stripe.PermissionError) as caught:
            client.v1.customers.list()
    assert caught.value.http_status == 403
    message = caught.value.json_body["error"]["message"]
    assert message.startswith("The provided key 'rk_test_")
    assert "123456'" in message and "rak_customer_read" in message


def test_async_httpx_client(stripe_server):
    import asyncio

    client = stripe.StripeClient(
        DEFAULT_API_KEY,
        base_addresses={"api": stripe_server.url},
        http_client=stripe.HTTPXClient(),
    )

    async def first_ids():
        page = await client.v1.customers.list_async(params={"limit": 3})
        return [c.id async for c in page.auto_paging_iter()]

    ids = asyncio.run(first_ids())
    assert len(ids) == stripe_server.store.count("customers")


def test_httpx_client_sync_raw_page(stripe_server):
    headers = {"Authorization": f"Bearer {DEFAULT_API_KEY}", "Stripe-Version": stripe.api_version}
    body, status, _ = stripe.HTTPXClient(allow_sync_methods=True).request_with_retries(
        "get", stripe_server.url + "/v1/disputes?limit=100", headers
    )
    assert status == 200
    served = orjson.loads(body)["data"]
    assert [orjson.dumps(d) for d in served] == [
        stripe_server.store.retrieve("disputes", d["id"]) for d in served
    ]
