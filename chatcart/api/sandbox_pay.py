"""The sandbox provider's hosted payment page: the demo's stand-in for a card checkout.
The form post is the provider's callback: signed over the token, amount and currency,
checked against the order's total, idempotent, and safe for unknown tokens. Neither the
page nor the callback exists where the deployment offers no sandbox (production)."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from chatcart.api.pages import order_page_lang, page_lang, render
from chatcart.commerce.orders import PaymentMethod
from chatcart.core.money import Money, MoneyError
from chatcart.payments.sandbox import SandboxProvider
from chatcart.services.orders import PaymentResult, payment_refusal
from chatcart.services.payments import confirm_payment
from chatcart.services.runtime import Runtime
from chatcart.services.storefront import OrderView, order_for_payment

router = APIRouter(prefix="/pay/sandbox", tags=["payments"])
_STATUS_CODE = {
    PaymentResult.PAID: 200,
    PaymentResult.ALREADY_PAID: 200,
    PaymentResult.UNKNOWN: 404,
    PaymentResult.NOT_PAYABLE: 409,
    PaymentResult.HELD: 409,
    PaymentResult.WRONG_AMOUNT: 409,
}


def _sandbox(request: Request) -> SandboxProvider | None:
    rt: Runtime = request.app.state.runtime
    provider = rt.providers.get(PaymentMethod.SANDBOX)
    return provider if isinstance(provider, SandboxProvider) else None


def _load(request: Request, token: str) -> OrderView | None:
    """The order this sandbox link pays, if the link is one: another method's order (a bank
    transfer) is not paid by card here."""
    rt: Runtime = request.app.state.runtime
    view = order_for_payment(rt, token)
    return view if view is not None and view.order.payment_method is PaymentMethod.SANDBOX else None


def _result_page(request: Request, result: PaymentResult, view: OrderView | None) -> Response:
    lang = order_page_lang(request, view.lang) if view else page_lang(request, "en")
    return render(
        request,
        "pay_result.html",
        lang,
        status_code=_STATUS_CODE[result],
        result=result.value,
        order=view.order if view else None,
        workspace=view.workspace if view else None,
        categories=[],
    )


@router.get("/{token}")
def payment_page(request: Request, token: str) -> Response:
    provider, view = _sandbox(request), _load(request, token)
    if provider is None or view is None:
        return _result_page(request, PaymentResult.UNKNOWN, None)
    refusal = payment_refusal(view.order)
    if refusal is PaymentResult.HELD:
        return _result_page(request, refusal, view)
    return render(
        request,
        "pay.html",
        order_page_lang(request, view.lang),
        order=view.order,
        workspace=view.workspace,
        payable=refusal is None,
        categories=[],
        callback=provider.callback_form(view.order),
    )


@router.post("/{token}")
async def pay(request: Request, token: str) -> Response:
    """The provider's callback: 401 unless signed, 400 unless it names an amount, 409 if
    the amount is not the order's total or a person holds the order; nothing changes then."""
    provider = _sandbox(request)
    if provider is None:
        return _result_page(request, PaymentResult.UNKNOWN, None)
    form = await request.form()
    amount, currency, signature = (_field(form, name) for name in ("amount", "currency", "signature"))
    if not provider.verify(token, amount, currency, signature):
        return JSONResponse({"error": "invalid signature"}, status_code=401)
    try:
        paid = Money.of(amount, currency)
    except MoneyError:
        return JSONResponse({"error": "invalid amount or currency"}, status_code=400)
    view = await run_in_threadpool(_load, request, token)
    if view is None:
        return _result_page(request, PaymentResult.UNKNOWN, None)
    rt: Runtime = request.app.state.runtime
    result = await run_in_threadpool(confirm_payment, rt, token, paid)
    after = await run_in_threadpool(_load, request, token)
    return _result_page(request, result, after)


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""
