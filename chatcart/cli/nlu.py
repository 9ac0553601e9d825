"""`chatcart nlu eval`: measure the trained intent classifier on labelled data (docs/nlu.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from chatcart.cli.context import fail

nlu_app = typer.Typer(help="Understanding: measure the intent classifier.", no_args_is_help=True)

_DATA_HELP = "CSV with text,intent (lang optional) or CLINC150 JSON."
DataFile = Annotated[Path, typer.Option(exists=True, dir_okay=False, help=_DATA_HELP)]


@nlu_app.command("eval")
def evaluate_command(
    train: DataFile,
    test: DataFile,
    lang: Annotated[str | None, typer.Option(help="Test only the rows whose lang column is this.")] = None,
    validation: Annotated[
        Path | None,
        typer.Option(exists=True, dir_okay=False, help="Held-out set for the threshold (CLINC150: its val)."),
    ] = None,
    per_intent: Annotated[int | None, typer.Option(help="Few-shot: examples per intent to train on.")] = None,
    seeds: Annotated[int, typer.Option(min=1, help="Few-shot: samples averaged (seeds 0..N-1).")] = 5,
    oos_recall: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Out-of-scope recall the threshold is chosen to reach.")
    ] = 0.7,
    embeddings: Annotated[
        str | None, typer.Option(help="Add static embeddings to the n-grams: wordllama (if installed).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Train on one file, evaluate on the other: accuracy, macro-F1, out-of-scope recall and
    precision, the most confused intents, latency per message."""
    from chatcart.nlu.datasets import DatasetError, in_language, read_examples, sample_per_intent
    from chatcart.nlu.embeddings import available
    from chatcart.nlu.evaluation import average, evaluate

    try:
        training = read_examples(train, "train")
        testing = in_language(read_examples(test, "test"), lang)
        held = read_examples(validation, "val") if validation is not None else None
    except DatasetError as error:
        fail(str(error))
    if embeddings is not None and not available(embeddings):
        fail(f"embeddings {embeddings!r} are not installed: pip install 'chatcart[embeddings]'")
    if not testing:
        fail(f"no test rows in language {lang}" if lang else "no test rows")
    if per_intent is None:
        report = evaluate(training, testing, held, oos_recall, embeddings)
        samples = [report.accuracy]
    else:
        runs = [
            evaluate(sample_per_intent(training, per_intent, seed), testing, held, oos_recall, embeddings)
            for seed in range(seeds)
        ]
        report, samples = average(runs), [r.accuracy for r in runs]
    if as_json:
        typer.echo(json.dumps({**report.as_json(), "samples": samples}, ensure_ascii=False))
    else:
        typer.echo("\n".join(report.lines()))
