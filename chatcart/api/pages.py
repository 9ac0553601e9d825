"""Server-rendered pages share this: Jinja2 templates with the translation catalogue and
the visitor's language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import Response

from chatcart.core.money import Money
from chatcart.core.text import pick
from chatcart.i18n.catalogue import Translator, normalise_lang, supported_lang

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parents[1] / "web" / "templates")


def page_lang(request: Request, default: str) -> str:
    """?lang= wins, then the browser's first language we speak, then the shop's."""
    asked = supported_lang(request.query_params.get("lang"))
    if asked:
        return asked
    for part in request.headers.get("accept-language", "").split(","):
        accepted = supported_lang(part.split(";")[0])
        if accepted:
            return accepted
    return normalise_lang(default)


def order_page_lang(request: Request, conversation_lang: str) -> str:
    """An order's pages (payment, tracking) speak the conversation's language: the link was
    opened from the chat, and the browser's language is often not the one the customer
    chose there. An explicit ?lang= still wins."""
    return supported_lang(request.query_params.get("lang")) or normalise_lang(conversation_lang)


def render(request: Request, template: str, lang: str, status_code: int = 200, **context: Any) -> Response:
    tr = Translator(lang)
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {
            "tr": tr,
            "lang": lang,
            "pick": lambda text: pick(text, lang),
            "money": lambda m: _money(m, lang),
            "in_lang": lambda other: _same_page_in(request, other),
            **context,
        },
        status_code=status_code,
    )


def _same_page_in(request: Request, lang: str) -> str:
    """This page's query in another language, keeping the rest (a tracking page's `t=`)."""
    return "?" + str(request.query_params.__class__({**request.query_params, "lang": lang}))


def _money(value: Money, lang: str) -> str:
    return value.format(lang)
