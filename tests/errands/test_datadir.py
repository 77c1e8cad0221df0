"""The data dir is its owner's alone and proven writable before use."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from errands.datadir import prepare_data_dir
from store.errors import StoreUnavailable


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_data_dir_is_0700_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        prepare_data_dir(tmp_path / "a" / "data")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "a" / "data") == 0o700
    assert list((tmp_path / "a" / "data").iterdir()) == []  # the write probe is gone


def test_world_readable_files_of_an_older_install_are_tightened(tmp_path: Path) -> None:
    for name in ("errands.db", "errands.db-wal", "graphs.db", "secret_key", "notes.txt"):
        (tmp_path / name).write_text("x")
        (tmp_path / name).chmod(0o644)
    prepare_data_dir(tmp_path)
    for name in ("errands.db", "errands.db-wal", "graphs.db", "secret_key"):
        assert _mode(tmp_path / name) == 0o600, name
    assert _mode(tmp_path / "notes.txt") == 0o644  # not errands' file: left alone


def test_a_file_in_the_way_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a directory")
    with pytest.raises(StoreUnavailable) as info:
        prepare_data_dir(blocker)
    assert info.value.user_message.startswith(f"cannot write the data dir {blocker}: ")
    assert "not a directory" in info.value.user_message
