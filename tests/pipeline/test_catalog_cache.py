"""The catalog a turn reads is cached per process and per catalog version: an import by
another process is seen at once, stock sold anywhere is seen, a new version is built once
however many turns meet it, and the cache never goes back to an older version."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from chatcart.demo.loader import ensure_demo
from chatcart.services import catalogs
from chatcart.services.catalog_import.importer import import_catalog_file
from chatcart.services.runtime import Runtime, build_runtime
from chatcart.storage.tables import WorkspaceRow
from tests.conftest import FakeClock
from tests.conversations.conftest import Customer

FEED = Path(__file__).parents[1] / "fixtures" / "catalog" / "feed.csv"


@pytest.fixture
def shop(runtime: Runtime) -> Iterator[Runtime]:
    ensure_demo(runtime)
    yield runtime


def workspace(rt: Runtime) -> WorkspaceRow:
    with rt.db.snapshot() as session:
        return session.scalars(select(WorkspaceRow).where(WorkspaceRow.id == "demo")).one()


def test_products_imported_by_another_process_are_found_by_the_next_turn(
    shop: Runtime, database_url: str, clock: FakeClock
) -> None:
    customer = Customer(shop, "ivy", "en")
    customer.says("trail running shoes")
    assert not customer.card_ids, "the demo shop sells no running shoes"
    importer = build_runtime(database_url, "http://shop.test", clock=clock)
    import_catalog_file(importer, "demo", FEED)
    importer.db.dispose()
    customer.says("trail running shoes")
    assert customer.card_ids, "the cached catalog was rebuilt for the new version"


def test_a_new_catalog_version_is_built_once_however_many_turns_meet_it(
    shop: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    builds: list[int] = []
    real_load = catalogs._load

    def counted(session: object, row: WorkspaceRow) -> catalogs.CachedCatalog:
        builds.append(row.catalog_version)
        return real_load(session, row)  # type: ignore[arg-type]

    monkeypatch.setattr(catalogs, "_load", counted)
    cache = catalogs.CatalogCache()
    row = workspace(shop)
    barrier = threading.Barrier(8)

    def turn() -> None:
        barrier.wait()
        with shop.db.snapshot() as session:
            cache.get(session, row)

    threads = [threading.Thread(target=turn) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert builds == [row.catalog_version]


def test_a_turn_with_an_older_snapshot_does_not_take_the_cache_back(shop: Runtime) -> None:
    cache = catalogs.CatalogCache()
    old = workspace(shop)
    with shop.db.snapshot() as session:
        first = cache.get(session, old)
    import_catalog_file(shop, "demo", FEED)
    new = workspace(shop)
    with shop.db.snapshot() as session:
        newer = cache.get(session, new)
        again = cache.get(session, old)
    assert newer.catalog_version == first.catalog_version + 1
    assert again is newer, "an older snapshot uses the newer catalog instead of rebuilding the old one"
