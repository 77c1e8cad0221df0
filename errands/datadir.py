"""The data dir: created owner-only (0700, files 0600) and proven writable before use.

It holds the SQLite store, the LangGraph checkpoints and the generated secret key, so nobody
but its owner should read it, with or without systemd's ``UMask=0077``. Writing a small file
first turns a read-only, full or foreign directory into one clear line at start, instead of a
failure deep inside SQLite or LangGraph.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from errands.exits import data_dir_unusable

PRIVATE_UMASK = 0o077
DIR_MODE = 0o700
FILE_MODE = 0o600
# What errands keeps in the data dir (with SQLite's companions) and tightens if it finds it looser.
DATA_FILES = (
    *(f"{db}{suffix}" for db in ("errands.db", "graphs.db") for suffix in ("", "-wal", "-shm")),
    "secret_key",
    "errands.lock",
)
_PROBE = ".errands-write-probe"


def private_umask() -> None:
    """Files and directories this process creates are its owner's alone."""
    os.umask(PRIVATE_UMASK)


def _tighten(path: Path) -> None:
    """Drop group/other bits from ``path`` if this user owns it (a no-op otherwise)."""
    with contextlib.suppress(OSError):
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode) or info.st_uid != os.geteuid():
            return
        if stat.S_IMODE(info.st_mode) & 0o077:
            path.chmod(stat.S_IMODE(info.st_mode) & ~0o077)


def prepare_data_dir(data_dir: Path) -> None:
    """Create ``data_dir`` (0700), tighten errands' files in it, and prove it is writable.

    Raises ``StoreUnavailable`` naming the problem (read-only, permission denied, disk full).
    """
    try:
        created = not data_dir.exists()
        data_dir.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        if created:
            data_dir.chmod(DIR_MODE)  # mkdir's mode is masked by the umask
        for name in DATA_FILES:
            _tighten(data_dir / name)
        probe = data_dir / _PROBE
        try:
            fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
            try:
                os.write(fd, b"errands" * 16)
                os.fsync(fd)
            finally:
                os.close(fd)
        finally:
            with contextlib.suppress(OSError):
                probe.unlink()
    except OSError as exc:
        raise data_dir_unusable(exc, data_dir) from exc
