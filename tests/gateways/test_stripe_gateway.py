"""StripeGateway over the SDK's real transport: pages of plain dicts, params, retries, errors."""

from __future__ import annotations

import copy

import orjson
import pytest
import stripe

from gateways.base import Gateway, ReadCursor
from gateways.errors import GatewayRateLimitError, GatewayServerError
from gateways.stripe import ENTITIES, StripeGateway
from sandbox.stripe.faults import FaultPlan
from sandbox.stripe.server import serve
from sandbox.stripe.store import StripeStore
from tests.gateways.conftest import make_account


def test_implements_the_gateway_protocol(sandbox):
    gateway = StripeGateway(make_account(sandbox.url))
    assert isinstance(gateway, Gateway)
    assert set(gateway.entities) == set(ENTITIES)
    assert {"refund", "cancel", "capture", "send_invoice", "add_tax_id"} == gateway.actions


def test_pages_are_plain_dicts_newest_first_resumable(sandbox, store):
    gateway = StripeGateway(make_account(sandbox.url))
    pages = list(gateway.read("charges"))
    objects = [o for p in pages for o in p.objects]
    assert all(type(o) is dict for o in objects)
    assert [o["id"] for o in objects] == store.tables["charges"].ids[::-1]
    assert all(len(p.objects) == 100 for p in pages[:-1]) and not pages[-1].has_more
    resumed = list(gateway.read("charges", ReadCursor(resume=pages[1].resume)))
    assert [o for p in resumed for o in p.objects] == objects[200:]


