"""Welcome, menu, language and the small talk that keeps a chat polite."""

from __future__ import annotations

from chatcart.core.text import pick
from chatcart.engine.cards import show_products
from chatcart.engine.turn import Turn
from chatcart.i18n.catalogue import normalise_lang
from chatcart.messaging.outbound import text


def welcome(turn: Turn, context_product: str = "") -> None:
    """At most three messages, ending with navigation, never with an open question; opened
    from a product page, the product itself replaces the first greeting."""
    shop_name = pick(turn.shop.workspace.name, turn.lang)
    specs = turn.flows.welcome
    product = turn.shop.product(context_product) if context_product else None
    if product is not None and len(specs) >= 3:
        specs = specs[1:]
    for spec in specs:
        turn.send(text(turn.tr(spec.text, shop=shop_name), turn.buttons_named(*spec.quick_replies)))
    if product is not None:
        show_products(turn, [product], turn.buttons_named(*specs[-1].quick_replies))
    turn.state.welcomed = True


def menu(turn: Turn) -> None:
    turn.say(turn.flows.menu.text, turn.menu_replies())


def greet(turn: Turn) -> None:
    if not turn.state.welcomed:
        welcome(turn)
        return
    turn.say("Hi again! How can I help?", turn.menu_replies())


def thanks(turn: Turn) -> None:
    turn.say("You're welcome! Anything else?", turn.menu_replies())


def cancel(turn: Turn) -> None:
    if turn.state.step:
        turn.state.finish()
        turn.say("OK, I've stopped that. What would you like to do?", turn.menu_replies())
        return
    menu(turn)


def change_language(turn: Turn, lang: str) -> None:
    """The customer's explicit choice wins over detection from then on."""
    chosen = normalise_lang(lang)
    turn.update_contact(lang=chosen, lang_chosen=True)
    turn.tr.lang = chosen
    turn.say("OK, I'll continue in English.", None if turn.state.step else turn.menu_replies())
