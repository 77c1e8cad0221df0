"""The owner's voice-note language (``/voice auto|zh|en``), kept in ``Owner.preferences``."""

from __future__ import annotations

from agents.stt.values import LANGUAGES, Language
from store.errors import InvalidInput
from store.models import Owner

PREFERENCE = "voice_language"
"""``Owner.preferences`` key; absent means auto-detect."""
USAGE = "Usage: /voice auto, /voice zh or /voice en (the language of your voice notes)."
NAMES = {None: "auto-detect", "zh": "中文 (zh)", "en": "English (en)"}


def voice_language(owner: Owner) -> Language | None:
    """The forced language, or None to let Whisper detect it."""
    value = (owner.preferences or {}).get(PREFERENCE)
    return next((code for code in LANGUAGES if code == value), None)


def set_voice_language(owner: Owner, choice: str) -> Language | None:
    """Store ``auto``, ``zh`` or ``en`` (inside the caller's transaction); ``InvalidInput``
    with the usage otherwise."""
    word = choice.strip().lower()
    if word == "auto":
        owner.preferences = {k: v for k, v in (owner.preferences or {}).items() if k != PREFERENCE}
        return None
    code = next((code for code in LANGUAGES if code == word), None)
    if code is None:
        raise InvalidInput(USAGE)
    owner.preferences = {**(owner.preferences or {}), PREFERENCE: code}
    return code
