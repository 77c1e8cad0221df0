"""Static checks of deploy/: the Compose file's shape and that .env.example lists every setting.

No Docker engine is needed (none is available on CI); compose.yaml is only parsed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from errands.settings import Settings

yaml = pytest.importorskip("yaml", reason="PyYAML is needed to parse deploy/compose.yaml")

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
INTERPOLATION = re.compile(r"\$\{([A-Z0-9_]+)(?::?-([^{}]*(?:\$\{[^}]*\}[^{}]*)?))?\}")


def _default(value: str) -> str:
    """Resolve ``${VAR:-default}`` (nested too) the way Compose does when VAR is unset."""
    previous = None
    while previous != value:
        previous = value
        value = INTERPOLATION.sub(lambda m: m.group(2) or "", value)
    return value


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    services = compose["services"]
    assert set(services) == {"llm", "stt", "postgres", "errands"}
    return dict(services)


MODEL = "Qwen/Qwen3-8B"


def test_llm_service_runs_a_pinned_vllm_serve_with_the_model_positional(
    services: dict[str, Any],
) -> None:
    llm = services["llm"]
    assert re.fullmatch(r"vllm/vllm-openai:v\d+\.\d+\.\d+", _default(llm["image"]))
    assert llm["entrypoint"] == ["vllm", "serve"]
    command = [_default(str(part)) for part in llm["command"]]
    assert command[0] == MODEL and "--model" not in command
    assert command[command.index("--port") + 1] == "8000"
    assert any(_default(p).endswith("8000:8000") for p in llm["ports"])


def test_llm_service_parses_tool_calls_and_keeps_thinking_out_of_answers(
    services: dict[str, Any],
) -> None:
    command = [_default(str(part)) for part in services["llm"]["command"]]
    assert "--enable-auto-tool-choice" in command
    assert command[command.index("--tool-call-parser") + 1] == "hermes"
    assert command[command.index("--reasoning-parser") + 1] == "qwen3"
    kwargs = command[command.index("--default-chat-template-kwargs") + 1]
    assert json.loads(kwargs) == {"enable_thinking": False}


def test_stt_service_is_optional_whisper_on_vllm_with_its_audio_extra(
    services: dict[str, Any],
) -> None:
    stt = services["stt"]
    assert stt["profiles"] == ["stt"]  # `docker compose up` alone does not start it
    assert stt["entrypoint"] == ["vllm", "serve"]
    command = [_default(str(part)) for part in stt["command"]]
    assert command[0] == "openai/whisper-large-v3-turbo"
    assert command[command.index("--port") + 1] == "8000"
    assert "stt" not in services["errands"]["depends_on"]  # errands runs without it
    dockerfile = (DEPLOY / stt["build"]["dockerfile"]).read_text()
    assert "FROM vllm/vllm-openai:${VLLM_TAG}" in dockerfile and "librosa" in dockerfile
    assert (
        _default(stt["build"]["args"]["VLLM_TAG"])
        == _default(services["llm"]["image"]).split(":")[1]
    )
    env = {key: _default(str(value)) for key, value in services["errands"]["environment"].items()}
    assert env["ERRANDS_STT_MODEL"] == command[0]


def test_env_example_names_the_compose_defaults() -> None:
    text = (DEPLOY / ".env.example").read_text()
    assert re.search(rf"^LLM_MODEL={re.escape(MODEL)}$", text, re.MULTILINE)
    tag = re.search(r"VLLM_TAG=(\S+)", text)
    compose = (DEPLOY / "compose.yaml").read_text()
    assert tag and f"${{VLLM_TAG:-{tag.group(1)}}}" in compose


def test_llm_service_reserves_an_nvidia_gpu(services: dict[str, Any]) -> None:
    devices = services["llm"]["deploy"]["resources"]["reservations"]["devices"]
    assert len(devices) == 1
    assert devices[0]["driver"] == "nvidia"
    assert devices[0]["capabilities"] == ["gpu"]


def test_llm_service_has_a_health_check_and_a_model_cache(
    compose: dict[str, Any], services: dict[str, Any]
) -> None:
    llm = services["llm"]
    check = llm["healthcheck"]
    assert check["test"][0] == "CMD"
    assert any("/health" in part for part in check["test"])
    assert check["start_period"]
    cache = [v for v in llm["volumes"] if v.endswith(":/root/.cache/huggingface")]
    assert cache, llm["volumes"]
    assert cache[0].split(":")[0] in compose["volumes"]


def test_errands_service_waits_for_a_healthy_llm(
    compose: dict[str, Any], services: dict[str, Any]
) -> None:
    app = services["errands"]
    assert app["build"]["dockerfile"] == "deploy/Dockerfile"
    assert (DEPLOY / app["build"]["context"] / app["build"]["dockerfile"]).is_file()
    assert app["depends_on"]["llm"] == {"condition": "service_healthy"}
    assert app["env_file"] == ".env"
    env = {key: _default(str(value)) for key, value in app["environment"].items()}
    assert env["ERRANDS_LLM_BASE_URL"] == "http://llm:8000/v1"
    assert env["ERRANDS_LLM_MODEL"] == MODEL
    assert env["ERRANDS_DATA_DIR"] == "/data"
    assert "8080:8080" in app["ports"]
    data = [v for v in app["volumes"] if v.endswith(":/data")]
    assert data and data[0].split(":")[0] in compose["volumes"]


def test_every_environment_name_is_a_setting(services: dict[str, Any]) -> None:
    fields = {f"ERRANDS_{name.upper()}" for name in Settings.model_fields}
    names = {k for k in services["errands"]["environment"] if k.startswith("ERRANDS_")}
    assert names <= fields, names - fields


def _env_example_names() -> dict[str, bool]:
    """Variable names in .env.example -> whether the line is active (not commented out)."""
    names: dict[str, bool] = {}
    for line in (DEPLOY / ".env.example").read_text().splitlines():
        match = re.fullmatch(r"(#\s*)?([A-Z][A-Z0-9_]*)=(.*)", line.strip())
        if match:
            names[match.group(2)] = match.group(1) is None
    return names


def test_env_example_lists_every_setting() -> None:
    names = _env_example_names()
    fields = {f"ERRANDS_{name.upper()}" for name in Settings.model_fields}
    assert fields - set(names) == set(), "missing from deploy/.env.example"
    assert {n for n in names if n.startswith("ERRANDS_")} - fields == set(), "not a setting"


def test_env_example_secrets_are_blank_and_loads_as_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [n for n in os.environ if n.startswith("ERRANDS_")]:
        monkeypatch.delenv(name)
    text = (DEPLOY / ".env.example").read_text()
    secrets = [
        f"ERRANDS_{name.upper()}"
        for name, field in Settings.model_fields.items()
        if "SecretStr" in str(field.annotation)
    ]
    assert secrets
    for name in secrets:
        assert re.search(rf"^{name}=$", text, re.MULTILINE), f"{name} must be present and blank"
    # The file as shipped is a valid configuration (no empty non-secret values).
    settings = Settings(_env_file=DEPLOY / ".env.example", data_dir=tmp_path)
    assert settings.llm_base_url == "http://127.0.0.1:8000/v1"
    assert settings.smtp_port == 587


def test_dockerfile_installs_locked_and_runs_errands() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    assert text.startswith("#") and "FROM python:3.11-slim" in text
    assert "uv sync --locked --no-dev" in text
    assert 'CMD ["errands", "run"]' in text


def test_systemd_unit_runs_errands_unprivileged() -> None:
    lines = (DEPLOY / "errands.service").read_text().splitlines()
    keys: dict[str, list[str]] = {}
    for line in lines:
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            keys.setdefault(key, []).append(value)
    assert keys["ExecStart"] == ["/opt/errands/.venv/bin/errands run"]
    assert keys["User"] == ["errands"]
    assert keys["Restart"] == ["on-failure"]
    # Configuration (2) and store/file-system (3) errors stop for good; a busy port (4) retries.
    assert keys["RestartPreventExitStatus"] == ["2 3"]
    assert keys["EnvironmentFile"]
    for hardening in ("NoNewPrivileges", "ProtectSystem", "PrivateTmp", "CapabilityBoundingSet"):
        assert hardening in keys


def test_dockerfile_installs_the_extras_compose_names() -> None:
    """IMAGE_EXTRAS="stt embed" becomes `--extra stt --extra embed` on both uv syncs."""
    text = (DEPLOY / "Dockerfile").read_text()
    assert 'ARG IMAGE_EXTRAS=""' in text
    lines = text.splitlines()
    flags = [
        line.strip()
        for i, line in enumerate(lines)
        if line.strip().startswith("$(for extra in $IMAGE_EXTRAS")
        and "uv sync --locked --no-dev" in lines[i - 1]
    ]
    assert len(flags) == 2
    for wanted, extras in (("--extra stt --extra embed", "stt embed"), ("", "")):
        shown = subprocess.run(
            ["sh", "-c", f"echo {flags[0]}"],
            env={"IMAGE_EXTRAS": extras, "PATH": os.environ["PATH"]},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert shown == wanted
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    args = compose["services"]["errands"]["build"]["args"]
    assert args["IMAGE_EXTRAS"] == "${IMAGE_EXTRAS:-}"


def test_postgres_is_an_optional_profile_the_app_waits_for(services: dict[str, Any]) -> None:
    """`docker compose up` alone keeps SQLite; `--profile postgres` adds a healthy server first."""
    pg = services["postgres"]
    assert pg["profiles"] == ["postgres"]
    assert pg["image"].startswith("postgres:${POSTGRES_TAG:-16")
    assert pg["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    assert pg["volumes"][0].startswith("pg-data:")
    wait = services["errands"]["depends_on"]["postgres"]
    assert wait == {"condition": "service_healthy", "required": False}
    env_example = (DEPLOY / ".env.example").read_text()
    assert re.search(r"^POSTGRES_PASSWORD=$", env_example, re.MULTILINE)


def test_dockerfile_always_has_the_postgres_driver() -> None:
    syncs = [line for line in (DEPLOY / "Dockerfile").read_text().splitlines() if "uv sync" in line]
    assert len(syncs) == 2
    assert all("--extra postgres" in line for line in syncs)
