"""Hypothesis strategies for requests to the public web endpoints, read from the OpenAPI schema.

Every operation in ``app.openapi()`` becomes a strategy: its path, query and body parameters
are drawn from their schema (type, format, bounds) mixed with values people and bots really
send: Unicode digits that ``str.isdigit`` accepts, huge or negative numbers, dates at year 1
or 9999, empty and very long strings, NUL, invisible format characters (Unicode Cf), lone
surrogates, invalid JSON, JSON that is not an object, and the wrong content type. Plausible
values (a real slug, a free slot, a valid CSRF token, a live manage link) keep a good share of
requests reaching the booking rules instead of stopping at the first check.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

JsonSchema = dict[str, Any]

DIGITS = ["²", "٣", "３", "¹⁰", "0²", "1e3", "1.5", "0x1f", "-1", "+5", " 7", "7 ", "NaN"]
NUMBERS = [0, -1, 1, 29, 30, 60, 61, 1440, 1441, 10**4, 10**12, 10**40, -(10**40), 1e308, 0.5]
DAYS = ["9999-12-31", "9999-12-24", "0001-01-01", "0001-01-02", "2026-02-30", "2026-W10-1"]
TIMES = [
    "9999-12-31T23:59:59+00:00",
    "9999-12-31T23:00:00-12:00",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00Z",
    "2026-03-03T10:00:00",
    "2026-03-03T10:00:00+24:00",
    "2026-03-03T10:00:00+23:59:59.999999",
    "2026-02-30T10:00:00Z",
    "2026-03-03 10:00",
    "20260303T100000Z",
]
NAMES = ["Grace", "Zoë Ångström", "李雷", "O'Brien", "محمد", "Ada <b>L</b>", "Dr. No 🙂"]
ZONES = ["Europe/Berlin", "Asia/Tokyo", "Pacific/Kiritimati", "Etc/GMT+12", "UTC", "Mars/Base"]
FORMAT = ["\u202e", "\u202d", "\u200b", "\u200d", "\u2066", "\u2069", "\ufeff", "\u00ad"]
HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfff",
    "\r\n",
    "null",
    "[]",
    "{}",
    "../../etc/passwd",
    "%00",
    "<script>alert(1)</script>",
    "'; DROP TABLE bookings; --",
    "Europe/Berlin\u200b",
    *DIGITS,
    *DAYS,
    *TIMES,
    *[f"Gr{c}ace" for c in FORMAT],
]
CONTENT_TYPES = [
    "text/plain",
    "text/plain;charset=UTF-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=zz",
    "application/json; charset=latin-1",
    "application/problem+json",
    "",
]
BAD_JSON = [b"", b"{not json", b'{"start":', b"\xff\xfe{}", b"[" * 5000, b"{}" * 10, b"\x00"]


@dataclass(frozen=True)
class Seeds:
    """Values that reach past the first checks: the owner's slug, a CSRF pair, manage tokens."""

    slug: str
    csrf_token: str
    tokens: tuple[str, ...]
    now: datetime
    zone: str = "Europe/Berlin"


@dataclass(frozen=True)
class FuzzRequest:
    operation: str
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    content: bytes | None = None


@dataclass(frozen=True)
class Param:
    name: str
    where: str  # "path" | "query" | "body"
    schema: JsonSchema
    required: bool


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    params: tuple[Param, ...]
    media: str | None  # the request body's content type, when it has one

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"


def _resolve(schema: JsonSchema, root: JsonSchema) -> JsonSchema:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        node: Any = root
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        return _resolve(dict(node), root)
    return schema


def _properties(schema: JsonSchema, root: JsonSchema) -> tuple[dict[str, JsonSchema], set[str]]:
    """Properties and required names of an object schema, through ``$ref`` and ``allOf``."""
    schema = _resolve(schema, root)
    props: dict[str, JsonSchema] = {}
    required: set[str] = set(schema.get("required", []))
    for part in schema.get("allOf", []):
        more, needed = _properties(part, root)
        props.update(more)
        required |= needed
    props.update(schema.get("properties", {}))
    return props, required


def operations(schema: JsonSchema) -> list[Operation]:
    """Every operation of the OpenAPI ``schema`` with its parameters."""
    found: list[Operation] = []
    for path, item in schema["paths"].items():
        for method, op in item.items():
            params = [
                Param(p["name"], p["in"], p.get("schema", {}), bool(p.get("required")))
                for p in op.get("parameters", [])
            ]
            media = None
            for media_type, content in op.get("requestBody", {}).get("content", {}).items():
                media = media_type
                props, required = _properties(content.get("schema", {}), schema)
                params += [Param(n, "body", s, n in required) for n, s in props.items()]
            found.append(Operation(method.upper(), path, tuple(params), media))
    return found


def _kind(schema: JsonSchema) -> tuple[str, str]:
    """(type, format) of a parameter, skipping the ``null`` of an optional one."""
    for option in [schema, *schema.get("anyOf", [])]:
        if option.get("type") not in (None, "null"):
            return str(option["type"]), str(option.get("format", ""))
    return "string", ""


