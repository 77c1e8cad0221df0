"""CSRF protection for forms: a signed double-submit cookie.

The cookie holds a random value plus its HMAC under the secret key; forms echo the value in a
hidden field. A request is accepted only when the cookie's signature is valid and the field
equals the cookie's value, so an attacker can neither read nor forge the pair.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import Request, Response

COOKIE = "errands_csrf"
FIELD = "csrf_token"


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _sign(secret: str, value: str) -> str:
    return hmac.new(_bytes(secret), _bytes(value), hashlib.sha256).hexdigest()


def _same(a: str, b: str) -> bool:
    """Constant-time equality of any two strings (``compare_digest`` refuses non-ASCII str,
    and a cookie or form field may hold anything)."""
    return hmac.compare_digest(_bytes(a), _bytes(b))


def token_for(request: Request, secret: str) -> str:
    """The token to put in this request's forms (reusing a valid cookie when present)."""
    cookie = request.cookies.get(COOKIE, "")
    value, _, signature = cookie.partition(".")
    if value and _same(signature, _sign(secret, value)):
        return value
    existing = getattr(request.state, "csrf_new", None)
    if isinstance(existing, str):
        return existing
    fresh = secrets.token_urlsafe(24)
    request.state.csrf_new = fresh
    return fresh


def set_cookie(request: Request, response: Response, secret: str) -> None:
    """Attach the cookie if ``token_for`` minted a new value during this request."""
    fresh = getattr(request.state, "csrf_new", None)
    if isinstance(fresh, str):
        response.set_cookie(
            COOKIE,
            f"{fresh}.{_sign(secret, fresh)}",
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            max_age=7 * 24 * 3600,
        )


def is_valid(request: Request, secret: str, submitted: str | None) -> bool:
    cookie = request.cookies.get(COOKIE, "")
    value, _, signature = cookie.partition(".")
    if not value or not submitted:
        return False
    return _same(signature, _sign(secret, value)) and _same(value, submitted)
