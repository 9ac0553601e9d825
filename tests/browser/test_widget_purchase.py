"""The chat widget in a real browser against a real server: the issue's acceptance path
(storefront -> invitation -> search -> cart -> checkout -> sandbox payment -> confirmation
pushed over the WebSocket), reconnect with outbox replay, and the mobile layout."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect
from sqlalchemy import select

from chatcart.channels.webchat.frames import CHANNEL
from chatcart.messaging.inbound import Identity
from chatcart.storage.contacts import find_contact_id
from chatcart.storage.conversations import messages_after
from chatcart.storage.orders import order_by
from chatcart.storage.tables import InboxRow

from .conftest import LiveServer, NetworkLink

pytestmark = pytest.mark.browser

WAIT_MS = 15_000
ORDER_NUMBER = re.compile(r"\bCC-[A-Z0-9]{4}-[A-Z0-9]{4}\b")
# A product of the demo shop (chatcart/demo/shop.yaml) with a single variant in stock.
PRODUCT_ID = "TEA-008"
PRODUCT_TITLE = "Cold Brew Oolong Tea Bags"
OOLONGS = ["Alishan High Mountain Oolong Tea", "Dong Ding Roasted Oolong Tea", PRODUCT_TITLE]


T = TypeVar("T")


def wait_for(page: Page, probe: Callable[[], T | None], timeout_s: float = WAIT_MS / 1000) -> T:
    """Polls `probe` until it returns something truthy, for state outside the page (the
    database, recorded frames). It waits with the page's timer, not time.sleep, so that
    Playwright keeps delivering events (like `framesent`) to Python meanwhile."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s}s waiting for {probe}")
        page.wait_for_timeout(50)


def inbox_processed(live_server: LiveServer, frame_id: str) -> bool:
    with live_server.rt.db.transaction() as session:
        row = session.scalar(
            # The inbox keys a web chat frame by its sender too: `<visitor>:<frame id>`.
            select(InboxRow).where(InboxRow.channel == CHANNEL, InboxRow.event_id.endswith(f":{frame_id}"))
        )
        return row is not None and row.processed_at is not None


def history(live_server: LiveServer, visitor: str) -> list[tuple[str, dict[str, Any]]]:
    """The visitor's whole conversation as stored on the server."""
    with live_server.rt.db.transaction() as session:
        contact_id = find_contact_id(session, "demo", Identity(channel=CHANNEL, external_id=visitor))
        assert contact_id is not None
        return [(m.direction, m.body) for m in messages_after(session, "demo", contact_id, 0)]


