"""Creating and listing workspaces (shops)."""

from __future__ import annotations

import re

from chatcart.commerce.content import Workspace
from chatcart.core.errors import DomainError
from chatcart.i18n.catalogue import normalise_lang
from chatcart.services.runtime import Runtime
from chatcart.storage.catalog import add_workspace, get_workspace, list_workspaces

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


def all_workspaces(rt: Runtime) -> list[Workspace]:
    with rt.db.transaction() as session:
        return list_workspaces(session)
