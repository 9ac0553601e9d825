"""The door for contacts outside a turn: who is behind a channel identity."""

from __future__ import annotations

from chatcart.messaging.inbound import Identity
from chatcart.services.runtime import Runtime
from chatcart.storage.catalog import get_workspace
from chatcart.storage.contacts import contact_for, find_contact_id


def identify(rt: Runtime, workspace_id: str, identity: Identity, lang: str = "") -> str | None:
    """The contact id for this identity, created on first contact; None for an unknown shop.
    Safe under concurrent first events of one identity (storage/contacts.py)."""
    with rt.db.transaction() as session:
        if get_workspace(session, workspace_id) is None:
            return None
        return contact_for(session, workspace_id, identity, rt.clock(), lang=lang)


def find_contact(rt: Runtime, workspace_id: str, identity: Identity) -> str | None:
    """The contact behind this identity if it has ever written; creates nothing, so opening
    a connection (which anyone can do, as often as they like) leaves no trace."""
    with rt.db.snapshot() as session:
        return find_contact_id(session, workspace_id, identity)
