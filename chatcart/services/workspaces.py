"""Creating and listing workspaces (shops), and what each shop configures: flows, FAQ and
its payment policy (which methods it takes, how long unpaid orders hold stock)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import yaml
from pydantic import ValidationError

from chatcart.commerce.content import FaqEntry, Workspace
from chatcart.commerce.orders import PaymentMethod
from chatcart.commerce.payment import PaymentPolicy
from chatcart.core.errors import DomainError, NotFound
from chatcart.engine.flows import FlowBook, parse_flows
from chatcart.i18n.catalogue import normalise_lang
from chatcart.services.runtime import Runtime
from chatcart.storage.catalog import (
    add_workspace,
    bump_catalog_version,
    get_workspace,
    list_workspaces,
    replace_faq,
)
from chatcart.storage.orders import PERSON_HOLD_KEY, payment_policy, save_payment_policy
from chatcart.storage.tables import WorkspaceRow

_WORKSPACE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


def create_workspace(
    rt: Runtime,
    workspace_id: str,
    name: str = "",
    lang: str = "zh-TW",
    currency: str = "TWD",
    timezone: str = "Asia/Taipei",
) -> Workspace:
    if not _WORKSPACE_ID.match(workspace_id):
        raise DomainError("invalid_workspace_id", workspace=workspace_id)
    workspace = Workspace(
        workspace_id,
        {normalise_lang(lang): name or workspace_id},
        normalise_lang(lang),
        currency.upper(),
        timezone,
    )
    with rt.db.transaction() as session:
        if get_workspace(session, workspace_id) is not None:
            raise DomainError("workspace_exists", workspace=workspace_id)
        add_workspace(session, workspace, rt.clock())
    return workspace


def find_workspace(rt: Runtime, workspace_id: str) -> Workspace | None:
    with rt.db.snapshot() as session:
        return get_workspace(session, workspace_id)


def all_workspaces(rt: Runtime) -> list[Workspace]:
    with rt.db.transaction() as session:
        return list_workspaces(session)


def set_flows(rt: Runtime, workspace_id: str, override_yaml: str) -> FlowBook:
    """Stores a workspace's flow overrides after validating them over the defaults."""
    try:
        flows = parse_flows(override_yaml)
    except (ValidationError, yaml.YAMLError) as error:
        raise DomainError("invalid_flows", detail=str(error)) from None
    with rt.db.transaction() as session:
        row = session.get(WorkspaceRow, workspace_id)
        if row is None:
            raise NotFound("unknown_workspace", workspace=workspace_id)
        row.flows_yaml = override_yaml
    return flows


def set_faq(rt: Runtime, workspace_id: str, faq_yaml: str) -> int:
    """Replaces a workspace's FAQ with the entries of a YAML list (id, questions, answer)."""
    try:
        raw = yaml.safe_load(faq_yaml)
        entries = [FaqEntry(str(e["id"]), dict(e["questions"]), dict(e["answer"])) for e in raw]
    except (yaml.YAMLError, KeyError, TypeError, ValueError) as error:
        raise DomainError("invalid_faq", detail=str(error)) from None
    with rt.db.transaction() as session:
        if get_workspace(session, workspace_id) is None:
            raise NotFound("unknown_workspace", workspace=workspace_id)
        replace_faq(session, workspace_id, entries)
        bump_catalog_version(session, workspace_id)
    return len(entries)


def set_payment_policy(
    rt: Runtime,
    workspace_id: str,
    methods: Sequence[str] | None = None,
    hold_minutes: Mapping[str, int] | None = None,
) -> PaymentPolicy:
    """Stores which payment methods the shop takes (None: every method the deployment
    offers) and how many minutes an unpaid order holds its stock, by method or "person"
    (orders a person closes). Refused, with nothing stored, if a name or a number is wrong."""
    chosen = None if methods is None else _payment_methods(methods)
    holds = None if hold_minutes is None else _hold_minutes(hold_minutes)
    with rt.db.transaction() as session:
        if not save_payment_policy(session, workspace_id, chosen, holds):
            raise NotFound("unknown_workspace", workspace=workspace_id)
        return payment_policy(session, workspace_id)


def _payment_methods(names: Sequence[str]) -> tuple[PaymentMethod, ...]:
    known = {m.value for m in PaymentMethod}
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise DomainError("invalid_payment_methods", methods=", ".join(unknown) or "none")
    return tuple(dict.fromkeys(PaymentMethod(n) for n in names))


def _hold_minutes(minutes: Mapping[str, int]) -> dict[str, int]:
    keys = {m.value for m in PaymentMethod} | {PERSON_HOLD_KEY}
    wrong = [
        k
        for k, v in minutes.items()
        if k not in keys or isinstance(v, bool) or not isinstance(v, int) or v < 1
    ]
    if wrong:
        raise DomainError("invalid_payment_holds", holds=", ".join(sorted(wrong)))
    return dict(minutes)


def find_payment_policy(rt: Runtime, workspace_id: str) -> PaymentPolicy:
    with rt.db.snapshot() as session:
        if get_workspace(session, workspace_id) is None:
            raise NotFound("unknown_workspace", workspace=workspace_id)
        return payment_policy(session, workspace_id)
