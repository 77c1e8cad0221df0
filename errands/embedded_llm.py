"""The embedded default: when no LLM answers at ``errands run``, start llama.cpp ourselves.

The runtime starts ``errands.local_llm``'s server as a child process with its own lifecycle and
records where it listens in ``<data dir>/llm-embedded.json``. Every other errands process on
that data dir (``errands llm ask``, ``doctor``, ``jobs run``) reads the file and puts the
embedded engine in its fallback chain, with llama.cpp's structured-output form, for as long as
the recorded process is alive.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

STATE_FILE = "llm-embedded.json"


@dataclass(frozen=True)
class EmbeddedState:
    base_url: str
    model: str
    pid: int


def state_path(data_dir: Path) -> Path:
    return data_dir / STATE_FILE


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_state(data_dir: Path) -> EmbeddedState | None:
    """The running embedded engine, or None (no file, unreadable, or its process is gone)."""
    try:
        raw = json.loads(state_path(data_dir).read_text())
        state = EmbeddedState(str(raw["base_url"]), str(raw["model"]), int(raw["pid"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return state if _alive(state.pid) else None


def write_state(data_dir: Path, state: EmbeddedState) -> None:
    path = state_path(data_dir)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state.__dict__))
    tmp.replace(path)


def clear_state(data_dir: Path) -> None:
    state_path(data_dir).unlink(missing_ok=True)


def preferred_port(configured_base_url: str) -> int | None:
    """Listen where ERRANDS_LLM_BASE_URL points when that is a loopback URL, so other tools
    configured with the same URL reach the embedded engine too; else any free port."""
    parts = urlsplit(configured_base_url)
    if parts.hostname in ("127.0.0.1", "localhost") and parts.port:
        return parts.port
    return None
