"""The channels this server speaks. A new platform is one folder here, with its router
added to this list (LINE, WhatsApp, Messenger, Instagram and Telegram follow the web chat)."""

from __future__ import annotations

from fastapi import APIRouter

from chatcart.channels.webchat.routes import router as webchat_router

CHANNEL_ROUTERS: tuple[APIRouter, ...] = (webchat_router,)
