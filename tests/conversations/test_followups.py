"""Follow-ups to what the conversation just showed, typed the way customers type them: a
choice among the cards ("the red one pls", "第二個", "那件M號", "the 300g", "the cheaper one"),
a product swapped at the order summary ("swap the tea for the alishan one", "我改成紅茶好了"),
a never-mind that opens a new request ("算了 我要凍頂 75g 兩包"), and a need with a budget
that wants choices, not one product's size question."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from chatcart.services.runtime import Runtime
from chatcart.storage.tables import OrderRow
from tests.conversations.boutique import BOUTIQUE, open_boutique
from tests.conversations.conftest import Customer


class Shopper(Customer):
    """A customer of the select shop (tea, teaware, dresses)."""

    def __init__(self, rt: Runtime, contact: str, lang: str) -> None:
        super().__init__(rt, contact, lang, workspace=BOUTIQUE)

    def size_buttons(self) -> list[str]:
        return [p for p in self.quick_reply_payloads() if p.startswith("SIZE:")]

    def reaches_summary(self, order: str, name_and_phone: str = "Amy Chen 0912345678") -> None:
        """One message with the product, the store pickup and the payment, then the store and
        the recipient: the order summary."""
        self.says(order)
        self.says("信義門市")
        self.says(name_and_phone)
        assert "Please check your order" in self.text or "請確認您的訂單" in self.text, self.text


@pytest.fixture
def boutique(sqlite_runtime: Runtime) -> Iterator[Runtime]:
    open_boutique(sqlite_runtime)
    yield sqlite_runtime


@pytest.fixture
def amy(boutique: Runtime) -> Shopper:
    return Shopper(boutique, "amy", "en")


@pytest.fixture
def mei(boutique: Runtime) -> Shopper:
    return Shopper(boutique, "mei", "zh-TW")


def summary_lines(customer: Customer) -> list[str]:
    return [line for line in customer.text.splitlines() if line.startswith("•")]


def placed_items(rt: Runtime) -> list[tuple[str, int]]:
    with rt.db.transaction() as session:
        rows = list(session.scalars(select(OrderRow).where(OrderRow.workspace_id == BOUTIQUE)))
        return [(line["sku"], int(line["quantity"])) for row in rows for line in row.lines]


# --- a choice among the cards just shown


@pytest.mark.parametrize("follow_up", ["the red one pls", "red one", "i'll take the red one"])
def test_the_red_one_buys_the_red_dress_shown_and_asks_only_its_size(amy: Shopper, follow_up: str) -> None:
    amy.says("dress")
    assert set(amy.card_ids) == {"LINEN", "FLORAL"}, amy.card_ids

    amy.says(follow_up)

    assert "Which size of 亞麻綁帶洋裝 Linen Wrap Dress?" in amy.text, amy.text
    assert amy.size_buttons() == ["SIZE:LINEN:S", "SIZE:LINEN:M", "SIZE:LINEN:L"], "red only comes in S, M, L"
    amy.says("M")
    assert "Added 1 × 亞麻綁帶洋裝 Linen Wrap Dress (M, red)" in amy.text, amy.text


@pytest.mark.parametrize("follow_up", ["紅色那個", "紅色的那件", "我要紅色的"])
def test_a_colour_in_chinese_chooses_the_dress_that_comes_in_it(mei: Shopper, follow_up: str) -> None:
    mei.says("洋裝")

    mei.says(follow_up)

    assert "亞麻綁帶洋裝 Linen Wrap Dress 要哪個規格" in mei.text, mei.text
    assert "SIZE:LINEN:M" in mei.size_buttons()
    assert not mei.cards, "the cards are not shown again: the customer chose one"


def test_colour_size_and_quantity_in_one_follow_up_go_straight_to_the_cart(mei: Shopper) -> None:
    mei.says("洋裝")

    mei.says("紅色的那件 M號 兩件")

    assert "亞麻綁帶洋裝 Linen Wrap Dress (M, 紅色)」× 2" in mei.text, mei.text
    assert "收貨" in mei.text, "on to the checkout"


@pytest.mark.parametrize("follow_up", ["那件M號", "M码", "M size pls"])
def test_a_size_two_shown_dresses_come_in_is_asked_about_with_a_button_each(
    mei: Shopper, follow_up: str
) -> None:
    mei.says("洋裝")

    mei.says(follow_up)

    assert "請問您指的是哪一個" in mei.text, mei.text
    assert mei.quick_reply_payloads() == ["SIZE:LINEN:M", "SIZE:FLORAL:M"]
    assert mei.quick_reply_titles == ["亞麻綁帶洋裝 Linen Wrap Dress", "碎花雪紡洋裝 Floral Chiffon Dress"]
    mei.taps_titled("碎花雪紡洋裝 Floral Chiffon Dress")
    assert "顏色" in mei.text and "COLOR:FLORAL:yellow" in mei.quick_reply_payloads(), "M kept, colour next"


@pytest.mark.parametrize(
    ("lang", "search", "follow_up"),
    [
        ("en", "oolong", "the second one"),
        ("en", "oolong", "2nd one pls"),
        ("en", "oolong", "the last one"),
        ("zh-TW", "烏龍茶", "第二個"),
        ("zh-TW", "烏龍茶", "第2個"),
        ("zh-TW", "烏龍茶", "最後一個"),
        ("ja", "oolong", "2番目"),
        ("pl", "oolong", "drugi"),
    ],
)
def test_a_position_chooses_that_card(boutique: Runtime, lang: str, search: str, follow_up: str) -> None:
    customer = Shopper(boutique, "kai", lang)
    customer.says(search)
    shown = customer.card_ids
    assert len(shown) == 2, shown

    customer.says(follow_up)

    assert customer.size_buttons()[0].startswith(f"SIZE:{shown[1]}:"), customer.text
    assert "Added" not in customer.text and not customer.cards


def test_the_first_one_in_japanese_buys_the_first_card(boutique: Runtime) -> None:
    yuki = Shopper(boutique, "yuki", "ja")
    yuki.says("tea")
    first = yuki.card_ids[0]

    yuki.says("1つ目")

    assert yuki.size_buttons() or "カートに追加" in yuki.text, yuki.text
    assert all(p.startswith(f"SIZE:{first}:") for p in yuki.size_buttons()), yuki.text


def test_the_second_one_is_a_position_not_two_of_the_first(mei: Shopper) -> None:
    mei.says("茶")
    third = mei.card_ids[2]
    assert third == "BLK", mei.card_ids

    mei.says("第三個 兩包")

    assert "日月潭紅茶 Sun Moon Lake Black Tea (100g)」× 2" in mei.text, mei.text


@pytest.mark.parametrize(
    ("lang", "follow_up"), [("en", "the 300g"), ("en", "300g pls"), ("zh-TW", "300克的那包")]
)
def test_a_size_only_one_shown_tea_comes_in_buys_that_tea(
    boutique: Runtime, lang: str, follow_up: str
) -> None:
    customer = Shopper(boutique, "ken", lang)
    customer.says("tea")
    assert {"DD", "CUPS"} <= set(customer.card_ids), "tea and teaware in one list"

    customer.says(follow_up)

    assert "凍頂烏龍茶 Dong Ding Oolong (300g)" in customer.text, customer.text
    assert customer.payload_starting("SHIP:"), "added, and on to the delivery question"


@pytest.mark.parametrize(("lang", "follow_up"), [("en", "the cheaper one"), ("zh-TW", "便宜的那件")])
def test_the_cheaper_one_chooses_among_the_cards_not_a_new_list(
    boutique: Runtime, lang: str, follow_up: str
) -> None:
    customer = Shopper(boutique, "lin", lang)
    customer.says("dress")

    customer.says(follow_up)

    assert "Cheaper than" not in customer.text and not customer.cards, customer.text
    assert customer.size_buttons() == ["SIZE:FLORAL:S", "SIZE:FLORAL:M"], "the NT$980 dress, not the 1,280"


def test_cheaper_alone_still_asks_for_cheaper_products(amy: Shopper) -> None:
    amy.says("alishan")

    amy.says("anything cheaper?")

    assert "Cheaper than 阿里山高山茶" in amy.text, amy.text
    assert "DD" in amy.card_ids


@pytest.mark.parametrize(
    ("lang", "follow_up"), [("en", "the alishan one"), ("en", "the alishn one pls"), ("zh-TW", "阿里山那個")]
)
def test_a_word_of_a_shown_title_chooses_that_product(boutique: Runtime, lang: str, follow_up: str) -> None:
    customer = Shopper(boutique, "ann", lang)
    customer.says("tea")
    assert "ALI" in customer.card_ids

    customer.says(follow_up)

    assert customer.size_buttons() == ["SIZE:ALI:75g", "SIZE:ALI:150g"], customer.text


def test_the_floral_one_while_the_linen_size_is_asked_switches_product(amy: Shopper) -> None:
    amy.says("linen dress")
    assert "Which size of 亞麻綁帶洋裝" in amy.text, "the linen dress was named: its size is asked at once"

    amy.says("the floral one")

    assert "Which size of 碎花雪紡洋裝 Floral Chiffon Dress?" in amy.text, amy.text


def test_the_second_one_in_m_while_a_size_is_asked_is_the_second_card_in_m(amy: Shopper) -> None:
    amy.says("linen dress")
    second = amy.card_ids[1]
    assert second == "FLORAL", amy.card_ids

    amy.says("the second one in M")

    assert "Which colour?" in amy.text, amy.text
    assert "COLOR:FLORAL:yellow" in amy.quick_reply_payloads(), "M of the floral dress, not of the linen one"


@pytest.mark.parametrize("follow_up", ["green tea", "black tea"])
def test_words_that_point_at_nothing_shown_are_searched_as_before(amy: Shopper, follow_up: str) -> None:
    amy.says("dress")

    amy.says(follow_up)

    assert "BLK" in amy.card_ids, amy.text
    assert "Which one do you mean?" not in amy.text and "Added" not in amy.text


def test_a_product_name_after_a_list_is_still_a_search(amy: Shopper) -> None:
    amy.says("tea")

    amy.says("black tea")

    assert amy.card_ids and amy.card_ids[0] == "BLK", amy.text
    assert "Added" not in amy.text, "naming a product shows it; it does not buy it unasked"


# --- a product swapped in the order


def test_swap_at_the_summary_asks_the_new_size_then_replaces_the_line(
    amy: Shopper, boutique: Runtime
) -> None:
    amy.reaches_summary("2 dong ding 150g, 7-11, cash on delivery")

    amy.says("swap the tea for the alishan one")
    assert "Which size of 阿里山高山茶 Alishan High Mountain Oolong?" in amy.text, amy.text
    amy.says("75g")

    assert (
        "Replaced 凍頂烏龍茶 Dong Ding Oolong (150g) with 2 × 阿里山高山茶 Alishan High Mountain Oolong (75g)"
        in (amy.text)
    )
    assert summary_lines(amy) == ["• 阿里山高山茶 Alishan High Mountain Oolong (75g) × 2  NT$1,360"], amy.text
    assert "7-ELEVEN 信義門市" in amy.text, "the delivery already given is kept"
    amy.says("yes")
    assert "is placed" in amy.text, amy.text
    assert placed_items(boutique) == [("ALI-75", 2)]


@pytest.mark.parametrize("follow_up", ["我改成紅茶好了", "凍頂換成紅茶", "改成日月潭紅茶"])
def test_a_product_swapped_in_chinese_at_the_summary_keeps_the_quantity(mei: Shopper, follow_up: str) -> None:
    mei.reaches_summary("凍頂烏龍 150g 兩包 寄7-11 貨到付款", "陳美美 0912345678")

    mei.says(follow_up)

    assert "換成「日月潭紅茶 Sun Moon Lake Black Tea (100g)」× 2" in mei.text, mei.text
    assert summary_lines(mei) == ["• 日月潭紅茶 Sun Moon Lake Black Tea (100g) × 2  NT$1,040"], mei.text
    assert "陳美美" in mei.text and "信義門市" in mei.text


def test_another_size_of_the_same_tea_at_the_summary_changes_the_line(amy: Shopper) -> None:
    amy.reaches_summary("2 dong ding 150g, 7-11, cash on delivery")

    amy.says("change the oolong to the 300g")

    assert summary_lines(amy) == ["• 凍頂烏龍茶 Dong Ding Oolong (300g) × 2  NT$1,700"], amy.text


def test_switch_to_another_tea_during_checkout_replaces_it(amy: Shopper) -> None:
    amy.says("2 black tea")
    assert "How would you like to receive" in amy.text

    amy.says("switch to the dong ding 300g pls")

    assert (
        "Replaced 日月潭紅茶 Sun Moon Lake Black Tea (100g) with 2 × 凍頂烏龍茶 Dong Ding Oolong (300g)"
        in (amy.text)
    )
    assert "How would you like to receive" in amy.text, "the pending question again"


def test_a_change_of_delivery_is_not_a_swap(amy: Shopper) -> None:
    amy.reaches_summary("1 black tea, 7-11, cash on delivery")

    amy.says("change to home delivery")

    assert "Replaced" not in amy.text
    assert "address" in amy.text, amy.text


# --- a never-mind that opens a new request


@pytest.mark.parametrize(
    ("follow_up", "added"),
    [
        ("算了 我要凍頂 75g 兩包", "凍頂烏龍茶 Dong Ding Oolong (75g)」× 2"),
        ("算了，我要阿里山75g 兩包", "阿里山高山茶 Alishan High Mountain Oolong (75g)」× 2"),
    ],
)
def test_never_mind_then_a_request_buys_what_was_asked(mei: Shopper, follow_up: str, added: str) -> None:
    mei.says("凍頂")
    assert "規格" in mei.text, "a size of the dong ding is asked"

    mei.says(follow_up)

    assert added in mei.text, mei.text
    assert "取消" not in mei.text


def test_never_mind_in_english_then_a_request(amy: Shopper) -> None:
    amy.says("dress")

    amy.says("nevermind, 2 black tea")

    assert "Added 2 × 日月潭紅茶 Sun Moon Lake Black Tea (100g)" in amy.text, amy.text


def test_never_mind_at_the_summary_replaces_the_only_item(mei: Shopper) -> None:
    mei.reaches_summary("1 black tea, 7-11, cash on delivery", "陳美美 0912345678")

    mei.says("算了 我要凍頂 75g 兩包")

    assert summary_lines(mei) == ["• 凍頂烏龍茶 Dong Ding Oolong (75g) × 2  NT$520"], mei.text


def test_never_mind_alone_still_cancels(mei: Shopper) -> None:
    mei.says("凍頂")

    mei.says("算了")

    assert "取消" in mei.text or "停止" in mei.text, mei.text
    assert not mei.size_buttons()


# --- a need with a budget wants choices


@pytest.mark.parametrize(
    ("lang", "asked"), [("en", "gift for my mom under 800"), ("zh-TW", "送媽媽的禮物 800以下")]
)
def test_a_gift_with_a_budget_shows_choices_not_a_size_question(
    boutique: Runtime, lang: str, asked: str
) -> None:
    customer = Shopper(boutique, "joy", lang)

    customer.says(asked)

    assert "GIFTBOX" in customer.card_ids, customer.text
    assert not customer.size_buttons(), "no size of the gift box asked: the customer is choosing"
