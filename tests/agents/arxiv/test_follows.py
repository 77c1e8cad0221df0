"""Pins and mutes: author-name and keyword matching, validation, a follow beating a mute."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from agents.arxiv import choices, follows
from agents.arxiv.follows import author_names, make_rules, name_tokens
from store import follows as store_follows
from store import owners
from store.db import Database
from store.errors import InvalidInput
from tests.conftest import NOW


@dataclass
class P:
    title: str = ""
    abstract: str = ""
    authors: list[str] = field(default_factory=list)


def author_match(followed: str, authors: list[str]) -> str | None:
    return follows.author_match(name_tokens(followed), author_names(authors))


def rules(*rows: tuple[str, str, str]) -> follows.Rules:
    return make_rules((kind, mode, value, follows.norm(kind, value)) for kind, mode, value in rows)


@pytest.mark.parametrize(
    ("followed", "author"),
    [
        ("Jane Doe", "jane doe"),
        ("Jürgen Müller", "Jurgen Muller"),
        ("Müller, Jürgen", "Jürgen Müller"),
        ("Doe, Jane", "Jane Doe"),
        ("Łukasz Kaiser", "Lukasz Kaiser"),
        ("Jean-Pierre Dupont", "Jean Pierre Dupont"),
        ("J. Smith", "John Smith"),
        ("John Smith", "J. Smith"),
        ("John Smith", "John A. Smith"),
        ("J. A. Smith", "John Smith"),
    ],
)
def test_an_author_matches_across_case_accents_order_and_initials(
    followed: str, author: str
) -> None:
    assert author_match(followed, ["Ada Lovelace", author]) == author


@pytest.mark.parametrize(
    ("followed", "authors"),
    [
        ("J. Smith", ["John Smith", "Jane Smith"]),  # two Smiths a J. could be: nobody
        ("John Smith", ["Johnny Smith"]),  # a longer name is another person
        ("John Smith", ["John Smithson"]),
        ("John Smith", ["Jane Smith"]),
        ("Smith", ["John Smith"]),  # a surname alone is too little
        ("Jane Doe", ["Jane Doering"]),
    ],
)
def test_an_author_does_not_match_a_different_or_ambiguous_name(
    followed: str, authors: list[str]
) -> None:
    assert author_match(followed, authors) is None


def test_an_exact_name_wins_over_ambiguous_initials() -> None:
    authors = ["J. Smith", "Jane Smith"]
    assert author_match("Jane Smith", authors) == "Jane Smith"
    assert author_match("J. Smith", authors) == "J. Smith"


def test_a_keyword_matches_whole_words_and_phrases_case_insensitively() -> None:
    r = rules(("keyword", "follow", "diffusion models"), ("keyword", "follow", "GNN"))
    assert r.pin_reason(P(title="Faster Diffusion  Models")) == "you follow “diffusion models”"
    assert r.pin_reason(P(abstract="about diffusion-models at scale")) is not None
    assert r.pin_reason(P(abstract="we train a gnn.")) == "you follow “GNN”"
    assert r.pin_reason(P(title="Diffusion of models")) is None
    assert r.pin_reason(P(title="GNNs everywhere")) is None  # whole word: not a plural
    assert r.pin_reason(P(title="diffusion modelsx")) is None


def test_a_muted_word_drops_a_paper_but_a_follow_wins() -> None:
    r = rules(
        ("author", "follow", "Jane Doe"),
        ("keyword", "mute", "medical"),
        ("keyword", "mute", "large language model"),
    )
    muted = P(title="Medical imaging with transformers", authors=["Bob Roe"])
    assert r.mute_reason(muted) == "medical" and not r.keep(muted)
    assert not r.keep(P(abstract="A Large  Language Model for law"))
    followed = P(title="Medical imaging", authors=["Doe, Jane"])
    assert r.keep(followed) and r.pin_reason(followed) == "you follow Jane Doe"
    assert r.keep(P(title="Paramedical logistics"))  # whole words only


@pytest.mark.parametrize(
    ("kind", "text", "says"),
    [
        ("author", "", "Give an author's name"),
        ("author", "   ", "Give an author's name"),
        ("author", "1234 .,", "Give an author's name"),
        ("keyword", "-- ,", "Give a word or phrase"),
        ("keyword", "x" * 201, "at most 200 characters"),
        ("keyword", "ß" * 150, "at most 200 characters"),  # 300 once folded
        ("author", "Jane\x00Doe", "control characters"),
        ("keyword", "diffusion\u200bmodels", "control characters"),
    ],
)
def test_bad_input_is_a_clear_invalid_input(kind: str, text: str, says: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        follows.clean(text, kind)
    assert says in caught.value.user_message


def test_spacing_and_case_make_the_same_follow() -> None:
    assert follows.clean("  Jane   Doe ", "author") == "Jane Doe"
    assert follows.norm("author", "Doe, Jane") == follows.norm("author", "JANE DOE")
    assert follows.norm("keyword", "Diffusion-Models") == "diffusion models"
    assert follows.clean("x" * 200, "keyword") == "x" * 200


def test_a_list_holds_at_most_100_and_a_duplicate_is_still_just_already(db: Database) -> None:
    with db.write() as session:
        owner = owners.create_owner(session, name="Ada", timezone="UTC", now=NOW, slug="ada")

    def mute(word: str) -> choices.Change:
        return choices.change(
            db, owner_id=owner.id, kind="keyword", mode="mute", text=word, add=True, now=NOW
        )

    with db.write() as session:  # a full list (in one transaction: quick)
        for i in range(choices.MAX_PER_LIST - 1):
            store_follows.add_follow(
                session, owner_id=owner.id, kind="keyword", mode="mute", value=f"word{i}",
                norm=f"word{i}", now=NOW,
            )  # fmt: skip
    assert mute("Word 99").changed
    assert mute("WORD7").say(html=False) == "Already muting keyword WORD7."
    assert not mute("word 99").changed
    with pytest.raises(InvalidInput, match="At most 100"):
        mute("one more")
    followed = choices.change(
        db, owner_id=owner.id, kind="keyword", mode="follow", text="x", add=True, now=NOW
    )
    assert followed.changed  # each list has its own limit


def test_many_phrases_name_the_first_followed_and_punctuation_counts() -> None:
    r = rules(
        ("keyword", "follow", "graph neural networks"),
        ("keyword", "follow", "C++"),
        ("keyword", "follow", "graph"),
    )
    paper = P(title="A graph library in C++", abstract="Graph neural networks, fast.")
    assert r.pin_reason(paper) == "you follow “graph neural networks”"  # followed first
    assert r.pin_reason(P(title="Kernels in C++ and CUDA")) == "you follow “C++”"
    assert r.pin_reason(P(title="Kernels in C and CUDA")) is None
    assert r.pin_reason(P(abstract="neural networks on a graph")) == "you follow “graph”"
    assert (
        r.pin_reason(P(abstract="graph-neural   networks")) == "you follow “graph neural networks”"
    )
