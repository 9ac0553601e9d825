"""The purchase journey as customers type it, on a shop that is not the demo: a whole
purchase in one message, typed answers and button titles, questions and changes of mind
mid-checkout, complaints, returning customers and sold-out sizes; in English and zh-TW."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import select

from chatcart.services.runtime import Runtime
from chatcart.storage.tables import ConversationRow, HandoffRow, OrderRow, VariantRow
from tests.conftest import FakeClock
from tests.conversations.conftest import Customer
from tests.conversations.teashop import TEA_SHOP, open_tea_shop


class Shopper(Customer):
    """A customer of the tea house who counts their own turns (messages and taps)."""

    def __init__(self, rt: Runtime, contact: str, lang: str) -> None:
        super().__init__(rt, contact, lang, workspace=TEA_SHOP)
        self.turns = 0

    def says(self, text: str) -> list[dict[str, object]]:
        self.turns += 1
        return super().says(text)

    def taps(self, payload: str) -> list[dict[str, object]]:
        self.turns += 1
        return super().taps(payload)

    def reaches_summary(self, name_and_phone: str, payment: str = "cash on delivery") -> None:
        """One black tea to the Xinyi 7-ELEVEN, said the way a regular customer says it."""
        self.says(f"1 black tea, 7-11, {payment}")
        self.says("Xinyi store")
        self.says(name_and_phone)
        assert "Please check your order" in self.text, self.text


@pytest.fixture
def tea(sqlite_runtime: Runtime) -> Iterator[Runtime]:
    open_tea_shop(sqlite_runtime)
    yield sqlite_runtime


def orders(rt: Runtime) -> list[OrderRow]:
    with rt.db.transaction() as session:
        rows = list(session.scalars(select(OrderRow).where(OrderRow.workspace_id == TEA_SHOP)))
        session.expunge_all()
    return rows


def test_an_english_customer_buys_in_four_turns_from_one_message(tea: Runtime) -> None:
    amy = Shopper(tea, "amy", "en")
    amy.says("2 dong ding 300g, 7-11 pickup, cash on delivery")
    assert "Added 2 × 凍頂烏龍茶 Dong Ding Oolong (300g)" in amy.text, amy.text
    assert "store" in amy.text and "How would you like" not in amy.text, "delivery was already said"
    amy.says("信義門市")
    amy.says("Amy Chen 0912345678")
    assert "Please check your order" in amy.text, "name and phone in one message, payment said up front"
    assert "Coupon" not in amy.text.split("\n")[3], "no discount line without a coupon"
    amy.says("yes")
    assert "is placed" in amy.text, amy.text
    (order,) = orders(tea)
    assert amy.turns == 4
    assert order.payment_method == "cod" and order.delivery["option_id"] == "store-711"
    assert order.delivery["store"] == "信義門市" and order.delivery["recipient"] == "Amy Chen"
    assert order.delivery["phone"] == "+886912345678"


def test_a_taiwanese_customer_buys_in_four_turns_and_the_next_time_in_two(tea: Runtime) -> None:
    mei = Shopper(tea, "mei", "zh-TW")
    mei.says("凍頂烏龍 300克 兩包 寄7-11 貨到付款")
    assert "凍頂烏龍茶 Dong Ding Oolong (300g)" in mei.text and "門市" in mei.text, mei.text
    mei.says("台大門市")
    mei.says("陳美美 0912-345-678")
    assert "請確認您的訂單" in mei.text, mei.text
    mei.says("確認")
    assert "訂單" in mei.text and len(orders(tea)) == 1 and mei.turns == 4, mei.text

    mei.turns = 0
    mei.says("我要一包日月潭紅茶")
    assert "請確認您的訂單" in mei.text and "台大門市" in mei.text, "last order's details, offered at once"
    mei.says("好")
    assert len(orders(tea)) == 2 and mei.turns == 2, mei.text


def test_typed_button_titles_and_synonyms_answer_the_step(tea: Runtime) -> None:
    lin = Shopper(tea, "lin", "zh-TW")
    lin.taps("BUY:BLK")
    assert "請問要如何收貨" in lin.text or "收貨" in lin.text, lin.text
    lin.says("寄到家裡")
    assert "地址" in lin.text, "a typed button title is the answer, not 'please tap'"
    lin.says("台北市大安區復興南路一段100號")
    lin.says("林小姐")
    lin.says("0933123456")
    lin.says("貨到付款")
    assert "請確認您的訂單" in lin.text and "貨到付款" in lin.text, lin.text
    lin.taps("COUPON")
    lin.says("沒有")
    assert "請確認您的訂單" in lin.text, "沒有 at the coupon question is 'no coupon', not a code"


def test_a_question_mid_checkout_is_answered_and_the_step_resumes(tea: Runtime) -> None:
    bob = Shopper(tea, "bob", "en")
    bob.taps("BUY:BLK")
    bob.says("7-11")
    assert "Which 7-ELEVEN store" in bob.text, bob.text
    bob.says("how long does delivery take?")
    assert "1 business day" in bob.text, "the shop's FAQ answers it"
    assert "Which 7-ELEVEN store" in bob.text, "then the store question again"
    bob.says("can I pay when it arrives?")
    assert "Which 7-ELEVEN store" in bob.text, "an unknown question is not saved as the store"
    with tea.db.transaction() as session:
        state = session.scalar(select(ConversationRow.state))
    assert state is not None and "store" not in state["slots"], state


def test_a_change_typed_at_a_free_text_step_is_applied_not_saved_as_the_detail(tea: Runtime) -> None:
    wu = Shopper(tea, "wu", "zh-TW")
    wu.taps("BUY:DD")
    wu.taps("SIZE:DD:150g")
    wu.says("宅配")
    assert "地址" in wu.text
    wu.says("等等，我改成300克的好了")
    assert "已改為 凍頂烏龍茶 Dong Ding Oolong (300g) × 1" in wu.text, wu.text
    assert "地址" in wu.text, "the address is asked again, not filled with the sentence"


def test_the_order_is_changed_in_words_at_the_summary(tea: Runtime) -> None:
    ann = Shopper(tea, "ann", "en")
    ann.says("1 vitamin c")
    ann.says("2 dong ding 150g")
    ann.says("FamilyMart")
    ann.says("Taida store")
    ann.says("Ann Wu 0987654321")
    ann.says("card")
    assert "Please check your order" in ann.text and "Vitamin C" in ann.text, ann.text
    ann.says("make the dong ding 3 packs")
    assert "Changed to 3 × 凍頂烏龍茶 Dong Ding Oolong (150g)" in ann.text, ann.text
    ann.says("drop the vitamin c")
    assert "Removed Vitamin C Effervescent Tablets (20入)" in ann.text
    assert "Vitamin C" not in ann.text.split("Please check your order")[1], ann.text
    ann.says("change to home delivery")
    assert "delivery address" in ann.text, ann.text
    ann.says("No. 10, Lane 5, Heping East Road, Taipei")
    assert "No. 10, Lane 5" in ann.text and "Please check your order" in ann.text
    ann.says("ok")
    (order,) = orders(tea)
    assert order.delivery["option_id"] == "home" and order.delivery["address"].startswith("No. 10")


def test_a_taiwanese_customer_drops_an_item_in_words_at_the_summary(tea: Runtime) -> None:
    hsu = Shopper(tea, "hsu", "zh-TW")
    hsu.says("維他命C 一罐 寄7-11 貨到付款")
    hsu.says("信義門市")
    hsu.says("許先生 0911222333")
    hsu.says("再加兩包阿里山 75g")
    assert "阿里山高山茶" in hsu.text, hsu.text
    hsu.says("維他命C那瓶不要了")
    assert "已從購物車移除" in hsu.text or "移除" in hsu.text, hsu.text
    assert "請確認您的訂單" in hsu.text and "維他命" not in hsu.text.split("請確認您的訂單")[1]


def test_an_older_confirmation_places_nothing_after_the_cart_changed(tea: Runtime) -> None:
    eve = Shopper(tea, "eve", "en")
    eve.reaches_summary("Eve Lee 0912000111")
    confirm = eve.payload_starting("CONFIRM:")
    eve.taps("CART_INC:BLK-100")
    eve.taps("CART_INC:BLK-100")
    eve.taps(confirm)
    assert "changed since that summary" in eve.text and "× 3" in eve.text, eve.text
    assert orders(tea) == [], "the order placed never differs from the summary confirmed"
    eve.taps(eve.payload_starting("CONFIRM:"))
    (order,) = orders(tea)
    assert str(order.total) == "1560.00", "3 × 520, free shipping over 1,000"


def test_cancel_at_the_summary_orders_nothing_and_offers_to_empty_the_cart(tea: Runtime) -> None:
    kai = Shopper(tea, "kai", "en")
    kai.reaches_summary("Kai Lo 0912000222")
    kai.taps("CHECKOUT_CANCEL")
    assert "nothing was ordered" in kai.text and "Empty my cart" in kai.quick_reply_titles
    kai.taps("CART_CLEAR")
    kai.taps("CART")
    assert "Your cart is empty" in kai.text and orders(tea) == []


@pytest.mark.parametrize(
    ("lang", "complaint", "apology"),
    [
        ("en", "I got a rash from your serum and I'm furious", "I'm sorry"),
        ("en", "my order arrived broken!!", "I'm sorry"),
        ("zh-TW", "你們的茶葉裡有蟲，我要退貨！", "很抱歉"),
        ("zh-TW", "收到的蓋碗破掉了，很生氣", "很抱歉"),
    ],
)
def test_a_complaint_reaches_a_person_in_the_same_turn_even_mid_checkout(
    tea: Runtime, lang: str, complaint: str, apology: str
) -> None:
    angry = Shopper(tea, f"angry-{lang}", lang)
    angry.taps("BUY:BLK")
    angry.says(complaint)
    assert apology in angry.text, angry.text
    with tea.db.transaction() as session:
        assert session.scalar(select(HandoffRow.reason)) == "complaint"
        assert session.scalar(select(ConversationRow.owner)) == "human"
    angry.says("hello??")
    assert angry.replies == [], "the bot stops selling while a person has the conversation"


def test_a_returning_customer_is_greeted_with_the_cart_waiting(tea: Runtime, clock: FakeClock) -> None:
    ting = Shopper(tea, "ting", "zh-TW")
    ting.taps("BUY:ALI")
    ting.taps("SIZE:ALI:75g")
    clock.advance(days=1)
    ting.says("你好")
    assert "您的購物車裡還有 阿里山高山茶 Alishan High Mountain Tea (75g) ×1" in ting.text, ting.text
    assert "重新開始" in ting.quick_reply_titles and "收貨" in ting.text, "straight to the next question"
    ting.says("全家")
    assert "全家 門市" in ting.text, "answering it goes on with the checkout"

    sam = Shopper(tea, "sam", "en")
    sam.taps("BUY:BLK")
    sam.taps("CHECKOUT_CANCEL")
    clock.advance(days=2)
    sam.says("hi")
    assert "Your cart still has 日月潭紅茶 Sun Moon Lake Black Tea (100g) ×1" in sam.text
    assert {"Check out", "Start over"} <= set(sam.quick_reply_titles)
    sam.taps("RESTART")
    assert "Your cart is empty now" in sam.text


def test_a_sold_out_size_is_named_and_never_swapped_silently(tea: Runtime) -> None:
    joy = Shopper(tea, "joy", "en")
    joy.says("tea seed serum")
    assert joy.cards[0]["subtitle"] == "30ml / 50ml (sold out)", joy.cards[0]
    joy.taps("BUY:SERUM")
    assert "Which size" in joy.text and "50ml sold out" in joy.text, joy.text
    assert joy.quick_reply_titles[0] == "30ml" and "50ml" not in joy.quick_reply_titles
    joy.says("tea seed serum 50ml")
    assert "50ml is sold out" in joy.text or "Which size" in joy.text, joy.text
    with tea.db.transaction() as session:
        assert session.scalar(select(OrderRow.id)) is None


def test_latin_words_keep_a_chinese_conversation_in_chinese(tea: Runtime) -> None:
    chen = Shopper(tea, "chen", "zh-TW")
    chen.says("dong ding oolong 300g")
    assert chen.card_ids[0] == "DD" and "幫您找到" in chen.text, chen.text


def test_a_chinese_question_on_the_english_page_is_answered_in_chinese(tea: Runtime) -> None:
    guest = Shopper(tea, "guest", "en")
    guest.says("請問運送要多久？")
    assert "工作天" in guest.text, guest.text


def test_an_order_number_typed_alone_is_looked_up(tea: Runtime) -> None:
    rae = Shopper(tea, "rae", "en")
    rae.reaches_summary("Rae Ho 0912000333")
    rae.says("yes")
    (order,) = orders(tea)
    rae.says(order.number.lower())
    assert f"Order {order.number}" in rae.text, rae.text


def test_a_question_about_returns_is_answered_not_taken_for_a_complaint(tea: Runtime) -> None:
    lee = Shopper(tea, "lee", "zh-TW")
    lee.says("可以退貨嗎？")
    assert "7 天內可以退貨" in lee.text, lee.text
    with tea.db.transaction() as session:
        assert session.scalar(select(HandoffRow.reason)) is None


def test_a_customer_may_hold_only_two_unpaid_orders(tea: Runtime) -> None:
    hoarder = Shopper(tea, "hoarder", "en")
    for _ in range(2):
        hoarder.reaches_summary("Ho Lin 0912000444", payment="bank transfer")
        hoarder.says("yes")
    assert len(orders(tea)) == 2
    hoarder.says("1 black tea, 7-11, bank transfer")
    hoarder.says("yes")
    assert "already have 2 orders waiting for payment" in hoarder.text, hoarder.text
    assert len(orders(tea)) == 2, "a third unpaid order would hold more stock"
    hoarder.taps("ORDERS")
    hoarder.taps(hoarder.payload_starting("ORDER_CANCEL:"))
    assert "Its items go back on sale" in hoarder.text
    hoarder.taps(hoarder.payload_starting("ORDER_CANCEL_YES:"))
    assert "is cancelled; nothing will be charged" in hoarder.text
    assert sorted(o.status for o in orders(tea)) == ["cancelled", "pending_payment"]
    hoarder.says("1 black tea, 7-11, bank transfer")
    hoarder.says("yes")
    assert "is placed" in hoarder.text, "with one cancelled, the customer may order again"
    with tea.db.transaction() as session:
        stock = session.scalar(select(VariantRow.stock).where(VariantRow.sku == "BLK-100"))
    assert stock == 25 - 2, "the cancelled order's tea went back on sale"


def test_a_cash_on_delivery_order_is_confirmed_not_waiting_for_payment(tea: Runtime) -> None:
    cod = Shopper(tea, "cod", "zh-TW")
    cod.says("日月潭紅茶 一包 寄7-11 貨到付款")
    cod.says("信義門市")
    cod.says("柯先生 0912000555")
    cod.says("好")
    cod.says("我的訂單")
    assert "貨到付款" in cod.text and "等待付款" not in cod.text, cod.text


def test_every_changed_summary_has_its_own_confirm_button(tea: Runtime) -> None:
    ian = Shopper(tea, "ian", "en")
    ian.reaches_summary("Ian Ko 0912000666")
    first = ian.payload_starting("CONFIRM:")
    ian.says("make that 2")
    second = ian.payload_starting("CONFIRM:")
    assert second != first, "a summary that changed gets a new Confirm button"
    ian.taps(first)
    assert "out of date" in ian.text and orders(tea) == []
    ian.taps(second)
    (order,) = orders(tea)
    assert order.lines[0]["quantity"] == 2


def test_questions_and_chatter_are_never_saved_as_store_or_name(tea: Runtime) -> None:
    zoe = Shopper(tea, "zoe", "zh-TW")
    zoe.says("日月潭紅茶 一包 寄7-11 貨到付款")
    zoe.says("運費多少")
    zoe.says("哈哈")
    assert "門市" in zoe.text, "still asking for the store"
    zoe.says("7-11 民生門市")
    zoe.says("運費多少")
    assert "收件人" in zoe.text, "still asking for the name"
    zoe.says("趙六 0912abc678")
    assert "收件人" in zoe.text or "手機" in zoe.text, "letters are not a phone number"
    zoe.says("趙六 0912777666")
    zoe.says("好")
    (order,) = orders(tea)
    assert order.delivery["store"] == "民生門市" and order.delivery["recipient"] == "趙六"
    assert order.delivery["phone"] == "+886912777666"


def test_an_english_store_name_is_taken_and_an_address_is_not_a_quantity(tea: Runtime) -> None:
    max_ = Shopper(tea, "max", "en")
    max_.says("1 black tea, family mart, cash on delivery")
    max_.says("FamilyMart Shida")
    assert "receive the parcel" in max_.text, max_.text
    max_.says("Max Wu")
    max_.says("7 Renai Rd Sec 4, Taipei")
    assert "Added" not in max_.text and "mobile number" in max_.text, max_.text
    max_.says("0912000777")
    max_.says("change the phone 0912000888")
    assert "0912 000 888" in max_.text, max_.text
    max_.says("change the store")
    assert "Which FamilyMart store" in max_.text, "the store is asked again, not the way of delivery"


def test_a_size_named_like_a_count_is_the_size(tw_customer: Customer, shop: Runtime) -> None:
    tw_customer.says("土鳳梨酥禮盒 一盒 宅配 貨到付款")
    assert "規格" in tw_customer.text, tw_customer.text
    tw_customer.says("10入")
    assert "土鳳梨酥禮盒 (10入)」× 1" in tw_customer.text, tw_customer.text


def test_a_sold_out_colour_in_the_chosen_size_is_said_not_swapped(tw_customer: Customer) -> None:
    tw_customer.says("亞麻綁帶洋裝 L 紅色")
    assert "售完" in tw_customer.text and "加入購物車" not in tw_customer.text, tw_customer.text


def test_a_product_the_shop_does_not_sell_is_not_swapped_for_another(customer: Customer) -> None:
    customer.says("i want the blue gaiwan, home delivery, card")
    assert "Added" not in customer.text, customer.text


def test_two_products_in_one_message_both_reach_the_cart(tea: Runtime) -> None:
    duo = Shopper(tea, "duo", "en")
    duo.says("2 dong ding 150g and a blue gaiwan, home delivery, cash on delivery")
    assert "Added 2 × 凍頂烏龍茶 Dong Ding Oolong (150g)" in duo.text, duo.text
    assert "Added 1 × 白瓷蓋碗 Porcelain Gaiwan (blue)" in duo.text, duo.text
    assert "delivery address" in duo.text, "delivery and payment were said: the address is next"

    pair = Shopper(tea, "pair", "zh-TW")
    pair.says("凍頂烏龍兩包和一個蓋碗 寄7-11 貨到付款")
    assert "凍頂烏龍茶 Dong Ding Oolong" in pair.text and "規格" in pair.text, pair.text
    pair.taps("SIZE:DD:300g")
    assert "× 2" in pair.text and "顏色" in pair.text, "then the gaiwan's colour is asked"
    pair.says("白色")
    assert "白瓷蓋碗 Porcelain Gaiwan (白色)" in pair.text and "門市" in pair.text, pair.text


def test_several_changes_in_one_message_at_the_summary_all_apply(tea: Runtime) -> None:
    yu = Shopper(tea, "yu", "zh-TW")
    yu.says("日月潭紅茶 一包 寄7-11 貨到付款")
    yu.says("師大門市")
    yu.says("余小姐 0912000999")
    yu.says("其實要三包，然後改寄到我家 台北市信義路20巷8號")
    assert "× 3" in yu.text and "台北市信義路20巷8號" in yu.text and "請確認您的訂單" in yu.text, yu.text
    yu.says("好")
    (order,) = orders(tea)
    assert order.lines[0]["quantity"] == 3 and order.delivery["address"] == "台北市信義路20巷8號"


def test_a_coupon_typed_in_a_sentence_at_the_summary_is_applied(tw_customer: Customer, shop: Runtime) -> None:
    tw_customer.says("凍頂烏龍 兩包 寄7-11 貨到付款")
    tw_customer.says("信義門市")
    tw_customer.says("陳美美 0912345678")
    tw_customer.says("我有優惠碼 SAVE10")
    assert "優惠碼 SAVE10：-NT$130" in tw_customer.text, tw_customer.text
    tw_customer.says("我有優惠碼")
    assert "請輸入您的優惠碼" in tw_customer.text, "the button's title typed asks for the code"


def test_chatter_at_a_data_question_is_not_the_data_and_a_name_can_follow_late(tea: Runtime) -> None:
    ken = Shopper(tea, "ken", "en")
    ken.says("1 black tea, 7-11, cash on delivery")
    ken.says("hello")
    assert "Which 7-ELEVEN store" in ken.text, "a greeting is not a store"
    ken.says("Shida")
    ken.says("haha")
    assert "receive the parcel" in ken.text, "laughter is not a name"
    ken.says("Ken")
    ken.says("Ken Yu 0912300011")
    assert "Please check your order" in ken.text and "Ken Yu" in ken.text, ken.text


def test_a_return_policy_question_mid_checkout_stays_with_the_bot(tea: Runtime) -> None:
    rui = Shopper(tea, "rui", "zh-TW")
    rui.taps("BUY:BLK")
    rui.says("退貨規定是什麼？")
    assert "7 天內可以退貨" in rui.text and "收貨" in rui.text, rui.text
    with tea.db.transaction() as session:
        assert session.scalar(select(HandoffRow.reason)) is None


def test_a_polite_question_that_orders_is_an_order(tea: Runtime) -> None:
    sue = Shopper(tea, "sue", "en")
    sue.says("Can I get 3 of the sun moon lake black tea? pick up at 7-11, I'll pay cash")
    assert "Added 3 × 日月潭紅茶 Sun Moon Lake Black Tea (100g)" in sue.text, sue.text


def test_a_size_named_like_a_count_in_the_first_message(tw_customer: Customer) -> None:
    tw_customer.says("土鳳梨酥禮盒 10入 三盒 宅配 貨到付款")
    assert "土鳳梨酥禮盒 (10入)」× 3" in tw_customer.text, tw_customer.text


def test_l_in_red_sold_out_keeps_l_and_offers_its_colours(tw_customer: Customer) -> None:
    tw_customer.says("亞麻綁帶洋裝 L 紅色")
    assert "L 紅色" in tw_customer.text and "售完" in tw_customer.text, tw_customer.text
    assert "深藍色" in tw_customer.quick_reply_titles, tw_customer.quick_reply_titles


def test_a_sentence_at_the_size_question_asks_the_size_again(tea: Runtime) -> None:
    tom = Shopper(tea, "tom", "en")
    tom.taps("BUY:DD")
    tom.says("qwerty zxcv")
    assert "Which size of 凍頂烏龍茶 Dong Ding Oolong" in tom.text, tom.text


def test_cash_on_delivery_orders_do_not_block_the_next_order(tea: Runtime) -> None:
    reg = Shopper(tea, "regular", "en")
    for _ in range(3):
        reg.says("1 black tea, 7-11, cash on delivery")
        if "Which 7-ELEVEN store" in reg.text:
            reg.says("Xinyi store")
            reg.says("Reg Lin 0912000123")
        reg.says("yes")
        assert "is placed" in reg.text, reg.text
    assert len(orders(tea)) == 3


def test_an_order_is_cancelled_in_words_and_a_quantity_repeated_is_no_error(tea: Runtime) -> None:
    wen = Shopper(tea, "wen", "zh-TW")
    wen.says("日月潭紅茶 一包 寄7-11 銀行轉帳")
    wen.says("一包")
    assert "門市" in wen.text and "請點選" not in wen.text, wen.text
    wen.says("師大門市")
    wen.says("溫先生 0912000321")
    wen.says("好")
    wen.says("我的訂單")
    wen.taps(wen.payload_starting("ORDER_CANCEL:"))
    wen.says("是的，取消")
    assert "已取消" in wen.text, wen.text
    assert [o.status for o in orders(tea)] == ["cancelled"]


def test_a_product_the_shop_does_not_sell_in_a_several_product_message_is_said(customer: Customer) -> None:
    customer.says("2 dong ding 150g and a blue gaiwan, home delivery, cash on delivery")
    assert "Added 2 × Dong Ding Roasted Oolong Tea (150g)" in customer.text, customer.text
    assert "couldn't find “blue gaiwan”" in customer.text and "Mug" not in customer.text, customer.text


def test_what_shipping_costs_is_answered_from_the_shops_own_fees_mid_checkout(tea: Runtime) -> None:
    fay = Shopper(tea, "fay", "zh-TW")
    fay.says("日月潭紅茶 一包 寄7-11 貨到付款")
    fay.says("運費多少")
    assert "7-ELEVEN 超商取貨：NT$60" in fay.text and "宅配到府：NT$100" in fay.text, fay.text
    assert "滿 NT$1,000 免運費" in fay.text and "門市" in fay.text, "then the store question again"
    guy = Shopper(tea, "guy", "en")
    guy.says("how much is shipping?")
    assert "Home delivery: NT$100" in guy.text and "Free shipping on orders of NT$1,000 or more" in guy.text


def test_a_size_like_a_count_typed_in_english_keeps_the_quantity_said(customer: Customer) -> None:
    customer.says("pineapple cake 10 pack x2, 7-11, cash on delivery")
    assert "Pineapple Cake" in customer.text and "(10-pack) to your cart" in customer.text, customer.text
    assert "Added 2 ×" in customer.text, customer.text


def test_a_list_without_and_puts_each_item_in_the_cart(tea: Runtime) -> None:
    lo = Shopper(tea, "lo", "zh-TW")
    lo.says("凍頂烏龍150g兩包 阿里山75g一包 寄7-11 貨到付款")
    assert "凍頂烏龍茶 Dong Ding Oolong (150g)」× 2" in lo.text, lo.text
    assert "阿里山高山茶 Alishan High Mountain Tea (75g)」× 1" in lo.text, lo.text
    assert "門市" in lo.text


def test_buying_for_someone_else_in_one_message(tea: Runtime) -> None:
    son = Shopper(tea, "son", "zh-TW")
    son.says("日月潭紅茶一包 寄到她家 寄給我媽，王媽媽 0988123456，台中市西區民生路100號 貨到付款")
    assert "請確認您的訂單" in son.text, son.text
    assert "王媽媽, 0988 123 456, 台中市西區民生路100號" in son.text, son.text
    kid = Shopper(tea, "kid", "en")
    kid.says("1 black tea, 7-11, cash on delivery")
    kid.says("Amy Wu 0912300302")
    assert "Which 7-ELEVEN store" in kid.text, "a name and phone are not a store"
    kid.says("Xinyi store")
    assert "Please check your order" in kid.text and "Amy Wu, 0912 300 302, 7-ELEVEN Xinyi store" in kid.text


def test_everything_removed_at_the_summary_orders_nothing(tea: Runtime) -> None:
    ed = Shopper(tea, "ed", "en")
    ed.reaches_summary("Ed Ho 0912000765")
    ed.says("remove everything")
    assert "Your cart is empty now" in ed.text, ed.text
    ed.taps("CART")
    assert "Your cart is empty" in ed.text and orders(tea) == []


def test_a_late_order_complaint_reaches_a_person(tea: Runtime) -> None:
    late = Shopper(tea, "late", "zh-TW")
    late.says("我的包裹到現在都還沒到！到底怎麼回事？")
    with tea.db.transaction() as session:
        assert session.scalar(select(HandoffRow.reason)) == "complaint", late.text


def test_back_from_a_person_or_in_another_language_the_open_question_comes_again(tea: Runtime) -> None:
    pat = Shopper(tea, "pat", "en")
    pat.says("1 black tea, 7-11, cash on delivery")
    pat.says("talk to a person")
    pat.taps("BOT")
    assert "Let's go on where we were" in pat.text and "Which 7-ELEVEN store" in pat.text, pat.text
    pat.says("中文可以嗎")
    assert "門市" in pat.text, pat.text


def test_changing_a_placed_order_is_offered_to_a_person(tea: Runtime) -> None:
    max_ = Shopper(tea, "changer-after", "en")
    max_.reaches_summary("Max Lo 0912000987")
    max_.says("yes")
    max_.says("can I change the address?")
    assert "changed by a person from our team" in max_.text and "Talk to a person" in max_.quick_reply_titles


def test_details_typed_with_their_fillers_are_stored_without_them(tea: Runtime) -> None:
    rex = Shopper(tea, "rex", "zh-TW")
    rex.says("日月潭紅茶 一包 寄7-11 貨到付款")
    rex.says("好啦 忠孝門市")
    rex.says("林先生 0912000111")
    rex.says("Wang Mei 0988123456")
    assert "Wang Mei, 0988 123 456, 7-ELEVEN 忠孝門市" in rex.text, (
        "a new name and phone at the summary: both"
    )
    rex.says("改成宅配 地址是台北市大安區復興南路一段100號")
    rex.says("好")
    (order,) = orders(tea)
    assert order.delivery["address"] == "台北市大安區復興南路一段100號", order.delivery


def test_a_coupon_said_in_the_first_message_is_applied_at_the_summary(tw_customer: Customer) -> None:
    tw_customer.says("凍頂烏龍 兩包 寄7-11 貨到付款 我有優惠碼 SAVE10")
    tw_customer.says("信義門市")
    tw_customer.says("陳美美 0912345678")
    assert "優惠碼 SAVE10：-NT$130" in tw_customer.text, tw_customer.text


def test_a_plain_no_at_the_name_question_is_not_the_recipient(tea: Runtime) -> None:
    lin = Shopper(tea, "lin", "zh-TW")
    lin.says("日月潭紅茶 一包 寄7-11 貨到付款")
    lin.says("7-11 民生門市")
    assert "收件人" in lin.text

    lin.says("不用")

    assert "收件人" in lin.text, "the name is asked again, not filled with 不用"
    lin.says("林小美 0912777666")
    lin.says("好")
    (order,) = orders(tea)
    assert order.delivery["recipient"] == "林小美"


@pytest.mark.parametrize("more", ["再加一包", "欸我想多買一個", "one more please"])
def test_one_more_at_the_summary_adds_to_the_only_line(tea: Runtime, more: str) -> None:
    ann = Shopper(tea, "ann", "zh-TW")
    ann.says("日月潭紅茶 一包 寄7-11 貨到付款")
    ann.says("7-11 民生門市")
    ann.says("林小美 0912777666")
    assert "× 1" in ann.text

    ann.says(more)

    assert "× 2" in ann.text, ann.text


def test_more_of_a_product_the_shop_does_not_sell_changes_nothing(tea: Runtime) -> None:
    ann = Shopper(tea, "ann", "zh-TW")
    ann.says("日月潭紅茶 一包 寄7-11 貨到付款")
    ann.says("7-11 民生門市")
    ann.says("林小美 0912777666")

    ann.says("再加一個茶壺")

    assert "× 2" not in ann.text, ann.text


@pytest.mark.parametrize("text", ["你好 有沒有適合送禮的茶 1000元以內", "送禮的茶"])
def test_tea_for_a_gift_in_a_shop_that_knows_no_gifts_is_still_tea(tea: Runtime, text: str) -> None:
    """The need (送禮) ranks, never demands: a shop without gift products still shows its teas."""
    kai = Shopper(tea, "kai", "zh-TW")

    kai.says(text)

    assert {"DD", "ALI"} <= set(kai.card_ids), kai.text
    assert all(Decimal(card["price"]) <= 1000 for card in kai.cards) or "1000" not in text
