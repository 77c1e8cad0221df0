"""Parsing arXiv's wire formats (query API Atom, daily RSS) into ``PaperRecord`` values.

Pure functions over text: they either return every record of a document or raise
``ArxivError``, so a malformed response never leaves half a batch behind.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime

from store.errors import ErrandsError, InvalidInput

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
DC = "{http://purl.org/dc/elements/1.1/}"
KEEP_ANNOUNCE = ("new", "cross")
REPLACED = ("replace", "replace-cross")  # a new version of an earlier paper

_ID = re.compile(
    r"(?:arxiv\.org/abs/|oai:arXiv\.org:|arXiv:)?"
    r"(?P<id>\d{4}\.\d{4,5}|[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})(?:v(?P<v>\d+))?",
)
_SPACE = re.compile(r"\s+")


class ArxivError(ErrandsError):
    """arXiv could not be reached or answered something errands cannot use.

    ``reason`` is the short cause for one line ("HTTP 503 after 4 tries", "timed out").
    """

    user_message = "arXiv did not answer usefully."

    def __init__(self, user_message: str | None = None, *, reason: str | None = None) -> None:
        super().__init__(user_message)
        self.reason = reason or self.user_message.rstrip(".")


@dataclass(frozen=True)
class PaperRecord:
    """One paper as arXiv describes it; ``id`` has no version suffix."""

    id: str
    version: int
    title: str
    abstract: str = ""
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    primary_category: str = ""
    published_at: datetime | None = None
    updated_at: datetime | None = None
    comment: str = ""
    announce_type: str = "new"


@dataclass(frozen=True)
class FeedPage:
    """One page of query results plus the paging numbers from the feed."""

    records: list[PaperRecord]
    total: int
    start: int
    per_page: int


@dataclass(frozen=True)
class Listing:
    """One day's RSS listing; ``announced_on`` is None when the feed has no date.

    ``records`` are the day's new and cross-listed papers; ``replaced`` the new versions of
    earlier papers (they update papers already stored, never count as new ones).
    """

    records: list[PaperRecord] = field(default_factory=list)
    announced_on: date | None = None
    replaced: list[PaperRecord] = field(default_factory=list)


def split_id(text: str) -> tuple[str, int]:
    """``"http://arxiv.org/abs/2501.01234v2"`` -> ``("2501.01234", 2)``; version 1 if absent."""
    match = _ID.search(text.strip())
    if match is None:
        raise InvalidInput(f"{text.strip()[:80]!r} is not an arXiv id (e.g. 2501.01234).")
    return match.group("id"), int(match.group("v") or 1)


def clean(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def _root(text: str, what: str) -> ET.Element:
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        raise ArxivError(f"arXiv returned malformed XML for {what}: {exc}.") from None


def _time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_atom(text: str) -> FeedPage:
    """A query API response. An error entry (e.g. a bad id) raises ``InvalidInput``."""
    root = _root(text, "a query")
    if root.tag != f"{ATOM}feed":
        raise ArxivError("arXiv answered with something that is not an Atom feed.")
    records = []
    for entry in root.findall(f"{ATOM}entry"):
        raw_id = entry.findtext(f"{ATOM}id", "")
        if "/api/errors" in raw_id:
            reason = clean(entry.findtext(f"{ATOM}summary")) or "bad request"
            raise InvalidInput(f"arXiv refused the query: {reason}.")
        paper_id, version = split_id(raw_id)
        categories = tuple(
            c.get("term", "") for c in entry.findall(f"{ATOM}category") if c.get("term")
        )
        primary = entry.find(f"{ARXIV}primary_category")
        records.append(
            PaperRecord(
                id=paper_id,
                version=version,
                title=clean(entry.findtext(f"{ATOM}title")),
                abstract=clean(entry.findtext(f"{ATOM}summary")),
                authors=tuple(
                    clean(a.findtext(f"{ATOM}name")) for a in entry.findall(f"{ATOM}author")
                ),
                categories=categories,
                primary_category=(primary.get("term", "") if primary is not None else "")
                or (categories[0] if categories else ""),
                published_at=_time(entry.findtext(f"{ATOM}published")),
                updated_at=_time(entry.findtext(f"{ATOM}updated")),
                comment=clean(entry.findtext(f"{ARXIV}comment")),
            )
        )

    def number(tag: str, default: int) -> int:
        value = root.findtext(f"{OPENSEARCH}{tag}")
        try:
            return int(value) if value is not None else default
        except ValueError:
            return default

    return FeedPage(
        records=records,
        total=number("totalResults", len(records)),
        start=number("startIndex", 0),
        per_page=number("itemsPerPage", len(records)),
    )


_RSS_ABSTRACT = re.compile(r"Abstract:\s*(.*)$", re.DOTALL)
_RSS_TYPE = re.compile(r"Announce Type:\s*([a-z-]+)")


def parse_rss(text: str) -> Listing:
    """A daily listing (``rss.arxiv.org/rss/cs.LG+cs.AI``): new and cross-listed papers, and
    replacements apart (``Listing.replaced``).

    A feed without items is a normal day without announcements (weekends, holidays).
    """
    root = _root(text, "the RSS listing")
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise ArxivError("arXiv's RSS answer is not an RSS 2.0 feed.")
    announced: date | None = None
    stamp = channel.findtext("pubDate") or channel.findtext("lastBuildDate")
    if stamp:
        try:
            announced = parsedate_to_datetime(stamp).date()
        except (TypeError, ValueError):
            announced = None
    records: list[PaperRecord] = []
    replaced: list[PaperRecord] = []
    for item in channel.findall("item"):
        description = item.findtext("description") or ""
        kind = clean(item.findtext(f"{ARXIV}announce_type"))
        if not kind:
            match = _RSS_TYPE.search(description)
            kind = match.group(1) if match else "new"
        if kind not in KEEP_ANNOUNCE and kind not in REPLACED:
            continue
        paper_id, version = split_id(item.findtext("guid") or item.findtext("link") or "")
        abstract = _RSS_ABSTRACT.search(description)
        creators = clean(item.findtext(f"{DC}creator"))
        categories = tuple(clean(c.text) for c in item.findall("category") if clean(c.text))
        (records if kind in KEEP_ANNOUNCE else replaced).append(
            PaperRecord(
                id=paper_id,
                version=version,
                title=clean(item.findtext("title")),
                abstract=clean(abstract.group(1) if abstract else description),
                authors=tuple(a.strip() for a in creators.split(",") if a.strip()),
                categories=categories,
                primary_category=categories[0] if categories else "",
                announce_type=kind,
            )
        )
    return Listing(records=records, announced_on=announced, replaced=replaced)
