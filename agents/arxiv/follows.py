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
from dataclasses import dataclass, field
from typing import Any, Protocol

from store.errors import InvalidInput

MAX_LEN = 200
_WORD = re.compile(r"[^\W_]+")
_SEPARATORS = re.compile(r"[\s\-‐-―]+")
# combining marks, the accents NFKD splits off ("ü" -> "u" + U+0308)
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
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
    if text.isascii():  # most of arXiv: nothing to decompose
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLDS))
    if decomposed.isascii():
        return decomposed.casefold()
    return _COMBINING.sub("", decomposed).casefold()


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


Names = list[tuple[str, tuple[str, ...]]]


def author_names(authors: Iterable[Any]) -> Names:
    """A paper's authors as (shown, name tokens), tokenized once for every followed name."""
    return [(str(a), name_tokens(str(a))) for a in authors if str(a).strip()]


def author_match(followed: Sequence[str], names: Names) -> str | None:
    """The author of a paper (``author_names``) that ``followed`` (name tokens) names, or None.

    An exact normalized match always counts; otherwise initials may stand for names, but only
    when exactly one author of the paper fits (two Smiths with a J. and "J. Smith" is nobody).
    """
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


_TOKEN = re.compile(r"[^\W_]+|[^\w\s\-‐-―]")  # a word, or one other non-space, non-dash


def text_tokens(folded: str) -> tuple[str, ...]:
    """A folded text as tokens: words and single punctuation marks; spaces and dashes
    separate them, so "diffusion-models" and "diffusion  models" are the same two words."""
    return tuple(_TOKEN.findall(folded))


@dataclass(frozen=True)
class Phrase:
    """A followed or muted keyword: as typed, and as tokens to find in a text's tokens."""

    shown: str
    tokens: tuple[str, ...]


class PhraseIndex:
    """Phrases by their first token: one pass over a text's tokens finds any of them."""

    def __init__(self, phrases: Sequence[Phrase]) -> None:
        self.phrases = list(phrases)
        self.by_first: dict[str, list[int]] = {}
        for i, phrase in enumerate(self.phrases):
            if phrase.tokens:
                self.by_first.setdefault(phrase.tokens[0], []).append(i)

    def first_found(self, tokens: Sequence[str]) -> str | None:
        """The earliest-added phrase that occurs in ``tokens`` as whole tokens, or None."""
        words = tuple(tokens)
        present = set(words)
        found: list[int] = []
        for start in self.by_first.keys() & present:  # usually none: one set operation
            for i in self.by_first[start]:
                phrase = self.phrases[i].tokens
                n = len(phrase)
                if n == 1 or (
                    present.issuperset(phrase)
                    and any(
                        words[at : at + n] == phrase for at, w in enumerate(words) if w == start
                    )
                ):
                    found.append(i)
        return self.phrases[min(found)].shown if found else None


@dataclass(frozen=True)
class Author:
    shown: str
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    """What an owner's rules say about one paper."""

    pinned: str | None  # why ("you follow Jane Doe")
    muted: str | None  # the muted word found

    @property
    def keep(self) -> bool:
        """Shown unless muted; a pin wins over a mute."""
        return self.muted is None or self.pinned is not None


@dataclass(frozen=True)
class Rules:
    """One owner's pins and mutes, ready to match papers.

    Matching is one pass per paper: its authors tokenized once, its text folded and
    tokenized once and looked up by each phrase's first token, so a hundred follows cost
    about what one does.
    """

    authors: tuple[Author, ...] = ()
    keywords: tuple[Phrase, ...] = ()
    mutes: tuple[Phrase, ...] = ()
    _keywords: PhraseIndex = field(init=False, repr=False, compare=False)
    _mutes: PhraseIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_keywords", PhraseIndex(self.keywords))
        object.__setattr__(self, "_mutes", PhraseIndex(self.mutes))

    @property
    def empty(self) -> bool:
        return not (self.authors or self.keywords or self.mutes)

    def judge(self, paper: PaperLike) -> Verdict:
        """Pinned (and why) and muted (by which word), computed once per paper."""
        if self.empty:
            return Verdict(None, None)
        pinned = self._author_pin(paper)
        words: tuple[str, ...] = ()
        if self.keywords or self.mutes:
            words = text_tokens(fold(f"{paper.title} {paper.abstract}"))
        if pinned is None:
            phrase = self._keywords.first_found(words)
            pinned = f"you follow “{phrase}”" if phrase is not None else None
        return Verdict(pinned, self._mutes.first_found(words))

    def _author_pin(self, paper: PaperLike) -> str | None:
        if not self.authors:
            return None
        names = author_names(paper.authors)
        lasts = {tokens[-1] for _, tokens in names if tokens}
        for author in self.authors:  # in the order they were followed
            if author.tokens[-1] in lasts and author_match(author.tokens, names) is not None:
                return f"you follow {author.shown}"
        return None

    def pin_reason(self, paper: PaperLike) -> str | None:
        """Why the paper is pinned ("you follow Jane Doe"), or None."""
        return self.judge(paper).pinned

    def mute_reason(self, paper: PaperLike) -> str | None:
        """The muted word the paper contains, or None."""
        return self.judge(paper).muted

    def keep(self, paper: PaperLike) -> bool:
        """Shown unless muted; a pin wins over a mute."""
        return self.judge(paper).keep


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
            phrase = Phrase(value, text_tokens(" ".join(words)))
            (keywords if mode == "follow" else mutes).append(phrase)
    return Rules(tuple(authors), tuple(keywords), tuple(mutes))
