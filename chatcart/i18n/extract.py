"""Finds every msgid chatcart shows a customer: in the code (calls of the marker functions)
and in the default flows. `python -m chatcart.i18n.extract` lists those a catalogue lacks."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from babel.messages.extract import extract_from_dir

from chatcart.i18n.catalogue import has_translation

PACKAGE = Path(__file__).resolve().parents[1]
#: Functions whose first argument is a msgid.
KEYWORDS = {name: None for name in ("tr", "say", "say_with_buttons", "quick", "N_", "_")}
#: Catalogues written by hand; zh-HK and zh-CN derive from zh-TW, English is the msgids.
WRITTEN = ("zh-TW", "ja", "pl")


def code_msgids() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PACKAGE),
        method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2.ext:babel_extract")],
        keywords=KEYWORDS,
    ):
        text = message[0] if isinstance(message, tuple) else message
        if text:
            found.add(str(text))
    return found


def flow_msgids() -> set[str]:
    flows = yaml.safe_load((PACKAGE / "engine" / "flows" / "default.yaml").read_text(encoding="utf-8"))
    found = {b["title"] for b in flows["buttons"].values()}
    found |= {m["text"] for m in flows["welcome"]} | {flows["menu"]["text"]}
    found |= {s["ask"] for s in flows["checkout"]}
    found |= set(flows["fallback"]["texts"]) | {flows["fallback"]["person_offer"]}
    return found


def color_msgids() -> set[str]:
    colors = yaml.safe_load((PACKAGE / "nlu" / "colors.yaml").read_text(encoding="utf-8"))
    return {str(key) for key in colors}


def all_msgids() -> set[str]:
    return code_msgids() | flow_msgids() | color_msgids()


def missing(lang: str) -> list[str]:
    return sorted(m for m in all_msgids() if not has_translation(lang, m))


def main() -> int:
    gaps = {lang: missing(lang) for lang in WRITTEN}
    for lang, msgids in gaps.items():
        for msgid in msgids:
            print(f"{lang}\t{msgid!r}")
    return 1 if any(gaps.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
