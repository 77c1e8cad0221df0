"""Voice notes: transcribed, shown ("🎙 I heard: …"), then handled exactly as if typed.

A voice note (or an audio file) from the owner is checked against the limits from Telegram's
own metadata (length, size) before anything is downloaded, fetched with ``getFile``, turned
into text by ``ctx.stt`` (``agents.stt.Transcriber``) in the owner's language (``/voice
auto|zh|en``) and handed to ``text_entry``: the very function plain text goes through (the
assistant's ``handle_text``), so to-do capture cards and assistant cards are the same.

A failed transcription says so, keeps the note's file id in the store (``store.voices``) and
offers ``voice:<kept id>:retry`` (🔁 Try again), which fetches the same audio again, e.g.
after the speech-to-text server is back; once heard, the kept note is dropped.
"""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath

from telegram import Audio, Update, Voice
from telegram.error import TelegramError
from telegram.ext import MessageHandler, filters
from telegram.warnings import PTBDeprecationWarning

from agents.context import AppContext
from agents.messaging import button, esc
from agents.stt import TranscriptionFailed, check_voice, set_voice_language, voice_language
from agents.stt.language import NAMES
from bots.telegram.feature import (
    STALE,
    CallbackRequest,
    Context,
    Handler,
    command,
    on_button,
    replace_rows,
    reply,
    typing,
)
from bots.telegram.feature import CommandRequest as Request
from bots.telegram.notifier import send_with_retry
from store import owners, voices
from store.models import Owner

KIND = "voice"
NOT_STARTED = "Send /start first, then your voice notes."
OFF = (
    "Voice notes are off: no speech-to-text is set up. Set ERRANDS_STT_BASE_URL, or install "
    "errands[stt] for the embedded engine (`errands doctor` says what is missing)."
)
NOTHING_HEARD = "🎙 I heard no words in that. Please try again, a little closer to the microphone."

TextEntry = Callable[[Request, str], Awaitable[None]]
"""Where typed text goes (``AssistantFeature.handle_text``): transcripts go there too."""


@dataclass(frozen=True)
class _Note:
    file_id: str
    duration: int | None
    size: int | None


class VoiceFeature:
    commands: Sequence[tuple[str, str]] = (("voice", "Voice notes' language: /voice auto|zh|en"),)

    def __init__(self, text_entry: TextEntry) -> None:
        self._text_entry = text_entry

    def handlers(self, ctx: AppContext) -> Sequence[Handler]:
        async def on_voice(update: Update, context: Context) -> None:
            await self._voice(Request(ctx, update, (), NOT_STARTED))

        return [
            command(ctx, "voice", self._language, not_started=NOT_STARTED),
            MessageHandler((filters.VOICE | filters.AUDIO) & ~filters.COMMAND, on_voice),
            on_button(ctx, KIND, self.on_retry),
        ]

    async def _language(self, request: Request) -> None:
        """``/voice`` shows the language; ``/voice auto|zh|en`` sets it."""
        owner, ctx = request.owner(), request.ctx
        if not request.args:
            now = NAMES[voice_language(owner)]
            await reply(request.update, f"🎙 Voice notes: {now}. Change it: /voice auto|zh|en")
            return
        with ctx.db.write() as session:
            stored = owners.get_owner(session, owner_id=owner.id)
            chosen = set_voice_language(stored, request.text)
        await reply(request.update, f"🎙 Voice notes: {NAMES[chosen]} from now on.")

    async def _voice(self, request: Request) -> None:
        owner, ctx = request.owner(), request.ctx
        message = request.update.effective_message
        media = (message.voice or message.audio) if message is not None else None
        if media is None:
            return
        if ctx.stt is None:
            await reply(request.update, esc(OFF))
            return
        note = _Note(media.file_id, _seconds(media), media.file_size)
        check_voice(ctx.stt.limits, duration=note.duration, size=note.size)
        await self._hear(request, owner, note, kept=None)

    async def on_retry(self, request: CallbackRequest) -> str:
        """🔁 Try again: the kept note, fetched and transcribed again."""
        ctx = request.ctx
        if request.action != "retry" or ctx.stt is None:
            return STALE
        with ctx.db.read() as session:  # Conflict (heard since, not theirs) -> "Already handled."
            row = voices.get_owned(session, owner_id=request.owner.id, voice_id=request.object_id)
            note = _Note(row.file_id, row.duration, row.size)
        as_typed = Request(ctx, request.update, (), NOT_STARTED)
        failure = await self._hear(as_typed, request.owner, note, kept=request.object_id)
        if failure is not None:
            return f"Still failing: {failure}"
        await replace_rows(request.update, KIND, request.object_id, [])
        return "Transcribed."

    async def _hear(
        self, request: Request, owner: Owner, note: _Note, kept: int | None
    ) -> str | None:
        """Fetch, transcribe, show, hand on; the failure's reason (the note kept) otherwise."""
        ctx = request.ctx
        assert ctx.stt is not None
        try:
            async with typing(request.update):
                audio, name = await _download(request.update, note.file_id)
                heard = await ctx.stt.transcribe(
                    audio, filename=name, language=voice_language(owner)
                )
        except TranscriptionFailed as exc:
            await self._failed(request, owner, note, kept, exc.reason)
            return exc.reason
        if kept is not None:
            with ctx.db.write() as session:
                voices.forget(session, owner_id=owner.id, voice_id=kept)
        if not heard.text:
            await reply(request.update, esc(NOTHING_HEARD))
            return None
        await reply(request.update, f"🎙 I heard: {esc(heard.text)}")
        await self._text_entry(request, heard.text)
        return None

    async def _failed(
        self, request: Request, owner: Owner, note: _Note, kept: int | None, reason: str
    ) -> None:
        ctx = request.ctx
        with ctx.db.write() as session:
            if kept is not None:
                voices.failed_again(session, owner_id=owner.id, voice_id=kept, reason=reason)
                return  # the tap's answer says it; the first message keeps its button
            kept = voices.keep(
                session,
                owner_id=owner.id,
                file_id=note.file_id,
                duration=note.duration,
                size=note.size,
                reason=reason,
                now=ctx.clock(),
            )
        text = (
            f"⚠️ Transcription failed: {esc(reason)}\n"
            "I kept the audio: tap 🔁 Try again when the speech-to-text server is back."
        )
        await reply(request.update, text, [[button("🔁 Try again", KIND, kept, "retry")]])


async def _download(update: Update, file_id: str) -> tuple[bytes, str]:
    """The note's bytes through the Bot API (``getFile`` + the file URL) and a file name for
    the transcription server: Telegram's own (``voice/file_7.oga``, ``music/file_3.mp3``),
    whose extension hosted APIs read to know the format."""
    bot = update.get_bot()
    try:
        file = await send_with_retry(lambda: bot.get_file(file_id))
        audio = bytes(await file.download_as_bytearray())
    except TelegramError as exc:
        reason = f"could not download the audio from Telegram ({exc.message[:120]})"
        raise TranscriptionFailed(failures=[("telegram", reason)]) from None
    name = PurePosixPath(file.file_path or "").name
    return audio, name if "." in name else "voice.ogg"


def _seconds(media: Voice | Audio) -> int:
    """The note's length in seconds, without PTB's int-vs-timedelta deprecation warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = media.duration
    return int(value.total_seconds()) if isinstance(value, timedelta) else int(value)
