"""A progress bar for the commands that take a while, drawn only on a terminal.

Scripts and tests read what a command prints, so when stdout is not a terminal nothing is
drawn: no bar and no control characters, only the command's own lines. The work itself
(an import, say) only calls a `(done, total)` callback and knows nothing of terminals.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

#: Told (done, total) as the work goes.
Report = Callable[[int, int], None]


@contextmanager
def progress_bar(description: str) -> Iterator[Report]:
    """A callback that moves a `description ━━━━ done/total` bar on a terminal, or does
    nothing elsewhere. The bar pulses until the first report gives it a total, and is
    wiped when the block ends, so the command's summary is what stays on screen."""
    if not sys.stdout.isatty():
        yield _unshown
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(file=sys.stdout), transient=True) as bar:
        task = bar.add_task(description, total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield report


def _unshown(done: int, total: int) -> None:
    """The report when there is no terminal to draw on."""
