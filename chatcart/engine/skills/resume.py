"""Coming back later: the half-finished step is offered again, never silently dropped."""

from __future__ import annotations

from chatcart.engine.skills import buying, checkout, discovery, navigation
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


def offer(turn: Turn) -> None:
    turn.state.resume_offered = True
    turn.say(
        "Welcome back! Last time you were {doing}. Shall we continue?",
        [turn.quick("Continue", "RESUME"), turn.quick("Start over", "RESTART"), turn.button("human")],
        doing=describe_step(turn),
    )


def resume(turn: Turn) -> None:
    step = turn.state.step or ""
    product = turn.shop.product(turn.state.slots.get("product", ""))
    if step == "buy.variant" and product is not None:
        buying.ask_next_choice(turn, product)
    elif step == "buy.quantity" and product is not None:
        buying.ask_quantity(turn, product, turn.state.slots["sku"])
    elif step.startswith(checkout.STEP):
        checkout.start(turn)
    elif step == "search.query":
        discovery.ask_search(turn)
    else:
        navigation.menu(turn)


def restart(turn: Turn) -> None:
    turn.state.finish()
    navigation.menu(turn)
