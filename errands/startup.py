"""What ``errands run`` takes before anything heavy is imported: the data dir's lock and the
web server's listening socket.

Both fail fast and in one line: a second ``errands run`` on the same data dir (exit 1), a data
dir that cannot be written (exit 3), a port that cannot be listened on (exit 4). Taking them
first also means nothing has started (no Telegram polling, no jobs) when they fail.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from errands.datadir import prepare_data_dir
from errands.exits import CannotListen, data_dir_unusable
from store.errors import ErrandsError


class AlreadyRunning(ErrandsError):
    pass


@contextlib.contextmanager
def single_instance(data_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``<data dir>/errands.lock`` for the life of the process."""
    prepare_data_dir(data_dir)
    path = data_dir / "errands.lock"
    try:
        handle: IO[str] = open(path, "a+")  # noqa: SIM115 - held open for the lock's lifetime
    except OSError as exc:
        raise data_dir_unusable(exc, data_dir) from exc
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            pid = handle.read().strip() or "?"
            raise AlreadyRunning(
                f"errands is already running on {data_dir} (pid {pid}); "
                "stop it first, or use another ERRANDS_DATA_DIR."
            ) from None
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
        except OSError as exc:
            raise data_dir_unusable(exc, data_dir) from exc
        yield
    finally:
        handle.close()


_LISTEN_WORDS = {
    errno.EADDRINUSE: "port in use (stop what uses it, or set ERRANDS_WEB_PORT to a free port)",
    errno.EACCES: "permission denied (set ERRANDS_WEB_PORT to 1024 or above)",
    errno.EADDRNOTAVAIL: "no such address on this machine (check ERRANDS_WEB_HOST)",
}


def listen(host: str, port: int) -> socket.socket:
    """The web server's listening socket, bound before anything else starts.

    uvicorn binding it itself would log and ``sys.exit`` on a busy port; here it is one
    ``CannotListen`` line that says what to change.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if isinstance(exc, socket.gaierror):
            words = "unknown host (check ERRANDS_WEB_HOST)"
        else:
            words = _LISTEN_WORDS.get(exc.errno or 0, f"{exc.strerror or type(exc).__name__}")
        raise CannotListen(f"the web server cannot listen on {host}:{port}: {words}") from None
    return sock
