"""`chatcart nlu eval`: trains on one file and reports on the other, as text or one JSON
object with the documented keys; a wrong file is refused with what was expected."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import ok, run_cli

FIXTURES = Path(__file__).parents[1] / "fixtures" / "nlu"


def test_json_report_on_clinc_layout_has_the_documented_figures() -> None:
    clinc = FIXTURES / "clinc150_small.json"

    report = json.loads(
        ok(
            run_cli(
                "nlu",
                "eval",
                "--train",
                clinc,
                "--test",
                clinc,
                "--validation",
                clinc,
                "--oos-recall",
                "0.8",
                "--json",
            )
        )
    )

    assert {"accuracy", "macro_f1", "oos_recall", "n_test", "p99_ms"} <= set(report)
    assert report["n_test"] == 260 and 0.8 <= report["accuracy"] <= 1.0
    assert report["oos_recall"] > 0.5 and report["p99_ms"] < 20


def test_few_shot_reports_the_mean_over_its_samples() -> None:
    train, test = FIXTURES / "banking77_small_train.csv", FIXTURES / "banking77_small_test.csv"

    report = json.loads(
        ok(
            run_cli(
                "nlu", "eval", "--train", train, "--test", test, "--per-intent", "5", "--seeds", "3", "--json"
            )
        )
    )

    assert len(report["samples"]) == 3 and len(set(report["samples"])) > 1
    assert abs(report["accuracy"] - sum(report["samples"]) / 3) < 1e-9
    assert report["n_train"] == 100 and report["oos_recall"] is None


def test_text_report_names_the_confused_intents() -> None:
    train, test = FIXTURES / "banking77_small_train.csv", FIXTURES / "banking77_small_test.csv"

    printed = ok(run_cli("nlu", "eval", "--train", train, "--test", test))

    assert "in-scope accuracy" in printed and "most confused" in printed and " -> " in printed


def test_a_language_with_no_test_rows_and_a_wrong_file_are_refused(tmp_path: Path) -> None:
    train = FIXTURES / "banking77_small_train.csv"
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("message,label\nhi,greet\n", encoding="utf-8")

    no_rows = run_cli("nlu", "eval", "--train", train, "--test", train, "--lang", "pl")
    refused = run_cli("nlu", "eval", "--train", wrong, "--test", train)

    assert no_rows.returncode == 1 and "no test rows in language pl" in no_rows.stderr
    assert refused.returncode == 1 and "text and intent" in refused.stderr
