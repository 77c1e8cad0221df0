"""``errands bench startup-faults``: every way a start can fail, each a real child process.

Each fault gets its own data dir and environment, then runs ``errands run`` (or ``doctor``,
``db upgrade``) exactly as a user would. A fault passes when the child exits with the fault's
own code (2 configuration, 3 store/file system, 4 port), prints exactly one non-empty line on
stderr, no traceback, the line names the problem, and no planted secret shows anywhere.

Run as root, a child would write through any file mode, so the children lose the capabilities
that override file permissions (the bounding set, before ``exec``): a read-only file is then
read-only to them as it is to the ``errands`` user. The read-only and the full file system are
real mounts (a read-only bind mount, a small filled tmpfs) inside a private mount namespace
(``unshare -m``, or ``-rm`` for a non-root user); where that is not allowed those two faults are
reported as not tried, with the reason.
"""

from __future__ import annotations

import ctypes
import functools
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.measure import free_port

CHECKOUT = Path(__file__).resolve().parents[1]
TIMEOUT = 60.0
SECRET = "s3cret-token"
PASSWORD = "hunter2"


@dataclass
class Setup:
    """What a fault's child runs with: environment, working directory, argv prefix."""

    env: dict[str, str]
    cwd: Path
    wrap: list[str] = field(default_factory=list)


Prepare = Callable[[Path, Setup, ExitStack], str | None]  # None, or why it cannot be tried


@dataclass(frozen=True)
class Fault:
    name: str
    args: tuple[str, ...]
    code: int
    words: tuple[str, ...]  # each must appear in the line (case-insensitive)
    prepare: Prepare
    secrets: tuple[str, ...] = ()


@dataclass
class Outcome:
    fault: str
    tried: bool
    reason: str = ""
    expected_code: int = 0
    code: int | None = None
    line: str = ""
    lines: int = 0
    traceback: bool = False
    named: bool = False
    leaked: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def one_line(self) -> bool:
        return self.lines == 1 and not self.traceback

    @property
    def ok(self) -> bool:
        return (
            self.tried
            and self.code == self.expected_code
            and self.one_line
            and self.named
            and not self.leaked
        )


# ---- the environment every child starts from


def base_env(data_dir: Path) -> dict[str, str]:
    """No ERRANDS_* from outside; no Telegram, no LLM, no embedded engine; a free web port."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ERRANDS_")}
    env.update(
        ERRANDS_DATA_DIR=str(data_dir),
        ERRANDS_LLM_BASE_URL="http://127.0.0.1:9/v1",
        ERRANDS_LLM_EMBEDDED="false",
        ERRANDS_TELEGRAM_TOKEN="",
        ERRANDS_WEB_PORT=str(free_port()),
        PYTHONUNBUFFERED="1",
    )
    return env


def errands(*args: str) -> list[str]:
    return [sys.executable, "-m", "errands.cli", *args]


_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _CAP_FOWNER = 1, 2, 3
_PR_CAPBSET_DROP = 24


def drop_file_override() -> None:
    """``preexec_fn``: as root, give up overriding file modes in everything ``exec``ed next."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH, _CAP_FOWNER):
        libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0)


def populate(data_dir: Path) -> None:
    """A data dir as a previous start leaves it: migrated database and secret key."""
    env = base_env(data_dir)
    subprocess.run(
        errands("db", "upgrade"), env=env, check=True, capture_output=True, timeout=TIMEOUT
    )


@functools.cache
def unshare_prefix() -> list[str] | None:
    """``unshare`` arguments for a private mount namespace, or None where none is allowed."""
    if shutil.which("unshare") is None:
        return None
    prefix = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-r", "-m"]
    probe = [*prefix, "sh", "-c", "mount -t tmpfs -o size=64k tmpfs /mnt 2>/dev/null || "
             "mount -t tmpfs -o size=64k tmpfs \"$(mktemp -d)\""]  # fmt: skip
    try:
        ok = subprocess.run(probe, capture_output=True, timeout=10, check=False).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return None
    return prefix if ok else None


