"""What a gateway handler sees and answers: plain request and response values, no framework."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    query: list[tuple[str, str]]  # decoded pairs, in order, repeats kept
    headers: dict[str, str]  # lower-case names
    body: bytes
    request_id: str
    number: int = 0  # this app's request count, from 1
    query_string: bytes = b""  # as sent (a gateway with its own query syntax parses this)


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes
    content_type: str = "application/json"
    headers: list[tuple[str, str]] = field(default_factory=list)

    def with_headers(self, *headers: tuple[str, str]) -> Response:
        return Response(self.status, self.body, self.content_type, [*self.headers, *headers])


class Refusal(Exception):
    """Raised anywhere in a handler: the kit sends `response` as the answer."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status)
        self.response = response
