"""Voice notes: transcribed, shown ("🎙 I heard: …"), then handled exactly as if typed.

A voice note (or an audio file) from the owner is checked against the limits from Telegram's
own metadata (length, size) before anything is downloaded, fetched with ``getFile``, turned
into text by ``ctx.stt`` (``agents.stt.Transcriber``) in the owner's language (``/voice
auto|zh|en``) and handed to ``text_entry``: the very function plain text goes through (the
assistant's ``handle_text``), so to-do capture cards and assistant cards are the same.

A failed transcription says so, keeps the note's file id in the store (``store.voices``) and
offers ``voice:<kept id>:retry`` (🔁 Try again), which fetches the same audio again, e.g.
after the speech-to-text server is back; once heard, the kept note is dropped.

Notes are handled off PTB's update queue (``block=False``) and a retry in a task of its own,
so a long note on the CPU engine holds up neither other messages nor the button's answer; the
engine itself takes one note at a time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import warnings
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePosixPath

from telegram import Audio, Update, Voice
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import MessageHandler, filters
from telegram.warnings import PTBDeprecationWarning

from agents.context import AppContext
from agents.messaging import button, esc
from agents.stt import TranscriptionFailed, check_voice, set_voice_language, voice_language
from agents.stt.language import NAMES
from bots.telegram.feature import (
    APOLOGY,
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
from bots.telegram.notifier import build_keyboard, send_with_retry
from store import owners, voices
from store.errors import ErrandsError
from store.models import Owner

log = logging.getLogger(__name__)

KIND = "voice"
NOT_STARTED = "Send /start first, then your voice notes."
OFF = (
    "Voice notes are off: no speech-to-text is set up. Set ERRANDS_STT_BASE_URL, or install "
    "errands[stt] for the embedded engine (`errands doctor` says what is missing)."
)
RETRYING = "🔁 Trying again…"
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
        self._retrying: set[int] = set()  # kept notes being tried again right now
        self._tasks: set[asyncio.Task[None]] = set()  # strong references until they end

    def handlers(self, ctx: AppContext) -> Sequence[Handler]:
        async def on_voice(update: Update, context: Context) -> None:
            await self._voice(Request(ctx, update, (), NOT_STARTED))

        return [
            command(ctx, "voice", self._language, not_started=NOT_STARTED),
            # block=False: a long note on the CPU engine must not hold up every other update
            # (PTB still hands its errors to the app's error handler).
            MessageHandler(
                (filters.VOICE | filters.AUDIO) & ~filters.COMMAND, on_voice, block=False
            ),
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
        """🔁 Try again: answered at once (Telegram wants an answer within seconds; the CPU
        engine may take longer), then the kept note is fetched and transcribed in the
        background: the transcript and its card arrive as for a new note, a new failure is
        written into this message, whose button stays."""
        ctx = request.ctx
        if request.action != "retry" or ctx.stt is None:
            return STALE
        with ctx.db.read() as session:  # Conflict (heard since, not theirs) -> "Already handled."
            row = voices.get_owned(session, owner_id=request.owner.id, voice_id=request.object_id)
            note = _Note(row.file_id, row.duration, row.size)
        if request.object_id in self._retrying:
            return RETRYING
        self._retrying.add(request.object_id)
        task = asyncio.create_task(self._retry(request, note))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return RETRYING

    async def _retry(self, request: CallbackRequest, note: _Note) -> None:
        kept = request.object_id
        as_typed = Request(request.ctx, request.update, (), NOT_STARTED)
        try:
            failure = await self._hear(as_typed, request.owner, note, kept=kept)
            if failure is None:
                await replace_rows(request.update, KIND, kept, [])
            else:
                await _show_failure(request.update, failure, kept, again=True)
        except ErrandsError as exc:  # e.g. the owner's text entry refused the transcript
            await reply(request.update, esc(exc.user_message))
        except Exception:  # the task has no error handler above it: log and apologise here
            log.exception("retrying voice note %s failed", kept)
            await reply(request.update, esc(APOLOGY))
        finally:
            self._retrying.discard(kept)

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
                return  # the retry edits its message
            kept = voices.keep(
                session,
                owner_id=owner.id,
                file_id=note.file_id,
                duration=note.duration,
                size=note.size,
                reason=reason,
                now=ctx.clock(),
            )
        await _show_failure(request.update, reason, kept, again=False)


async def _show_failure(update: Update, reason: str, kept: int, *, again: bool) -> None:
    """The failure with its 🔁 button: a new message, or (``again``) the tapped one, edited."""
    text = (
        f"⚠️ Transcription failed{' again' if again else ''}: {esc(reason)}\n"
        "I kept the audio: tap 🔁 Try again when the speech-to-text server is back."
    )
    buttons = [[button("🔁 Try again", KIND, kept, "retry")]]
    query = update.callback_query
    if not again or query is None:
        await reply(update, text, buttons)
        return
    with contextlib.suppress(BadRequest):  # unchanged ("failed again" twice): nothing to edit
        await send_with_retry(
            lambda: query.edit_message_text(
                text, parse_mode=ParseMode.HTML, reply_markup=build_keyboard(buttons)
            )
        )


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
