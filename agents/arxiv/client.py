"""arXiv over HTTP: the daily RSS listing and the query API, politely.

arXiv asks for at most one request every 3 seconds; ``ArxivClient`` spaces every request
(RSS and API alike) by ``min_interval`` on an injected monotonic clock and sleep, and retries
5xx, 429 and network errors with exponential backoff. ``transport=`` lets tests answer from
a local server or an ``httpx.MockTransport``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence

import httpx

from agents.arxiv.parse import ArxivError, FeedPage, Listing, PaperRecord, parse_atom, parse_rss
from agents.http import ClosingClient
from store.errors import InvalidInput

API_URL = "https://export.arxiv.org/api/query"
RSS_URL = "https://rss.arxiv.org/rss"
ID_BATCH = 100
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


def _network_reason(exc: httpx.HTTPError) -> str:
    """A network failure in a few words (never the URL: it is configuration, not news)."""
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.ConnectError):
        return "could not connect"
    return type(exc).__name__


class ArxivClient(ClosingClient):
    """Fetches listings, searches and id lookups; use as an async context manager."""

    def __init__(
        self,
        *,
        api_url: str = API_URL,
        rss_url: str = RSS_URL,
        transport: httpx.AsyncBaseTransport | None = None,
        min_interval: float = 3.0,
        retries: int = 3,
        backoff: float = 3.0,
        timeout: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.api_url = api_url
        self.rss_url = rss_url.rstrip("/")
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=timeout,
            follow_redirects=True,
            headers={"User-Agent": "errands-arxiv-digest/0.1 (personal digest)"},
        )
        self._min_interval = min_interval
        self._retries = retries
        self._backoff = backoff
        self._clock = clock
        self._sleep = sleep
        self._last: float | None = None
        self._lock = asyncio.Lock()
        self.requests = 0

    async def aclose(self) -> None:
        await self._http.aclose()

    # ---- transport with politeness

    async def _wait_turn(self) -> None:
        if self._last is not None:
            wait = self._last + self._min_interval - self._clock()
            if wait > 0:
                await self._sleep(wait)
        self._last = self._clock()

    async def _get(self, url: str, params: dict[str, str | int] | None = None) -> httpx.Response:
        async with self._lock:
            last_error = "no answer"
            for attempt in range(self._retries + 1):
                if attempt:
                    await self._sleep(self._backoff * 2 ** (attempt - 1))
                await self._wait_turn()
                self.requests += 1
                try:
                    response = await self._http.get(url, params=params)
                except httpx.HTTPError as exc:
                    last_error = _network_reason(exc)
                    continue
                if response.status_code in _RETRY_STATUS:
                    last_error = f"HTTP {response.status_code}"
                    continue
                return response
            tries = self._retries + 1
            reason = last_error if tries == 1 else f"{last_error} after {tries} tries"
            raise ArxivError(
                f"arXiv did not answer after {tries} tries ({last_error}).", reason=reason
            )

    # ---- query API

    async def query_page(
        self, *, search: str = "", ids: Sequence[str] = (), start: int = 0, max_results: int = 100
    ) -> FeedPage:
        """One page of the query API, parameters in the order arXiv documents them."""
        params: dict[str, str | int] = {
            "search_query": search,
            "id_list": ",".join(ids),
            "sortBy": "relevance",
            "sortOrder": "descending",
            "start": start,
            "max_results": max_results,
        }
        response = await self._get(self.api_url, params)
        if response.status_code >= 400 and response.status_code != 400:
            status = response.status_code
            raise ArxivError(f"arXiv answered HTTP {status}.", reason=f"HTTP {status}")
        page = parse_atom(response.text)  # a 400 carries an error entry: InvalidInput
        if response.status_code == 400:
            raise InvalidInput("arXiv refused the query.")
        return page

    async def search(
        self, query: str, *, limit: int = 100, page_size: int = 100
    ) -> list[PaperRecord]:
        """Up to ``limit`` results for ``query``, paging ``page_size`` at a time."""
        if not query.strip():
            raise InvalidInput("An arXiv search needs some words.")
        found: list[PaperRecord] = []
        start = 0
        while len(found) < limit:
            size = min(page_size, limit - len(found))
            page = await self.query_page(search=query, start=start, max_results=size)
            found.extend(page.records)
            start += len(page.records)
            if not page.records or start >= page.total:
                break
        return found[:limit]

    async def by_ids(self, ids: Sequence[str]) -> list[PaperRecord]:
        """Look papers up by id (with or without version); unknown ids are simply absent."""
        found: list[PaperRecord] = []
        for i in range(0, len(ids), ID_BATCH):
            chunk = list(ids[i : i + ID_BATCH])
            page = await self.query_page(ids=chunk, max_results=ID_BATCH)
            found.extend(page.records)
        return found

    # ---- RSS

    async def listing(self, categories: Sequence[str]) -> Listing:
        """Today's new and cross-listed papers in ``categories`` (empty on quiet days)."""
        if not categories:
            raise InvalidInput("No arXiv categories configured (e.g. cs.LG).")
        response = await self._get(f"{self.rss_url}/{'+'.join(categories)}")
        if response.status_code >= 400:
            status = response.status_code
            raise ArxivError(f"arXiv's RSS answered HTTP {status}.", reason=f"HTTP {status}")
        return parse_rss(response.text)
