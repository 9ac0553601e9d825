"""The web application: health, channels, storefront and payment pages on one server."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from chatcart.api import sandbox_pay, storefront
from chatcart.api.security import SecurityHeaders
from chatcart.channels.registry import CHANNEL_ROUTERS
from chatcart.channels.webchat.session import SessionLimiter
from chatcart.demo.loader import IMAGES_DIR, IMAGES_URL
from chatcart.jobs.runner import run_forever
from chatcart.nlu import language as nlu_language
from chatcart.nlu import text as nlu_text
from chatcart.services.catalogs import warm_catalogs
from chatcart.services.fanout import RedisNotifier
from chatcart.services.runtime import Runtime
from chatcart.settings import Settings

WEB_DIR = Path(__file__).resolve().parents[1] / "web"


def _warm_understander(rt: Runtime) -> None:
    """A trained understander trains at start-up rather than on the first customer."""
    warm_up = getattr(rt.engine.understander, "warm_up", None)
    if callable(warm_up):
        warm_up()


def create_app(rt: Runtime, settings: Settings, run_jobs: bool = True) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await asyncio.to_thread(nlu_text.warm_up)
        await asyncio.to_thread(nlu_language.warm_up)
        await asyncio.to_thread(_warm_understander, rt)
        await asyncio.to_thread(warm_catalogs, rt.db, rt.catalogs)
        tasks = [asyncio.create_task(run_forever(rt))] if run_jobs else []
        if isinstance(rt.notifier, RedisNotifier):
            rt.notifier.check()
            listening = asyncio.Event()
            tasks.append(asyncio.create_task(rt.notifier.listen(listening)))
            await asyncio.wait_for(listening.wait(), timeout=10)
        yield
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # The API explorer loads its scripts from a CDN: only in development mode.
    explorer = settings.development
    app = FastAPI(
        title="chatcart",
        lifespan=lifespan,
        docs_url="/docs" if explorer else None,
        redoc_url="/redoc" if explorer else None,
        openapi_url="/openapi.json" if explorer else None,
    )
    app.add_middleware(SecurityHeaders)
    app.state.runtime = rt
    app.state.settings = settings
    app.state.webchat_sessions = SessionLimiter(settings.webchat_session_rate)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        """Ready when the database answers."""
        with rt.db.transaction() as session:
            session.execute(text("SELECT 1"))
        return {"status": "ok"}

    for router in CHANNEL_ROUTERS:
        app.include_router(router)
    app.include_router(sandbox_pay.router)
    app.include_router(storefront.router)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    app.mount(IMAGES_URL, StaticFiles(directory=IMAGES_DIR), name="demo-images")
    return app
