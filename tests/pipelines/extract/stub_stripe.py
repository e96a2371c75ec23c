"""A small Stripe stand-in for the entities the sandbox does not serve yet (test-only).

It answers as Stripe's contract says, so tests written against it also hold against the
finished sandbox: lists newest first with `limit`, `starting_after`, `created[gte]` and
`types[]`; embedded lists cut at 10 with has_more and the rest under their own path;
retrieve by id; a deleted customer as a stub, a deleted invoice as 404 resource_missing;
any path it does not know as Stripe's 404 `Unrecognized request URL`.
"""

from __future__ import annotations

import copy
from urllib.parse import parse_qsl, urlsplit

import orjson
import stripe

# path of the rest of an embedded list -> (entity, field, how the parent is named)
EMBEDDED = {
    "invoices": ("lines", "/v1/invoices/{id}/lines"),
    "credit_notes": ("lines", "/v1/credit_notes/{id}/lines"),
    "subscriptions": ("items", "/v1/subscription_items"),
}
FIRST_PAGE = 10  # what Stripe embeds


class StubStripe(stripe.HTTPClient):
    name = "stub"

    def __init__(self, objects: dict[str, list[dict]], *, deleted=None, offers=None, now=0):
        super().__init__()
        self.objects = {k: [copy.deepcopy(o) for o in v] for k, v in objects.items()}
        self.deleted = {k: set(v) for k, v in (deleted or {}).items()}
        self.offers = set(offers) if offers is not None else set(self.objects) | {"events"}
        self.now = now
        self.requests: list[str] = []

    def close(self):
        pass

    # --- the wire ---
    def request(self, method, url, headers, post_data=None):
        parts = urlsplit(url)
        self.requests.append(parts.path)
        params = parse_qsl(parts.query)
        segments = parts.path.strip("/").split("/")
        try:
            body = self._route(segments, params)
        except _Error as error:
            return orjson.dumps({"error": error.doc}), error.status, {}
        return orjson.dumps(body), 200, {"Request-Id": "req_stub"}

    def _route(self, segments, params):
        entity = segments[1] if len(segments) > 1 else ""
        if entity == "subscription_items" and len(segments) == 2 and "subscriptions" in self.offers:
            parent = dict(params)["subscription"]
            return self._list(self._embedded("subscriptions", parent), params, "/v1/sub_items")
        if entity not in self.offers or (entity not in self.objects and entity != "events"):
            raise _unrecognized("/" + "/".join(segments))
        if len(segments) == 2:
            return self._list(self._visible(entity), params, f"/v1/{entity}")
        if len(segments) == 3:
            return self._retrieve(entity, segments[2])
        if len(segments) == 4 and entity in EMBEDDED and segments[3] == EMBEDDED[entity][0]:
            return self._list(self._embedded(entity, segments[2]), params, "/v1/lines")
        raise _unrecognized("/" + "/".join(segments))

    def _visible(self, entity):
        gone = self.deleted.get(entity, set())
        rows = [o for o in self.objects.get(entity, []) if o["id"] not in gone]
        return sorted(rows, key=lambda o: (o["created"], o["id"]), reverse=True)

    def _list(self, rows, params, url):
        limit = int(dict(params).get("limit", 10))
        low = dict(params).get("created[gte]")
        if low is not None:
            rows = [o for o in rows if o["created"] >= int(low)]
        types = {v for k, v in params if k == "types[]"}
        if types:
            rows = [o for o in rows if o["type"] in types]
        after = dict(params).get("starting_after")
        if after:
            ids = [o["id"] for o in rows]
            if after not in ids:
                raise _Error(404, {"type": "invalid_request_error", "code": "resource_missing"})
            rows = rows[ids.index(after) + 1 :]
        data = [self._shown(o) for o in rows[:limit]]
        return {"object": "list", "data": data, "has_more": len(rows) > limit, "url": url}

    def _retrieve(self, entity, object_id):
        found = next((o for o in self.objects.get(entity, []) if o["id"] == object_id), None)
        if found is None or (object_id in self.deleted.get(entity, ()) and entity != "customers"):
            raise _Error(
                404,
                {
                    "type": "invalid_request_error",
                    "code": "resource_missing",
                    "message": f"No such object: '{object_id}'",
                },
            )
        if object_id in self.deleted.get(entity, ()):
            return {"id": object_id, "object": found["object"], "deleted": True}
        return self._shown(found)

    def _embedded(self, entity, parent_id):
        field = EMBEDDED[entity][0]
        parent = next(o for o in self.objects[entity] if o["id"] == parent_id)
        return parent[field]["data"]

    def _shown(self, obj):
        shown = copy.deepcopy(obj)
        for entity, (field, _path) in EMBEDDED.items():
            listed = shown.get(field)
            if isinstance(listed, dict) and shown.get("object") == entity[:-1]:
                listed["has_more"] = len(listed["data"]) > FIRST_PAGE
                listed["data"] = listed["data"][:FIRST_PAGE]
        return shown


class _Error(Exception):
    def __init__(self, status, doc):
        self.status, self.doc = status, doc


def _unrecognized(path):
    message = (
        f"Unrecognized request URL (GET: {path}). Please see https://stripe.com/docs or we "
        "can help at https://support.stripe.com/."
    )
    return _Error(404, {"type": "invalid_request_error", "message": message})