def _exact(text: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


def bot_messages(page: Page) -> Locator:
    return page.locator("[data-testid=chatcart-msg][data-direction=out]")


def customer_messages(page: Page) -> Locator:
    return page.locator("[data-testid=chatcart-msg][data-direction=in]")


def expect_bot_says(page: Page, text: str | re.Pattern[str]) -> Locator:
    """The newest bot message containing `text`, once it is on screen."""
    found = bot_messages(page).filter(has_text=text).last
    expect(found).to_be_visible(timeout=WAIT_MS)
    return found


def tap_quick_reply(page: Page, title: str) -> None:
    chip = page.get_by_test_id("chatcart-quick-reply").filter(has_text=_exact(title))
    expect(chip).to_have_count(1, timeout=WAIT_MS)
    chip.click()


def tap_button(scope: Locator, title: str) -> None:
    button = scope.get_by_test_id("chatcart-button").filter(has_text=_exact(title))
    expect(button).to_be_visible(timeout=WAIT_MS)
    button.click()


def type_message(page: Page, text: str) -> None:
    box = page.get_by_test_id("chatcart-input")
    box.fill(text)
    box.press("Enter")
    # The customer's text comes back as the server's echo ("in" bubble).
    expect(customer_messages(page).filter(has_text=_exact(text)).last).to_be_visible(timeout=WAIT_MS)


def open_chat(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_test_id("chatcart-launcher").click()
    expect(page.get_by_test_id("chatcart-panel")).to_be_visible(timeout=WAIT_MS)
    expect_bot_says(page, "Hi, welcome to Island Select!")


def test_purchase_from_storefront_to_paid_order(page: Page, live_server: LiveServer) -> None:
    # The storefront lists the demo products.
    page.goto(live_server.url("/?lang=en"))
    tiles = page.locator("li.tile")
    expect(tiles.first).to_be_visible(timeout=WAIT_MS)
    assert tiles.count() >= 10
    tile = page.locator(f"li.tile[data-product-id='{PRODUCT_ID}']")
    expect(tile.locator(".name")).to_have_text(PRODUCT_TITLE)
    expect(tile.locator(".price")).to_have_text(re.compile(r"NT\$\s?320"))

    # A product page: after invite_after_seconds the proactive invitation appears.
    tile.locator("a").click()
    expect(page.locator("article.product h1")).to_have_text(PRODUCT_TITLE, timeout=WAIT_MS)
    assert page.url.endswith(f"/shop/demo/p/{PRODUCT_ID}?lang=en")
    panel = page.get_by_test_id("chatcart-panel")
    expect(panel).to_be_hidden()
    invite = page.get_by_test_id("chatcart-invite")
    expect(invite).to_be_visible(timeout=WAIT_MS)
    expect(invite).to_contain_text("Chat with us")
    invite.locator(".invite-text").click()
    expect(panel).to_be_visible(timeout=WAIT_MS)
    expect(invite).to_be_hidden()

    # The welcome, with its quick replies.
    expect_bot_says(page, "Hi, welcome to Island Select!")
    expect_bot_says(page, "I can help you find a product")
    chips = page.get_by_test_id("chatcart-quick-reply")
    expect(chips).to_have_text(["Browse products", "Search", "My orders", "FAQ", "Talk to a person"])

    # Search, then Buy from the product card.
    type_message(page, "cold brew oolong")
    card = page.locator(f"[data-testid=chatcart-card][data-product-id='{PRODUCT_ID}']").last
    expect(card).to_be_visible(timeout=WAIT_MS)
    expect(card).to_contain_text(PRODUCT_TITLE)
    expect(card.locator(".card-price")).to_contain_text("320")
    card.get_by_test_id("chatcart-card-button").filter(has_text=_exact("Buy")).click()

    # A single variant: one is added at once, and checkout follows.
    added = expect_bot_says(page, "Added 1 ×")
    expect(added).to_contain_text("to your cart")

    # The checkout questions (chatcart/engine/flows/default.yaml).
    expect_bot_says(page, "How would you like to receive your order?")
    tap_quick_reply(page, "7-ELEVEN store pickup")
    expect_bot_says(page, "Which 7-ELEVEN store should we send it to?")
    type_message(page, "Xinyi Store")
    expect_bot_says(page, "Who will receive the parcel?")
    type_message(page, "Lin Mei-Ling 0912345678")
    expect_bot_says(page, "How would you like to pay?")
    tap_quick_reply(page, "Card (secure payment page)")

    summary = expect_bot_says(page, "Please check your order:")
    expect(summary).to_contain_text(f"{PRODUCT_TITLE}")
    expect(summary).to_contain_text("Lin Mei-Ling")
    expect(summary).to_contain_text("7-ELEVEN Xinyi Store")
    expect(summary).to_contain_text("Card (secure payment page)")
    tap_button(summary, "Confirm order")

    placed = expect_bot_says(page, re.compile(r"Order CC-\S+ is placed"))
    match = ORDER_NUMBER.search(placed.inner_text())
    assert match, f"no order number in {placed.inner_text()!r}"
    number = match.group(0)

    pay_link = page.get_by_test_id("chatcart-button").filter(has_text=_exact("Pay now")).last
    expect(pay_link).to_be_visible(timeout=WAIT_MS)
    href = pay_link.get_attribute("href")
    assert href is not None and href.startswith(f"{live_server.base_url}/pay/sandbox/"), href
    assert pay_link.get_attribute("target") == "_blank"

    # Marks this page: if it reloaded, the mark would be gone.
    page.evaluate("window.__chatcartTestMark = 'still here'")

    # The sandbox's hosted payment page, in a second tab.
    pay_page = page.context.new_page()
    pay_page.goto(href)
    expect(pay_page.locator("h1")).to_contain_text(number)
    pay_page.locator("button.pay-button").click()
    expect(pay_page.locator("h1")).to_have_text("Payment successful", timeout=WAIT_MS)
    expect(pay_page.locator("article.pay")).to_have_attribute("data-result", "paid")

    # Back in the shop tab: the confirmation was pushed over the WebSocket, no reload.
    confirmation = expect_bot_says(page, "Payment received, thank you!")
    expect(confirmation).to_contain_text(number)
    expect(confirmation).to_contain_text("is paid")
    assert page.evaluate("window.__chatcartTestMark") == "still here"
    expect(panel).to_be_visible()

    with live_server.rt.db.transaction() as session:
        row = order_by(session, number=number)
        assert row is not None
        assert row.status == "paid"


def test_message_typed_offline_is_sent_once_after_reconnect(
    page: Page, context: BrowserContext, network_link: NetworkLink
) -> None:
    """The network drops: the status line shows, a message typed meanwhile waits in the
    outbox and goes out on reconnect; the bot answers it and it is shown exactly once."""
    open_chat(page, network_link.url("/?lang=en"))
    tap_quick_reply(page, "My orders")
    expect(bot_messages(page)).to_have_count(3, timeout=WAIT_MS)
    status = page.get_by_test_id("chatcart-status")
    expect(status).to_be_hidden()

    context.set_offline(True)
    network_link.cut()
    expect(status).to_be_visible(timeout=WAIT_MS)
    expect(status).to_have_text("Connection lost. Reconnecting…")

    box = page.get_by_test_id("chatcart-input")
    box.fill("hello")
    box.press("Enter")
    pending = page.get_by_test_id("chatcart-pending")
    expect(pending).to_have_text("hello")
    expect(customer_messages(page).filter(has_text=_exact("hello"))).to_have_count(0)

    network_link.restore()
    context.set_offline(False)
    expect(status).to_be_hidden(timeout=WAIT_MS)
    expect_bot_says(page, "Hi again! How can I help?")
    expect(customer_messages(page).filter(has_text=_exact("hello"))).to_have_count(1)
    expect(pending).to_have_count(0)

    # A follow-up is answered after everything the server did for "hello": a duplicate
    # echo or a second answer would be on the page by now.
    type_message(page, "thank you")
    expect_bot_says(page, "You're welcome!")
    expect(customer_messages(page).filter(has_text=_exact("hello"))).to_have_count(1)
    expect(bot_messages(page).filter(has_text="Hi again! How can I help?")).to_have_count(1)


def test_frame_whose_ack_was_lost_is_resent_with_same_id_and_processed_once(
    page: Page, context: BrowserContext, network_link: NetworkLink, live_server: LiveServer
) -> None:
    """The server stores and answers a message, but the connection dies before the ack gets
    back: the widget resends the frame with the same id and the server does not process it
    twice."""
    sent: list[dict[str, Any]] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append(json.loads(payload))))
    open_chat(page, network_link.url("/?lang=en"))
    expect(bot_messages(page)).to_have_count(2, timeout=WAIT_MS)

    network_link.deafen()
    box = page.get_by_test_id("chatcart-input")
    box.fill("thank you")
    box.press("Enter")
    expect(page.get_by_test_id("chatcart-pending")).to_have_text("thank you")
    frame_id = wait_for(page, lambda: next((f["id"] for f in sent if f.get("text") == "thank you"), None))
    wait_for(page, lambda: inbox_processed(live_server, frame_id))
    # Answered on the server, but nothing of it reached the browser.
    expect(bot_messages(page)).to_have_count(2)

    context.set_offline(True)
    network_link.cut()
    status = page.get_by_test_id("chatcart-status")
    expect(status).to_be_visible(timeout=WAIT_MS)

    network_link.restore()
    context.set_offline(False)
    expect_bot_says(page, "You're welcome! Anything else?")
    expect(status).to_be_hidden(timeout=WAIT_MS)
    # The reconnect resent the unacknowledged frame, with the same id.
    resent = wait_for(page, lambda: [f["id"] for f in sent if f.get("text") == "thank you"][1:])
    assert resent == [frame_id]

    type_message(page, "hello")
    expect_bot_says(page, "Hi again! How can I help?")
    expect(customer_messages(page).filter(has_text=_exact("thank you"))).to_have_count(1)
    expect(bot_messages(page).filter(has_text="You're welcome!")).to_have_count(1)
    visitor = page.evaluate("localStorage.getItem('chatcart.visitor.demo')")
    texts = [(direction, body.get("text")) for direction, body in history(live_server, visitor)]
    assert texts.count(("in", "thank you")) == 1
    assert texts.count(("out", "You're welcome! Anything else?")) == 1


