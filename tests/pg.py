"""PostgreSQL for the server-archive tests (team mode).

`./dev test` starts a throw-away cluster and exports ZICHA_TEST_PG (a libpq URL of a role that
may create databases). Without it the PostgreSQL cases skip, saying how to run them. Each test
gets a database of its own, dropped afterwards (pytest-xdist workers never share one)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest

ENV = "ZICHA_TEST_PG"
SKIP_REASON = (f"{ENV} is not set: run ./dev test (it starts a throw-away PostgreSQL), or set "
               f"{ENV}=postgresql://USER@HOST:PORT/postgres for a role that may create databases")
ENGINES = ["sqlite", "postgresql"]


def server_url() -> str:
    url = os.environ.get(ENV)
    if not url:
        pytest.skip(SKIP_REASON)
    return url


def _admin(url: str):  # type: ignore[no-untyped-def]
    import psycopg

    return psycopg.connect(url, autocommit=True)


@pytest.fixture
def pg_databases() -> Iterator[Callable[[], str]]:
    """A maker of fresh, empty databases on the test server (URLs), all dropped afterwards."""
    url = server_url()
    made: list[str] = []

    def make() -> str:
        name = f"zicha_t_{uuid.uuid4().hex[:12]}"
        with _admin(url) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        base, _, query = url.partition("?")
        return base.rsplit("/", 1)[0] + "/" + name + (f"?{query}" if query else "")

    yield make
    with _admin(url) as conn:
        for name in made:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_database(pg_databases: Callable[[], str]) -> str:
    """The URL of a fresh, empty database on the test server."""
    return pg_databases()


@pytest.fixture(params=ENGINES)
def engine_kind(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql":
        server_url()
    return str(request.param)


@pytest.fixture
def server_or_none(engine_kind: str, request: pytest.FixtureRequest) -> str | None:
    """None for a SQLite archive, else the URL of a fresh database for a server archive."""
    if engine_kind == "sqlite":
        return None
    return str(request.getfixturevalue("pg_database"))
