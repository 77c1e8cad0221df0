"""Building Telegram HTML safely (parse_mode=HTML).

Telegram's HTML mode rejects a whole message if one ``<``, ``>`` or ``&`` is not part of a tag
or entity, so every piece of outside text (titles, names, LLM output) goes through ``escape``
(that is ``agents.messaging.esc``) and the helpers below, which escape for you. ``truncate``
shortens finished markup without producing a broken tag, entity or unclosed element.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from agents.messaging import esc

MAX_MESSAGE_LENGTH = 4096
"""Telegram's limit for a message's text after entity parsing."""

ELLIPSIS = "…"

_TOKEN = re.compile(
    r"(?P<tag><[^<>]*>)|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z]{1,10});)|(?P<char>.)",
    re.DOTALL,
)
_TAG_NAME = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)")

escape = esc
"""Escape ``&``, ``<`` and ``>``: all Telegram needs outside attribute values."""


def bold(text: str) -> str:
    """``text`` in bold, escaped."""
    return f"<b>{escape(text)}</b>"


def italic(text: str) -> str:
    """``text`` in italics, escaped."""
    return f"<i>{escape(text)}</i>"


def code(text: str) -> str:
    """``text`` in a monospace span, escaped."""
    return f"<code>{escape(text)}</code>"


def link(url: str, text: str) -> str:
    """A link to an http(s) ``url``; any other URL yields just the escaped text.

    Degrading instead of raising keeps one odd URL in scraped data (``javascript:``, ``tg:``,
    a relative path) from failing a whole digest.
    """
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return escape(text)
    return f'<a href="{html.escape(url.strip(), quote=True)}">{escape(text)}</a>'


def visible_length(markup: str) -> int:
    """Length Telegram counts for ``markup``: tags removed, entities decoded, in UTF-16 units.

    Telegram's limits are applied after entity parsing; counting UTF-16 code units is never
    less than counting code points, so the result is a safe upper bound either way.
    """
    return sum(_cost(m) for m in _TOKEN.finditer(markup))


def truncate(markup: str, limit: int = MAX_MESSAGE_LENGTH, ellipsis: str = ELLIPSIS) -> str:
    """Shorten HTML ``markup`` to at most ``limit`` visible characters, ending in ``ellipsis``.

    The cut only happens between tokens (never inside a tag or ``&…;`` entity) and every
    element still open at the cut is closed again, so the result stays valid Telegram HTML.
    Markup that already fits is returned unchanged.
    """
    if _utf16_len(markup) <= limit or visible_length(markup) <= limit:
        return markup
    budget = limit - _utf16_len(ellipsis)
    out: list[str] = []
    stack: list[str] = []
    used = 0
    for match in _TOKEN.finditer(markup):
        token = match.group(0)
        if match.lastgroup == "tag":
            name = _TAG_NAME.match(token)
            if name is None:  # not a real tag (e.g. "<>"); Telegram would reject it anyway
                continue
            closing, tag = name.group(1) == "/", name.group(2).lower()
            if closing:
                if tag in stack:
                    while stack and stack.pop() != tag:
                        pass
            else:
                stack.append(tag)
            out.append(token)
            continue
        cost = _cost(match)
        if used + cost > budget:
            break
        used += cost
        out.append(token)
    out.append(escape(ellipsis))
    out.extend(f"</{tag}>" for tag in reversed(stack))
    return "".join(out)


def _cost(match: re.Match[str]) -> int:
    if match.lastgroup == "tag":
        return 0
    if match.lastgroup == "entity":
        return _utf16_len(html.unescape(match.group(0)))
    return _utf16_len(match.group(0))


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
