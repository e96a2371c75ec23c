"""What the PayPal sandbox serves against PayPal's own OpenAPI descriptions
(../shared/specs/paypal): every object kind validates against its schema (required fields,
types, enums, patterns) and carries every field of the spec's example of it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sandbox.paypal.testing import authorized_client, paypal_store

SPECS = Path("/work/shared/specs/paypal")
TYPES = {
    "string": str, "integer": int, "number": (int, float), "boolean": bool,
    "object": dict, "array": list,
}  # fmt: skip


def load(name: str) -> dict:
    return json.loads((SPECS / name).read_text())


class Schemas:
    def __init__(self, spec: dict) -> None:
        self.spec = spec

    def resolve(self, schema: dict) -> dict:
        while "$ref" in schema:
            node = self.spec
            for part in schema["$ref"].lstrip("#/").split("/"):
                node = node[part]
            schema = node
        return schema

    def errors(self, obj, schema: dict, path: str = "$") -> list[str]:
        schema = self.resolve(schema)
        found: list[str] = []
        for part in schema.get("allOf", []):
            found += self.errors(obj, part, path)
        for key in ("oneOf", "anyOf"):
            if key in schema and not any(not self.errors(obj, s, path) for s in schema[key]):
                found.append(f"{path}: matches none of {key}")
        kind = schema.get("type")
        if (kind and not isinstance(obj, TYPES[kind])) or (kind == "integer" and obj is True):
            return [*found, f"{path}: {type(obj).__name__} is not {kind}"]
        if "enum" in schema and obj not in schema["enum"]:
            found.append(f"{path}: {obj!r} not in {schema['enum']}")
        if isinstance(obj, str) and "pattern" in schema:
            try:
                pattern = re.compile(schema["pattern"])
            except re.error:
                pattern = None
            if pattern and not pattern.search(obj):
                found.append(f"{path}: {obj!r} does not match {schema['pattern']}")
        if isinstance(obj, dict):
            props = self.properties(schema)
            for name in self.required(schema):
                if name not in obj:
                    found.append(f"{path}: missing required {name}")
            for name, value in obj.items():
                if name in props:
                    found += self.errors(value, props[name], f"{path}.{name}")
        if isinstance(obj, list) and "items" in schema:
            for n, value in enumerate(obj):
                found += self.errors(value, schema["items"], f"{path}[{n}]")
        return found

    def properties(self, schema: dict) -> dict:
        schema = self.resolve(schema)
        props = dict(schema.get("properties", {}))
        for part in schema.get("allOf", []):
            props.update(self.properties(part))
        return props

    def required(self, schema: dict) -> list[str]:
        schema = self.resolve(schema)
        names = list(schema.get("required", []))
        for part in schema.get("allOf", []):
            names += self.required(part)
        return names


@pytest.fixture(scope="module")
def served():
    """One of each list and object the sandbox serves, fetched over HTTP."""
    _, store = paypal_store(scale=0.2)
    with authorized_client(store) as (http, token):
        window = {"start_date": "2026-09-01T00:00:00Z", "end_date": "2026-10-01T00:00:00Z"}
        got = {"token": token}
        got["search"] = http.get(
            "/v1/reporting/transactions", params={**window, "fields": "all", "page_size": 500}
        ).json()
        got["too_wide"] = http.get(
            "/v1/reporting/transactions",
            params={"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-03-01T00:00:00Z"},
        )
        got["plans"] = http.get(
            "/v1/billing/plans", headers={"Prefer": "return=representation"}
        ).json()
        subs = sorted(store.subscriptions)
        got["subscription"] = http.get(f"/v1/billing/subscriptions/{subs[0]}").json()
        paid = next(s for s in subs if store.subscription_txns.get(s))
        got["subscription_transactions"] = http.get(
            f"/v1/billing/subscriptions/{paid}/transactions",
            params={"start_time": "2025-01-01T00:00:00Z", "end_time": "2026-12-01T00:00:00Z"},
        ).json()
        got["capture"] = http.get(f"/v2/payments/captures/{sorted(store.captures)[0]}").json()
        got["refund"] = http.get(f"/v2/payments/refunds/{sorted(store.refunds)[0]}").json()
        auth = sorted(store.authorizations)[0]
        got["authorization"] = http.get(f"/v2/payments/authorizations/{auth}").json()
        got["disputes"] = http.get("/v1/customer/disputes").json()
        did = got["disputes"]["items"][0]["dispute_id"]
        got["dispute"] = http.get(f"/v1/customer/disputes/{did}").json()
        got["invoices"] = http.get(
            "/v2/invoicing/invoices", params={"total_required": "true"}
        ).json()
        got["not_found"] = http.get("/v2/payments/captures/NOPE")
        got["no_token"] = http.get("/v1/billing/plans", headers={"Authorization": "Bearer x"})
        yield got


CASES = [
    ("search", "reporting_transactions_v1.json", "search_response"),
    ("plans", "billing_subscriptions_v1.json", "plan_collection"),
    ("subscription", "billing_subscriptions_v1.json", "subscription"),
    ("subscription_transactions", "billing_subscriptions_v1.json", "transactions_list"),
    ("capture", "payments_payment_v2.json", "capture-2"),
    ("refund", "payments_payment_v2.json", "refund"),
    ("authorization", "payments_payment_v2.json", "authorization-2"),
    ("disputes", "customer_disputes_v1.json", "dispute_search"),
    ("dispute", "customer_disputes_v1.json", "dispute"),
    ("invoices", "invoicing_v2.json", "invoices"),
]


@pytest.mark.parametrize(("kind", "spec", "schema"), CASES)
def test_each_kind_validates_against_paypals_schema(served, kind, spec, schema):
    doc = load(spec)
    schemas = Schemas(doc)
    obj = served[kind]
    assert obj, f"{kind}: nothing served"
    assert schemas.errors(obj, doc["components"]["schemas"][schema]) == []


def example(spec: str, path: str, method: str, status: str) -> dict:
    doc = load(spec)
    examples = doc["paths"][path][method]["responses"][status]["content"]["application/json"][
        "examples"
    ]
    value = next(iter(examples.values()))
    value = Schemas(doc).resolve(value)
    return value.get("value", value)


@pytest.mark.parametrize(
    ("kind", "spec", "path", "method", "status", "allowed_missing"),
    [
        ("plan", "billing_subscriptions_v1.json", "/v1/billing/plans", "post", "200",
         {"taxes"}),  # a plan without tax has no `taxes`
        ("subscription", "billing_subscriptions_v1.json", "/v1/billing/subscriptions", "post",
         "200", {"shipping_amount"}),  # the business ships nothing
        ("invoice", "invoicing_v2.json", "/v2/invoicing/invoices", "post", "201",
         {"configuration", "additional_recipients"}),  # absent unless set on the invoice
    ],
)  # fmt: skip
def test_served_objects_carry_the_fields_of_the_specs_examples(
    served, kind, spec, path, method, status, allowed_missing
):
    ours = {
        "plan": served["plans"]["plans"][0],
        "subscription": served["subscription"],
        "invoice": served["invoices"]["items"][0],
    }[kind]
    theirs = example(spec, path, method, status)
    assert set(theirs) - set(ours) - allowed_missing == set()


def test_errors_are_paypals(served):
    too_wide = served["too_wide"]
    assert too_wide.status_code == 400
    body = too_wide.json()
    assert body["name"] == "INVALID_REQUEST" and body["debug_id"] and body["details"]
    schemas = Schemas(load("reporting_transactions_v1.json"))
    error_400 = load("reporting_transactions_v1.json")["components"]["schemas"]["error_400"]
    assert schemas.errors(body, error_400) == []
    assert served["not_found"].status_code == 404
    assert served["not_found"].json()["name"] == "RESOURCE_NOT_FOUND"
    assert served["no_token"].status_code == 401
    assert served["no_token"].json()["error"] == "invalid_token"
    assert served["token"]["token_type"] == "Bearer" and served["token"]["expires_in"] > 0


def test_search_windows_pages_and_money(served):
    search = served["search"]
    assert search["total_items"] == len(search["transaction_details"]) > 0
    for detail in search["transaction_details"]:
        info = detail["transaction_info"]
        money = info["transaction_amount"]
        decimals = 0 if money["currency_code"] in ("JPY", "HUF", "TWD") else 2
        whole, _, fraction = money["value"].lstrip("-").partition(".")
        assert len(fraction) == decimals and whole.isdigit()
        assert money["currency_code"] != "KWD"


def test_every_stored_object_validates(served):
    """Beyond one of each over HTTP: every object the store serves as is (the handler sends
    them unchanged), so no id or status of some customers escapes the schema."""
    _, store = paypal_store(scale=0.2)
    kinds = [
        (store.subscriptions.values(), "billing_subscriptions_v1.json", "subscription"),
        (store.plans, "billing_subscriptions_v1.json", "plan"),
        (store.captures.values(), "payments_payment_v2.json", "capture-2"),
        (store.refunds.values(), "payments_payment_v2.json", "refund"),
        (store.authorizations.values(), "payments_payment_v2.json", "authorization-2"),
        (store.disputes.values(), "customer_disputes_v1.json", "dispute"),
        (store.invoices, "invoicing_v2.json", "invoice"),
        ([r.detail for r in store.rows], "reporting_transactions_v1.json", "transaction_detail"),
    ]
    for objects, spec, schema in kinds:
        doc = load(spec)
        schemas, target = Schemas(doc), doc["components"]["schemas"][schema]
        problems = [e for obj in objects for e in schemas.errors(obj, target)]
        assert problems == [], f"{schema}: {problems[:5]}"
