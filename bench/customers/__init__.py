"""A population of scripted customers buying from a bilingual Taiwanese tea shop, and the
figures of their journeys (turns to purchase, share who bought, containment, complaints
that reach a person, stuck customers).

    .venv/bin/python -m bench.customers [--lang en|zh-TW|all] [--json out.json]

The shop (`tea_shop.csv`, `tea_faq.yaml`) is imported into a fresh SQLite workspace; each
customer (`population.py`) is driven in-process through the real stack by the shared policy
(`policy.py`); see docs/benchmarks.md, "Scripted customers".
"""
