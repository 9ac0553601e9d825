"""`python -m bench.customers`: run the population, print the figures, optionally write JSON."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench.customers import __doc__ as about
from bench.customers.population import population
from bench.customers.report import document, markdown
from bench.customers.run import run_population


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.customers",
        description=about,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--lang", choices=("en", "zh-TW", "all"), default="all")
    parser.add_argument("--json", type=Path, help="write the figures and every transcript here")
    parser.add_argument("--understander", default="trained", help="trained (default) or keyword")
    parser.add_argument("--keep-db", type=Path, help="keep the SQLite database in this folder")
    parser.add_argument(
        "--history", action="store_true", help="earlier orders of teas with teaware, so recommendations show"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    run = run_population(population(args.lang), args.keep_db, args.understander, args.history)
    print(markdown(run.figures, run.results))
    print(f"\n{len(run.results)} customers in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if args.json:
        doc = document(run.figures, run.journeys, run.results)
        args.json.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
