"""Where a server's secret key comes from.

The secret signs what the server hands out and must recognise later (web chat session
tokens, the sandbox payment callback); anyone who knows it can impersonate any visitor. So
there is no built-in default: `chatcart serve` requires CHATCART_SECRET_KEY, and `chatcart
demo` makes a random one the first time and keeps it, readable by its owner only, in its
data directory, so visitors' sessions survive a restart of the demo.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

#: The demo's secret, inside its data directory.
SECRET_FILE = "secret_key"
HOW_TO_SET = (
    "no secret key: set CHATCART_SECRET_KEY to a long random value (e.g. the output of "
    '`python -c "import secrets; print(secrets.token_urlsafe(32))"`) in the environment or a '
    ".env file, and keep it the same across restarts and API processes"
)


def demo_secret(data_dir: Path) -> str:
    """The secret kept in `data_dir`, made (mode 0600) the first time."""
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = data_dir / SECRET_FILE
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        kept = path.read_text(encoding="utf-8").strip()
        if kept:
            return kept
        descriptor = os.open(path, os.O_WRONLY | os.O_TRUNC)
    secret = secrets.token_urlsafe(32)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(secret + "\n")
    return secret
