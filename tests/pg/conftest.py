"""The PostgreSQL cluster, one per test session (per xdist worker), and a fresh database
with the guide's tables for each test that asks.

Without a PostgreSQL server these tests skip, except under CI=true, where a real-tool
test that cannot run fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pg.cluster import Cluster, start
from tests.pg.guide import GUIDE_TABLES
from tests.pg.support import FlagsProject


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    try:
        running = start()
    except RuntimeError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"real-tool test cannot run under CI=true: {exc}")
        pytest.skip(str(exc))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def database(cluster: Cluster) -> str:
    """A new database holding the guide's feature_flags and user_feature_flags."""
    name = cluster.create_database(f"meterr_{uuid.uuid4().hex[:12]}")
    cluster.sql(GUIDE_TABLES, name)
    return name


@pytest.fixture
def flags_project(workdir: Path, cluster: Cluster) -> FlagsProject:
    """The bundled environments, staging and production each with a database of its own."""
    return FlagsProject(workdir, cluster)
