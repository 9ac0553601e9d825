"""Contacts, their channel identities and their carts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from chatcart.commerce.cart import Cart, CartLine
from chatcart.core.ids import new_id
from chatcart.crm.contacts import Contact
from chatcart.messaging.inbound import Identity
from chatcart.storage.tables import ContactRow, IdentityRow, InboxRow


def contact_of(row: ContactRow) -> Contact:
    return Contact(
        row.id,
        row.workspace_id,
        row.lang,
        row.lang_chosen,
        row.name,
        row.profile.get("phone", ""),
        row.entry_source,
        dict(row.profile),
    )


_CONTACT_OF_IDENTITY = select(IdentityRow.contact_id).where(
    IdentityRow.workspace_id == bindparam("workspace_id"),
    IdentityRow.channel == bindparam("channel"),
    IdentityRow.external_id == bindparam("external_id"),
)
_CONTACT = select(ContactRow).where(ContactRow.id == bindparam("contact_id"))
_SAVE_CART = update(ContactRow).where(ContactRow.id == bindparam("contact_id")).values(cart=bindparam("cart"))


def find_contact_id(session: Session, workspace_id: str, identity: Identity) -> str | None:
    params = {"workspace_id": workspace_id, "channel": identity.channel, "external_id": identity.external_id}
    return session.scalar(_CONTACT_OF_IDENTITY, params)


def contact_for(
    session: Session,
    workspace_id: str,
    identity: Identity,
    now: datetime,
    lang: str = "",
    entry_source: str = "",
) -> str:
    """The contact behind this identity, created on first contact (with where they came from).

    Safe when two first events of one identity arrive at once: the loser's insert hits the
    identity's primary key, its savepoint is rolled back, and it reads the winner's contact.
    """
    existing = find_contact_id(session, workspace_id, identity)
    if existing:
        return existing
    contact_id = new_id()
    try:
        with session.begin_nested():
            session.add(
                ContactRow(
                    id=contact_id,
                    workspace_id=workspace_id,
                    lang=lang,
                    entry_source=entry_source,
                    profile={},
                    cart=[],
                    created_at=now,
                )
            )
            session.flush()
            session.add(
                IdentityRow(
                    workspace_id=workspace_id,
                    channel=identity.channel,
                    external_id=identity.external_id,
                    contact_id=contact_id,
                )
            )
            session.flush()
    except IntegrityError:
        winner = find_contact_id(session, workspace_id, identity)
        if winner is None:
            raise
        return winner
    return contact_id


def last_identity(session: Session, contact_id: str) -> Identity | None:
    """Where to reach a contact on their own initiative-less messages (notices): the channel
    of their latest inbound event."""
    row = session.execute(
        select(InboxRow.channel, InboxRow.payload)
        .where(InboxRow.contact_id == contact_id)
        .order_by(InboxRow.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    sender = dict(row[1]).get("sender") or {}
    return Identity(channel=str(row[0]), external_id=str(sender.get("external_id", "")))


def _contact_row(session: Session, contact_id: str) -> ContactRow:
    """The contact's row: from the session if it has it, else by one prebuilt statement."""
    known = session.identity_map.get(identity_key(ContactRow, contact_id))
    if isinstance(known, ContactRow):
        return known
    return session.execute(_CONTACT, {"contact_id": contact_id}).scalar_one()


def load_contact(session: Session, contact_id: str) -> Contact:
    return contact_of(_contact_row(session, contact_id))


def update_contact(session: Session, contact_id: str, **changes: Any) -> None:
    row = session.get_one(ContactRow, contact_id)
    for key, value in changes.items():
        if key == "profile":
            row.profile = {**row.profile, **value}
        else:
            setattr(row, key, value)


def load_cart(session: Session, contact_id: str) -> Cart:
    row = _contact_row(session, contact_id)
    return Cart(tuple(CartLine(line["product_id"], line["sku"], int(line["quantity"])) for line in row.cart))


def save_cart(session: Session, contact_id: str, cart: Cart) -> None:
    lines = [{"product_id": li.product_id, "sku": li.sku, "quantity": li.quantity} for li in cart.lines]
    session.connection().execute(_SAVE_CART, {"contact_id": contact_id, "cart": lines})