NO_MOUNT = (
    "needs a private mount namespace to mount a read-only or tiny file system "
    "(`unshare -m` as root, `unshare -rm` with user namespaces)"
)


# ---- the faults


def _port_in_use(work: Path, setup: Setup, stack: ExitStack) -> str | None:
    sock = stack.enter_context(socket.socket())
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    setup.env["ERRANDS_WEB_PORT"] = str(sock.getsockname()[1])
    return None


def _data_dir_read_only(work: Path, setup: Setup, stack: ExitStack) -> str | None:
    data = Path(setup.env["ERRANDS_DATA_DIR"])
    populate(data)
    data.chmod(0o500)
    stack.callback(data.chmod, 0o700)
    return None


def _data_dir_unwritable_parent(work: Path, setup: Setup, stack: ExitStack) -> str | None:
    parent = work / "locked"
    parent.mkdir()
    parent.chmod(0o500)
    stack.callback(parent.chmod, 0o700)
    setup.env["ERRANDS_DATA_DIR"] = str(parent / "data")
    return None


def _data_dir_is_a_file(work: Path, setup: Setup, stack: ExitStack) -> str | None:
    blocker = work / "not-a-dir"
    blocker.write_text("a file where the data dir should be\n")
    setup.env["ERRANDS_DATA_DIR"] = str(blocker)
    return None


def _database_read_only(work: Path, setup: Setup, stack: ExitStack) -> str | None:
    data = Path(setup.env["ERRANDS_DATA_DIR"])
    populate(data)
    (data / "errands.db").chmod(0o400)
    return None


def _fs_read_only(work: Path, setup: Setup, stack: ExitStack) -> str | None:
    prefix = unshare_prefix()
    if prefix is None:
        return NO_MOUNT
    data = Path(setup.env["ERRANDS_DATA_DIR"])
    populate(data)
    script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
    setup.wrap = [*prefix, "sh", "-c", script, str(data)]
    return None


def _disk_full(size: str, fill: bool) -> Prepare:
    """The data dir on a tmpfs of ``size``: ``fill``ed to the last byte, or just too small for
    the database (the write probe fits, the migrated schema does not)."""

    def prepare(work: Path, setup: Setup, stack: ExitStack) -> str | None:
        prefix = unshare_prefix()
        if prefix is None:
            return NO_MOUNT
        data = Path(setup.env["ERRANDS_DATA_DIR"])
        data.mkdir(parents=True, exist_ok=True)
        filler = '(head -c 4194304 /dev/zero > "$0/filler") 2>/dev/null; ' if fill else ""
        script = f'mount -t tmpfs -o size={size},mode=0700 tmpfs "$0" && {filler}exec "$@"'
        setup.wrap = [*prefix, "sh", "-c", script, str(data)]
        return None

    return prepare


def _dotenv(text: bytes) -> Prepare:
    def prepare(work: Path, setup: Setup, stack: ExitStack) -> str | None:
        (setup.cwd / ".env").write_bytes(text)
        return None

    return prepare


def _env(**values: str) -> Prepare:
    def prepare(work: Path, setup: Setup, stack: ExitStack) -> str | None:
        setup.env.update(values)
        return None

    return prepare