def test_mobile_panel_fills_the_screen_and_cards_show_image_and_price(
    page: Page, live_server: LiveServer
) -> None:
    """On a phone the open panel covers the screen; search results keep image and price."""
    page.set_viewport_size({"width": 375, "height": 740})
    open_chat(page, live_server.url("/?lang=en"))
    box = page.get_by_test_id("chatcart-panel").bounding_box()
    assert box is not None
    assert (box["x"], box["y"], box["width"], box["height"]) == (0, 0, 375, 740)

    type_message(page, "oolong tea")
    cards = page.get_by_test_id("chatcart-card")
    expect(cards.first).to_be_visible(timeout=WAIT_MS)
    titles = cards.locator(".card-title").all_inner_texts()
    # The three oolongs of the demo shop rank first; related tea products may follow.
    assert sorted(titles[:3]) == sorted(OOLONGS), titles
    first = cards.first
    image = first.locator("img")
    expect(image).to_be_visible()
    expect(image).to_have_attribute("src", re.compile(r"/demo-images/TEA-00\d\.svg$"))
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle(), timeout=WAIT_MS
    )
    expect(first.locator(".card-price")).to_have_text(re.compile(r"^NT\$\s?[\d,]+(\.00)?$"))
    card_box = first.bounding_box()
    assert card_box is not None and card_box["x"] >= 0 and card_box["x"] + card_box["width"] <= 375


def test_the_header_button_reaches_a_person_at_any_point(page: Page, live_server: LiveServer) -> None:
    """Even mid-checkout, one tap in the header hands the conversation to a person."""
    open_chat(page, live_server.url("/?lang=en"))
    type_message(page, "oolong tea")
    expect(page.get_by_test_id("chatcart-card").first).to_be_visible(timeout=WAIT_MS)
    page.get_by_test_id("chatcart-person").click()
    bot = page.locator("[data-testid=chatcart-msg][data-direction=out]")
    expect(bot.last).to_contain_text("asked a person from our team", timeout=WAIT_MS)
    expect(page.get_by_test_id("chatcart-quick-reply")).to_have_text(["Back to the bot"])
