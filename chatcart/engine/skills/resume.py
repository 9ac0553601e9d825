"""Coming back later: the half-finished step, or the cart left waiting, is offered again
with one tap to continue and one to start over; never silently dropped."""

from __future__ import annotations

from chatcart.engine.skills import buying, cart, checkout, discovery, navigation
from chatcart.engine.turn import Turn


def describe_step(turn: Turn) -> str:
    step = turn.state.step or ""
    product = turn.shop.product(turn.state.slots.get("product", ""))
    if step == "buy.variant" and product is not None:
        return turn.tr("choosing a size or colour for {title}", title=product.title_in(turn.lang))
    if step == "buy.quantity" and product is not None:
        return turn.tr("choosing how many {title} to buy", title=product.title_in(turn.lang))
    if step.startswith(checkout.STEP):
        return turn.tr("checking out {count} items", count=turn.cart().item_count)
    return turn.tr("looking for a product")


def worth_offering(turn: Turn) -> bool:
    """Something is waiting: a step in progress or items in the cart."""
    return bool(turn.state.step) or not turn.cart().is_empty


def offer(turn: Turn) -> None:
    """Welcome back with what is waiting, then straight to its next question: the customer
    answers it to go on, or taps Start over."""
    turn.state.resume_offered = True
    fresh_start = [turn.quick("Start over", "RESTART")]
    if turn.state.step and not turn.state.step.startswith(checkout.STEP):
        turn.say("Welcome back! Last time you were {doing}.", fresh_start, doing=describe_step(turn))
        resume(turn)
        return
    if not turn.state.step:
        turn.say(
            "Welcome back! Your cart still has {items}. Shall we check out?",
            [turn.quick("Check out", "RESUME"), turn.button("cart"), *fresh_start],
            items=cart.items_text(turn, turn.cart()),
        )
        return
    turn.say(
        "Welcome back! Your cart still has {items}. Let's finish your order:",
        fresh_start,
        items=cart.items_text(turn, turn.cart()),
    )
    resume(turn)


def resume(turn: Turn) -> None:
    step = turn.state.step or ""
    product = turn.shop.product(turn.state.slots.get("product", ""))
    if step.startswith("buy.") and product is not None:
        buying.ask_next_choice(turn, product)
    elif step.startswith(checkout.STEP) or (not step and not turn.cart().is_empty):
        checkout.start(turn)
    elif step == "search.query":
        discovery.ask_search(turn)
    else:
        navigation.menu(turn)


def restart(turn: Turn) -> None:
    """Start over means from scratch: no step, no cart, nothing remembered for this purchase."""
    turn.state.finish()
    if not turn.cart().is_empty:
        cart.clear(turn)
        return
    turn.state.wants = {}
    navigation.menu(turn)
