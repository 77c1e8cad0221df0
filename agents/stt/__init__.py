"""Speech-to-text for voice notes: an OpenAI-compatible endpoint, or faster-whisper on the CPU.

The bot (``bots.telegram.voice``) checks a note against ``VoiceLimits`` from Telegram's
metadata, downloads it and asks a ``Transcriber`` for its text; the text then goes where a
typed message goes. ``errands.wiring.build_stt`` decides the engines from settings:

- ``EndpointEngine``: ``POST {ERRANDS_STT_BASE_URL}/audio/transcriptions`` (vLLM serving a
  Whisper model on the GPU, or a hosted API), httpx with a ``transport=`` seam;
- ``EmbeddedEngine``: faster-whisper on a local CTranslate2 model directory
  (``ERRANDS_STT_MODEL_DIR``, or the model the ``stt`` extra ships: ``bundled``); PyAV decodes
  Telegram's OGG/Opus in-process. Nothing is downloaded at run time.

Errors: ``TranscriptionFailed`` (every engine's short reason; the bot keeps the note's file id
for 🔁 Try again) and ``VoiceRejected`` (over a limit). The owner's language (auto, zh, en)
is an ``Owner.preferences`` entry (``agents.stt.language``); "auto" sends no language to the
endpoint, and on the CPU picks the likelier of English and 中文.
"""

from agents.stt.embedded import EmbeddedEngine
from agents.stt.endpoint import EndpointEngine
from agents.stt.errors import TranscriptionFailed, VoiceRejected
from agents.stt.language import set_voice_language, voice_language
from agents.stt.limits import VoiceLimits, check_voice
from agents.stt.transcriber import Transcriber
from agents.stt.values import LANGUAGES, Engine, EngineState, Language, Transcript

__all__ = [
    "LANGUAGES",
    "EmbeddedEngine",
    "EndpointEngine",
    "Engine",
    "EngineState",
    "Language",
    "Transcriber",
    "Transcript",
    "TranscriptionFailed",
    "VoiceLimits",
    "VoiceRejected",
    "check_voice",
    "set_voice_language",
    "voice_language",
]
