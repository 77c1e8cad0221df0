"""``errands bench stt``: its error rates, and the command against a fake transcription server."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator

import pytest

from bench import stt_audio
from bench.stt import PHRASES, edit_distance, error_rate, tokens
from tests.conftest import ERRANDS
from tests.fakes.processes import ROOT
from tests.fakes.stt_server import FakeSTT


def test_words_for_english_characters_for_chinese() -> None:
    assert tokens("Call Mom at nine, OK?", "en") == ["call", "mom", "at", "9", "ok"]
    assert tokens("明天，买牛奶！", "zh") == ["明", "天", "买", "牛", "奶"]
    assert edit_distance(["a", "b", "c"], ["a", "x", "c", "d"]) == 2
    assert error_rate([("buy milk", "by milk."), ("call mom", "call mom")], "en") == 0.25
    assert error_rate([("买牛奶", "买牛奶")], "zh") == 0.0
    assert error_rate([("明天", "")], "zh") == 1.0


@pytest.fixture
def fake() -> Iterator[FakeSTT]:
    with FakeSTT(text="Remind me to call the bank tomorrow morning") as server:
        yield server


@pytest.mark.slow
@pytest.mark.subprocess
def test_the_command_measures_the_endpoint_and_says_why_the_cpu_is_skipped(
    fake: FakeSTT, cli_env: dict[str, str]
) -> None:
    absent = stt_audio.missing()
    if absent:
        pytest.skip(f"needs {', '.join(absent)} to synthesize the phrases")
    env = {**cli_env, "ERRANDS_STT_BASE_URL": fake.base_url, "ERRANDS_STT_MODEL": "whisper-test"}
    env["ERRANDS_STT_EMBEDDED"] = "false"
    out = subprocess.run(
        [*ERRANDS, "bench", "stt", "--json"], env=env, cwd=ROOT, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["cpu"] == {"skipped": "ERRANDS_STT_EMBEDDED=false"}
    endpoint = report["endpoint"]
    assert endpoint["engine"] == f"endpoint {fake.base_url} (whisper-test)"
    assert report["phrases"] == {"en": 6, "zh": 6} and len(fake.received) == 1 + 2 * len(PHRASES)
    forced = endpoint["forced"]
    assert forced["failures"] == 0 and forced["rtf"] > 0
    # the fake hears the first phrase every time: that phrase is right, the rest are wrong,
    # and for 中文 every letter it "heard" is a wrong character (more edits than characters)
    assert forced["heard"][0]["heard"] == forced["heard"][0]["said"]
    assert 0 < forced["wer_en"] < 1 and forced["cer_zh"] > 1
    assert {r.fields.get("language") for r in fake.received[1:]} == {None, "en", "zh"}
