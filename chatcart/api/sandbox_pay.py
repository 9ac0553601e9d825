"""The sandbox provider's hosted payment page: the demo's stand-in for a card checkout.
The form post is the provider's callback: idempotent, and safe for unknown tokens."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from chatcart.api.pages import page_lang, render
from chatcart.commerce.content import Workspace
from chatcart.commerce.orders import Order, OrderStatus, PaymentMethod
from chatcart.payments.sandbox import SandboxProvider
from chatcart.services.orders import PaymentResult
from chatcart.services.payments import confirm_payment
from chatcart.services.runtime import Runtime
from chatcart.services.storefront import order_for_payment

router = APIRouter(prefix="/pay/sandbox", tags=["payments"])
_STATUS_CODE = {
    PaymentResult.PAID: 200,
    PaymentResult.ALREADY_PAID: 200,
    PaymentResult.UNKNOWN: 404,
    PaymentResult.NOT_PAYABLE: 409,
}


def _load(request: Request, token: str) -> tuple[Order, Workspace] | None:
    rt: Runtime = request.app.state.runtime
    return order_for_payment(rt, token)


def _sandbox(request: Request) -> SandboxProvider:
    rt: Runtime = request.app.state.runtime
    provider = rt.providers[PaymentMethod.SANDBOX]
    assert isinstance(provider, SandboxProvider)
    return provider


@router.get("/{token}")
def payment_page(request: Request, token: str) -> Response:
    loaded = _load(request, token)
    if loaded is None:
        return render(
            request,
            "pay_result.html",
            page_lang(request, "en"),
            status_code=404,
            result=PaymentResult.UNKNOWN.value,
            order=None,
            workspace=None,
            categories=[],
        )
    order, workspace = loaded
    lang = page_lang(request, workspace.lang)
    payable = order.status is OrderStatus.PENDING_PAYMENT
    return render(
        request,
        "pay.html",
        lang,
        order=order,
        workspace=workspace,
        payable=payable,
        categories=[],
        signature=_sandbox(request).signature(token),
    )


@router.post("/{token}")
async def pay(request: Request, token: str) -> Response:
    """The provider's callback: refused with 401, changing nothing, unless it is signed."""
    form = await request.form()
    signature = str(form.get("signature") or "")
    if not _sandbox(request).verify(token, signature):
        return JSONResponse({"error": "invalid signature"}, status_code=401)
    rt: Runtime = request.app.state.runtime
    result = await run_in_threadpool(confirm_payment, rt, token)
    loaded = await run_in_threadpool(_load, request, token)
    order, workspace = loaded if loaded else (None, None)
    lang = page_lang(request, workspace.lang if workspace else "en")
    return render(
        request,
        "pay_result.html",
        lang,
        status_code=_STATUS_CODE[result],
        result=result.value,
        order=order,
        workspace=workspace,
        categories=[],
    )
