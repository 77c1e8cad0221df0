"""Pins and mutes: followed authors and keywords, muted keywords, and how papers match them.

Pure functions over text. An author matches on a normalized name (case and accents folded,
"Last, First" turned round), and "J. Smith" matches "John Smith" only when no other author of
the same paper could be meant. A keyword matches a whole word or phrase, case-insensitive, in
the title or abstract. A follow wins over a mute: a followed author's paper with a muted word
is still shown (``Rules.keep``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from store.errors import InvalidInput

MAX_LEN = 200
_WORD = re.compile(r"[^\W_]+")
_SEPARATORS = re.compile(r"[\s\-‐-―]+")
_FOLDS = str.maketrans({"ß": "ss", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "æ": "ae", "đ": "d"})
USAGE = {
    "author": "Give an author's name, e.g. 'Jane Doe' or 'Doe, Jane'.",
    "keyword": "Give a word or phrase, e.g. 'diffusion models'.",
}


class PaperLike(Protocol):
    title: str
    abstract: str

    @property
    def authors(self) -> Sequence[Any]: ...


def fold(text: str) -> str:
    """Lower case without accents ("Müller" -> "muller", "Łukasz" -> "lukasz")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLDS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def clean(text: str, kind: str) -> str:
    """The owner's input with spaces collapsed; ``InvalidInput`` (a clear reply) when it is
    empty, over 200 characters, holds control characters or has no letters to match."""
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") for c in text):
        raise InvalidInput("That contains control characters; type the name or words plainly.")
    value = " ".join(text.split())
    if not value:
        raise InvalidInput(USAGE[kind])
    normed = norm(kind, value)
    if len(value) > MAX_LEN or len(normed) > MAX_LEN:  # folding may lengthen it ("ß" -> "ss")
        raise InvalidInput(f"That is too long: at most {MAX_LEN} characters.")
    if not normed:
        raise InvalidInput(USAGE[kind])
    return value


def name_tokens(name: str) -> tuple[str, ...]:
    """A person's name as folded words in "first … last" order ("Doe, J." -> ("j", "doe"))."""
    text = fold(name)
    if "," in text:
        last, _, first = text.partition(",")
        text = f"{first} {last}"
    return tuple(_WORD.findall(text))


def keyword_words(text: str) -> tuple[str, ...]:
    """A keyword's folded words (hyphens and spaces both separate them)."""
    return tuple(w for w in _SEPARATORS.split(fold(text).strip()) if w)


def norm(kind: str, value: str) -> str:
    """The stored matching form: what makes two follows the same one."""
    words = name_tokens(value) if kind == "author" else keyword_words(value)
    wanted = str.isalpha if kind == "author" else str.isalnum
    if not any(wanted(ch) for w in words for ch in w):
        return ""
    return " ".join(words)


def _givens_agree(left: Sequence[str], right: Sequence[str]) -> bool:
    """Given names agree word by word, an initial standing for any name it begins."""
    if not left or not right:
        return False
    for a, b in zip(left, right, strict=False):
        if a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
            continue
        return False
    return True


def author_match(followed: Sequence[str], authors: Iterable[Any]) -> str | None:
    """The author of a paper that ``followed`` (name tokens) names, or None.

    An exact normalized match always counts; otherwise initials may stand for names, but only
    when exactly one author of the paper fits (two Smiths with a J. and "J. Smith" is nobody).
    """
    names = [(str(a), name_tokens(str(a))) for a in authors if str(a).strip()]
    target = tuple(followed)
    for shown, tokens in names:
        if tokens == target:
            return shown
    if len(target) < 2:
        return None
    fits = [
        shown
        for shown, tokens in names
        if len(tokens) >= 2 and tokens[-1] == target[-1] and _givens_agree(target[:-1], tokens[:-1])
    ]
    return fits[0] if len(fits) == 1 else None


def phrase_pattern(words: Sequence[str]) -> re.Pattern[str]:
    """A whole-word, case-folded pattern for a phrase (any spacing or hyphen between words)."""
    inner = r"[\s\-‐-―]+".join(re.escape(w) for w in words)
    return re.compile(rf"(?<!\w){inner}(?!\w)")


@dataclass(frozen=True)
class Phrase:
    shown: str
    pattern: re.Pattern[str]

    def found_in(self, folded_text: str) -> bool:
        return self.pattern.search(folded_text) is not None


@dataclass(frozen=True)
class Author:
    shown: str
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    """One owner's pins and mutes, ready to match papers."""

    authors: tuple[Author, ...] = ()
    keywords: tuple[Phrase, ...] = ()
    mutes: tuple[Phrase, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.authors or self.keywords or self.mutes)

    def pin_reason(self, paper: PaperLike) -> str | None:
        """Why the paper is pinned ("you follow Jane Doe"), or None."""
        for author in self.authors:
            if author_match(author.tokens, paper.authors) is not None:
                return f"you follow {author.shown}"
        if self.keywords:
            text = fold(f"{paper.title} {paper.abstract}")
            for phrase in self.keywords:
                if phrase.found_in(text):
                    return f"you follow “{phrase.shown}”"
        return None

    def mute_reason(self, paper: PaperLike) -> str | None:
        """The muted word the paper contains, or None."""
        if not self.mutes:
            return None
        text = fold(f"{paper.title} {paper.abstract}")
        return next((m.shown for m in self.mutes if m.found_in(text)), None)

    def keep(self, paper: PaperLike) -> bool:
        """Shown unless muted; a pin wins over a mute."""
        return self.mute_reason(paper) is None or self.pin_reason(paper) is not None


def make_rules(rows: Iterable[tuple[str, str, str, str]]) -> Rules:
    """Rules from (kind, mode, value, norm) rows as ``store.follows`` keeps them."""
    authors: list[Author] = []
    keywords: list[Phrase] = []
    mutes: list[Phrase] = []
    for kind, mode, value, normed in rows:
        words = tuple(normed.split())
        if not words:
            continue
        if kind == "author" and mode == "follow":
            authors.append(Author(value, words))
        elif kind == "keyword":
            (keywords if mode == "follow" else mutes).append(Phrase(value, phrase_pattern(words)))
    return Rules(tuple(authors), tuple(keywords), tuple(mutes))