FAULTS: tuple[Fault, ...] = (
    Fault("port-in-use", ("run",), 4, ("port in use", "ERRANDS_WEB_PORT"), _port_in_use),
    Fault("data-dir-read-only", ("run",), 3, ("data dir", "permission denied"),
          _data_dir_read_only),
    Fault("data-dir-parent-read-only", ("run",), 3, ("data dir", "permission denied"),
          _data_dir_unwritable_parent),
    Fault("data-dir-is-a-file", ("run",), 3, ("data dir", "not a directory"),
          _data_dir_is_a_file),
    Fault("database-read-only", ("run",), 3, ("database", "read-only"), _database_read_only),
    Fault("filesystem-read-only", ("run",), 3, ("read-only file system",), _fs_read_only),
    Fault("disk-full", ("run",), 3, ("disk full",), _disk_full("256k", fill=True)),
    Fault("disk-full-database", ("run",), 3, ("disk full", "database"),
          _disk_full("48k", fill=False)),
    Fault("db-upgrade-data-dir-read-only", ("db", "upgrade"), 3, ("data dir", "permission"),
          _data_dir_unwritable_parent),
    Fault("schedules-not-json", ("run",), 2, ("ERRANDS_SCHEDULES", "JSON"),
          _dotenv(b'ERRANDS_SCHEDULES={"outbox": every 30s}\n')),
    Fault("dotenv-not-utf8", ("run",), 2, (".env", "UTF-8"),
          _dotenv(b"ERRANDS_TIMEZONE=Europe/Z\xfcrich\n")),
    Fault("doctor-schedule-run-refuses", ("doctor",), 2, ("ERRANDS_SCHEDULES", "every banana"),
          _env(ERRANDS_SCHEDULES='{"outbox": "every banana"}')),
    Fault("database-url-malformed", ("run",), 2, ("ERRANDS_DATABASE_URL",),
          _env(ERRANDS_DATABASE_URL=f"postgresql://errands:{PASSWORD}@db:port/e?token={SECRET}"),
          secrets=(PASSWORD, SECRET)),
    Fault("database-url-unknown-driver", ("run",), 2, ("ERRANDS_DATABASE_URL", "driver"),
          _env(ERRANDS_DATABASE_URL=f"mysql://errands:{PASSWORD}@db/errands?key={SECRET}"),
          secrets=(PASSWORD, SECRET)),
    Fault("llm-url-with-key", ("run",), 2, ("ERRANDS_LLM_BASE_URL",),
          _env(ERRANDS_LLM_BASE_URL=f"llm.example:8000/v1?api_key={SECRET}"),
          secrets=(SECRET,)),
)  # fmt: skip


# ---- running them


@contextmanager
def _workdir(root: Path, name: str) -> Iterator[Path]:
    work = root / name
    work.mkdir(parents=True)
    try:
        yield work
    finally:
        for path in (work, *work.rglob("*")):  # undo read-only modes so it can be removed
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o700)


def run_fault(fault: Fault, root: Path) -> Outcome:
    """Prepare ``fault`` in its own directory under ``root``, run its command, judge the result."""
    outcome = Outcome(fault=fault.name, tried=False, expected_code=fault.code)
    with _workdir(root, fault.name) as work, ExitStack() as stack:
        setup = Setup(env=base_env(work / "data"), cwd=work)
        reason = fault.prepare(work, setup, stack)
        if reason is not None:
            outcome.reason = reason
            return outcome
        started = time.monotonic()
        proc = subprocess.run(
            [*setup.wrap, *errands(*fault.args)],
            env=setup.env,
            cwd=setup.cwd,
            capture_output=True,
            text=True,
            errors="replace",
            timeout=TIMEOUT,
            check=False,
            preexec_fn=drop_file_override,
        )
        outcome.seconds = round(time.monotonic() - started, 2)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    outcome.tried = True
    outcome.code = proc.returncode
    outcome.lines = len(lines)
    outcome.line = lines[0] if lines else ""
    outcome.traceback = "Traceback" in proc.stderr
    outcome.named = bool(lines) and all(w.lower() in lines[0].lower() for w in fault.words)
    outcome.leaked = [s for s in fault.secrets if s in proc.stdout + proc.stderr]
    return outcome


def run_startup_faults(root: Path, names: list[str] | None = None) -> dict[str, Any]:
    """Every fault (or the named ones) once: tried, one-line rate, exit-code matches."""
    faults = [f for f in FAULTS if names is None or f.name in names]
    outcomes = [run_fault(f, root) for f in faults]
    tried = [o for o in outcomes if o.tried]
    one_line = sum(o.one_line for o in tried)
    return {
        "faults": len(outcomes),
        "tried": len(tried),
        "one_line": one_line,
        "one_line_rate": round(one_line / len(tried), 3) if tried else 0.0,
        "exit_code_right": sum(o.code == o.expected_code for o in tried),
        "passed": sum(o.ok for o in tried),
        "not_tried": {o.fault: o.reason for o in outcomes if not o.tried},
        "results": [asdict(o) | {"ok": o.ok} for o in outcomes],
    }
