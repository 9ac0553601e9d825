"""The shop's own pages: home, category, product (every product has its URL, the bot's
Details button lands there) and order tracking. The chat widget is on every page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from chatcart.api.pages import order_page_lang, page_lang, render
from chatcart.commerce.catalog import Category, Product
from chatcart.commerce.content import Workspace
from chatcart.engine.skills.orders import status_label
from chatcart.services.runtime import Runtime
from chatcart.services.storefront import shop_catalog, tracked_order
from chatcart.settings import Settings

router = APIRouter(tags=["storefront"])


def _shop(request: Request, workspace_id: str) -> tuple[Workspace, list[Category], list[Product]] | None:
    rt: Runtime = request.app.state.runtime
    found = shop_catalog(rt, workspace_id)
    if found is None:
        return None
    workspace, catalog = found
    return workspace, list(catalog.categories), list(catalog.products)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _not_found(request: Request, lang: str) -> Response:
    return render(request, "not_found.html", lang, status_code=404, workspace=None, categories=[])


def _context(
    workspace: Workspace, categories: Sequence[Category], products: Sequence[Product], request: Request
) -> dict[str, Any]:
    used = {p.category_id for p in products}
    return {
        "workspace": workspace,
        "categories": [c for c in categories if c.id in used],
        "invite_after": _settings(request).invite_after_seconds,
    }


@router.get("/")
def home_default(request: Request) -> Response:
    return home(request, _settings(request).default_workspace)


@router.get("/shop/{workspace_id}/")
def home(request: Request, workspace_id: str) -> Response:
    shop = _shop(request, workspace_id)
    if shop is None:
        return _not_found(request, page_lang(request, "en"))
    workspace, categories, products = shop
    lang = page_lang(request, workspace.lang)
    return render(
        request, "home.html", lang, products=products, **_context(workspace, categories, products, request)
    )


@router.get("/shop/{workspace_id}/c/{category_id}")
def category(request: Request, workspace_id: str, category_id: str) -> Response:
    shop = _shop(request, workspace_id)
    found = next((c for c in shop[1] if c.id == category_id), None) if shop else None
    if shop is None or found is None:
        return _not_found(request, page_lang(request, shop[0].lang if shop else "en"))
    workspace, categories, products = shop
    lang = page_lang(request, workspace.lang)
    listed = [p for p in products if p.category_id == category_id]
    return render(
        request,
        "category.html",
        lang,
        category=found,
        products=listed,
        **_context(workspace, categories, products, request),
    )


@router.get("/shop/{workspace_id}/p/{product_id}")
def product(request: Request, workspace_id: str, product_id: str) -> Response:
    shop = _shop(request, workspace_id)
    found = next((p for p in shop[2] if p.id == product_id), None) if shop else None
    if shop is None or found is None:
        return _not_found(request, page_lang(request, shop[0].lang if shop else "en"))
    workspace, categories, products = shop
    lang = page_lang(request, workspace.lang)
    return render(
        request, "product.html", lang, product=found, **_context(workspace, categories, products, request)
    )


@router.get("/shop/{workspace_id}/orders/{number}")
def order_page(request: Request, workspace_id: str, number: str, t: str = "") -> Response:
    """Tracking for whoever holds the tracking link's token, in the conversation's language;
    nobody can browse others' orders, and the page cannot pay (no payment token on it)."""
    rt: Runtime = request.app.state.runtime
    workspace, view = tracked_order(rt, workspace_id, number, t)
    if view is None:
        return _not_found(request, page_lang(request, workspace.lang if workspace else "en"))
    return render(
        request,
        "order.html",
        order_page_lang(request, view.lang),
        workspace=view.workspace,
        categories=[],
        order=view.order,
        status_label=status_label(view.order),
        invite_after=0,
    )