def _slot_times(seeds: Seeds) -> st.SearchStrategy[str]:
    """Starts in the owner's zone over the next three weeks, shown in a visitor's zone: mostly
    half hours inside office hours on weekdays, so many are free (drawn from a list: Hypothesis
    favours small integers, which would all be 00:00 today)."""
    zone = ZoneInfo(seeds.zone)
    base = seeds.now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    starts = [
        base + timedelta(days=d, hours=h, minutes=m)
        for d in range(21)
        for h in range(8, 18)
        for m in (0, 30, 15)
    ]
    return st.builds(
        lambda at, tz: at.astimezone(ZoneInfo(tz)).isoformat(),
        st.sampled_from(starts),
        st.sampled_from(ZONES[:5]),
    )


def _plausible(name: str, kind: tuple[str, str], seeds: Seeds) -> st.SearchStrategy[Any]:
    if name == "slug":
        return st.just(seeds.slug)
    if name == "token":  # the live links first: they reach the booking rules
        return st.one_of(st.sampled_from(seeds.tokens[:2]), st.sampled_from(seeds.tokens))
    if name == "csrf_token":
        return st.just(seeds.csrf_token)
    if name in ("tz", "timezone"):
        return st.sampled_from(ZONES)
    if name == "email":
        return st.integers(0, 10**6).map(lambda n: f"guest{n}@example.org")
    if name in ("name", "topic"):
        return st.sampled_from(NAMES)
    if name == "website":
        return st.just("")
    if kind[1] == "date-time":
        return _slot_times(seeds)
    if kind[1] == "date":
        today = seeds.now.date()
        return st.integers(-400, 800).map(lambda d: (today + timedelta(days=d)).isoformat())
    if name == "length":
        return st.sampled_from([30, 60, 30, 0, 45])
    if kind[0] == "integer":
        return st.integers(0, 62)
    return st.text(max_size=20)


def _hostile(schema: JsonSchema) -> st.SearchStrategy[Any]:
    longest = int(_resolve(schema, {}).get("maxLength", 100))
    return st.one_of(
        st.sampled_from(HOSTILE),
        st.sampled_from(NUMBERS),
        st.text(max_size=64),
        st.builds(
            lambda c, n: c * n, st.sampled_from(["x", "²", "\u202e", "é"]), st.just(longest + 1)
        ),
        st.builds(lambda c, n: c * n, st.sampled_from(["x", "\x00"]), st.integers(0, 20_000)),
    )


@st.composite
def value_for(draw: st.DrawFn, param: Param, seeds: Seeds) -> Any:
    """A hostile value one time in four, else a plausible one for the parameter."""
    if draw(st.sampled_from(range(4))) == 0:
        return draw(_hostile(param.schema))
    return draw(_plausible(param.name, _kind(param.schema), seeds))


URL_VALUE = 2000
"""Longest value put in a URL (servers and clients cap a request line near 64 KiB)."""


def _raw(value: Any, limit: int | None = None) -> str:
    text = value if isinstance(value, str) else json.dumps(value)
    return quote(text[:limit].encode("utf-8", "surrogatepass"), safe="")


def _form(pairs: list[tuple[str, Any]], limit: int | None = None) -> bytes:
    return "&".join(f"{_raw(k, limit)}={_raw(v, limit)}" for k, v in pairs).encode()


@st.composite
def _request(draw: st.DrawFn, op: Operation, seeds: Seeds) -> FuzzRequest:
    path = op.path
    query: list[tuple[str, Any]] = []
    body: list[tuple[str, Any]] = []
    for param in op.params:
        if param.where == "path":
            value = _raw(draw(value_for(param, seeds)), URL_VALUE)
            path = path.replace(f"{{{param.name}}}", value or "x")
        elif param.required or param.name == "csrf_token" or draw(st.sampled_from(range(4))):
            (query if param.where == "query" else body).append(
                (param.name, draw(value_for(param, seeds)))
            )
    if draw(st.integers(0, 9)) == 0:  # a stray or repeated field
        extra = draw(st.sampled_from(["extra", *(p.name for p in op.params)]))
        (body if op.media else query).append((extra, draw(st.sampled_from(HOSTILE))))
    url = path + ("?" + _form(query, URL_VALUE).decode() if query else "")
    headers: dict[str, str] = {}
    content: bytes | None = None
    if op.media is not None:
        headers["content-type"] = op.media
        if op.media == "application/json":
            shape = draw(st.integers(0, 19))
            data: Any = dict(body)
            if shape == 0:
                data = draw(st.sampled_from([[], "text", 7, None, [dict(body)]]))
            content = json.dumps(data).encode()
            if shape == 1:
                content = draw(st.sampled_from(BAD_JSON))
        else:
            content = _form(body)
        if draw(st.integers(0, 7)) == 0:  # the wrong content type for the body
            headers["content-type"] = draw(st.sampled_from(CONTENT_TYPES))
            if not headers["content-type"]:
                del headers["content-type"]
    return FuzzRequest(op.label, op.method, url, headers, content)


def requests(schema: JsonSchema, seeds: Seeds) -> st.SearchStrategy[FuzzRequest]:
    """One request to any operation of ``schema``."""
    return st.one_of(*(_request(op, seeds) for op in operations(schema)))
