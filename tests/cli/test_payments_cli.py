"""`chatcart payments`: an owner sets the shop's payment methods and holds from the
terminal, and opens a held order for payment; a wrong value is refused and stores nothing."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from chatcart.demo.loader import ensure_demo
from chatcart.services.runtime import build_runtime
from chatcart.storage.migrate import upgrade
from chatcart.storage.tables import OrderRow
from tests.conversations.conftest import Customer

from .conftest import ok, run_cli


def test_an_owner_chooses_payment_methods_and_holds(outdoor: Path) -> None:
    before = json.loads(ok(run_cli("payments", "show", "-w", "outdoor", data_dir=outdoor)))
    assert before["methods"] is None and before["hold_minutes"]["bank_transfer"] == 360
    changed = json.loads(
        ok(
            run_cli(
                "payments",
                "set",
                "-w",
                "outdoor",
                "--methods",
                "cod,bank_transfer",
                "--hold",
                "bank_transfer=120",
                data_dir=outdoor,
            )
        )
    )
    assert changed["methods"] == ["cod", "bank_transfer"] and changed["hold_minutes"]["bank_transfer"] == 120
    refused = run_cli("payments", "set", "-w", "outdoor", "--methods", "cash,cod", data_dir=outdoor)
    assert refused.returncode == 1 and "cash" in refused.stderr
    still = json.loads(ok(run_cli("payments", "show", "-w", "outdoor", data_dir=outdoor)))
    assert still == changed, "a refused change stores nothing"


def test_a_person_opens_a_held_order_for_payment(data_dir: Path) -> None:
    rt = build_runtime(f"sqlite:///{data_dir / 'chatcart.db'}", "http://shop.test")
    upgrade(rt.db)
    ensure_demo(rt)
    big = Customer(rt, "big-spender", "en")
    big.taps("BUY:HOM-003")
    while "Added" not in big.text:
        big.taps(big.quick_reply_payloads()[0])
    big.says("make it 2")
    for answer in ("7-11", "Xinyi store", "Big Lin 0912345678", "card", "yes"):
        if "is placed" in big.text:
            break
        big.says(answer)
    with rt.db.transaction() as session:
        number, held = session.execute(select(OrderRow.number, OrderRow.held_for)).one()
    rt.db.dispose()
    assert held == "high_value", big.text

    missing = run_cli("payments", "release", "CC-XXXX-XXXX", "-w", "demo", data_dir=data_dir)
    assert missing.returncode == 1 and "not held" in missing.stderr
    assert "can be paid now" in ok(
        run_cli("payments", "release", number.lower(), "-w", "demo", data_dir=data_dir)
    )
    again = run_cli("payments", "release", number, "-w", "demo", data_dir=data_dir)
    assert again.returncode == 1, "released once; there is no hold left"