def test_created_lower_bound(sandbox, store):
    table = store.tables["charges"]
    bound = table.created[len(table) // 2]
    gateway = StripeGateway(make_account(sandbox.url))
    got = [o for p in gateway.read("charges", ReadCursor(since=bound)) for o in p.objects]
    pairs = zip(table.ids, table.created, strict=True)
    assert {o["id"] for o in got} == {i for i, c in pairs if c >= bound}


def test_subscriptions_include_canceled_ones(sandbox, store):
    gateway = StripeGateway(make_account(sandbox.url))
    got = [o for p in gateway.read("subscriptions") for o in p.objects]
    assert len(got) == store.count("subscriptions")
    assert any(o["status"] == "canceled" for o in got)


def test_invoice_lines_beyond_the_first_page_are_fetched(rendered):
    objects = copy.deepcopy(rendered)
    invoice = objects["invoices"][0]
    template = invoice["lines"]["data"][0]
    lines = [{**template, "id": f"il_test{n:03d}"} for n in range(130)]
    invoice["lines"] = {**invoice["lines"], "data": lines[:10], "has_more": True}
    objects["invoice_lines"] = [
        {**line, "invoice": inv["id"]}
        for inv in objects["invoices"]
        for line in (lines if inv is invoice else inv["lines"]["data"])
    ]
    with serve(StripeStore(objects)) as server:
        gateway = StripeGateway(make_account(server.url))
        got = {o["id"]: o for p in gateway.read("invoices") for o in p.objects}
    assert [line["id"] for line in got[invoice["id"]]["lines"]["data"]] == [
        line["id"] for line in lines
    ]
    assert got[invoice["id"]]["lines"]["has_more"] is False


def test_rate_limit_forever_gives_up_after_bounded_attempts(sandbox):
    sandbox.faults = FaultPlan(rate_limit_every=1, retry_after_seconds=2)
    waits: list[float] = []
    gateway = StripeGateway(make_account(sandbox.url), max_retries=3, sleep=waits.append)
    with pytest.raises(GatewayRateLimitError) as raised:
        list(gateway.read("charges"))
    assert len(waits) == 3 and sum(sandbox.requests_by_path.values()) == 4
    assert "gave up after 4 attempts" in str(raised.value)
    assert "charges (/v1/charges)" in str(raised.value)


class ScriptedHTTPClient(stripe.HTTPClient):
    """A network that answers from a script, to reach answers the sandbox never gives."""

    name = "scripted"

    def __init__(self, answers):
        super().__init__()
        self.answers = list(answers)
        self.sent_headers: list[dict] = []

    def request(self, method, url, headers, post_data=None):
        self.sent_headers.append(dict(headers))
        return self.answers.pop(0)

    def close(self):
        pass


PAGE = orjson.dumps({"object": "list", "data": [], "has_more": False, "url": "/v1/charges"})


def test_a_page_that_is_not_json_is_retried_then_read():
    http = ScriptedHTTPClient([(b"<html>502</html>", 200, {}), (PAGE, 200, {})])
    waits: list[float] = []
    gateway = StripeGateway(make_account("http://x"), http_client=http, sleep=waits.append)
    assert [p.objects for p in gateway.read("charges")] == [[]]
    assert len(waits) == 1
    sent = http.sent_headers[0]
    assert sent["Authorization"] == "Bearer sk_test_ledgerdesk_sandbox"
    assert sent["Stripe-Version"] == stripe.api_version == "2026-10-28.endive"
    assert "ledgerdesk" in sent["User-Agent"] and "X-Stripe-Client-Telemetry" not in sent


def test_a_page_that_is_never_json_fails_as_a_server_error():
    http = ScriptedHTTPClient([(b"<html>", 200, {})] * 3)
    gateway = StripeGateway(make_account("http://x"), http_client=http, max_retries=2, sleep=id)
    with pytest.raises(GatewayServerError, match="not JSON"):
        list(gateway.read("charges"))


def test_stripe_should_retry_false_is_obeyed():
    error = orjson.dumps({"error": {"type": "api_error", "message": "boom"}})
    http = ScriptedHTTPClient([(error, 500, {"Stripe-Should-Retry": "false"}), (PAGE, 200, {})])
    gateway = StripeGateway(make_account("http://x"), http_client=http, sleep=id)
    with pytest.raises(GatewayServerError, match="HTTP 500: boom"):
        list(gateway.read("charges"))
    assert len(http.answers) == 1  # the second answer was never asked for


def test_the_default_client_keeps_no_telemetry_to_send(sandbox):
    """The SDK would attach X-Stripe-Client-Telemetry (timings of the last request, keyed by
    its Request-Id, which the sandbox sends) to the next request unless this client turns it
    off; the global stripe.enable_telemetry stays as the application set it."""
    from gateways.stripe.transport import QuietRequestsClient

    http = QuietRequestsClient()
    gateway = StripeGateway(make_account(sandbox.url), http_client=http)
    list(gateway.read("refunds"))
    list(gateway.read("refunds"))
    assert getattr(http._thread_local, "last_request_metrics", None) is None
    assert http._add_telemetry_header({"a": "b"}) == {"a": "b"}


def test_retrieve_reads_one_object_and_answers_none_for_one_stripe_no_longer_has(sandbox, store):
    gateway = StripeGateway(make_account(sandbox.url))
    charge_id = store.tables["charges"].ids[-1]
    obj, served_at = gateway.retrieve("charges", charge_id)
    assert obj == orjson.loads(store.retrieve("charges", charge_id)) and served_at > 0
    assert gateway.retrieve("charges", "ch_doesnotexist000000")[0] is None


def test_a_path_the_server_does_not_offer_is_unsupported_not_a_missing_object(sandbox):
    from gateways.errors import GatewayNotFoundError, GatewayUnsupportedError

    gateway = StripeGateway(make_account(sandbox.url))
    with pytest.raises(GatewayUnsupportedError, match="Unrecognized request URL") as raised:
        gateway._transport.get("/v1/no_such_things", [], "no_such_things")
    assert raised.value.status == 404 and raised.value.code is None
    with pytest.raises(GatewayNotFoundError) as missing:
        gateway._transport.get("/v1/charges/ch_doesnotexist000000", [], "a charge")
    assert not isinstance(missing.value, GatewayUnsupportedError)
    assert missing.value.code == "resource_missing"
