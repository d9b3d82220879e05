"""Shared fixtures: the shipped knowledge base, the synthetic mini one, a CLI runner."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tkigraph.oxstore import open_kb
from tkigraph.resolve import Resolver

from .constants import MINI_KB


@pytest.fixture(scope="session", autouse=True)
def _private_data_dir(tmp_path_factory):
    """Point TKIGRAPH_DATA_DIR at an empty folder, so a developer's imports never change results,
    and TKIGRAPH_CACHE_DIR at a fresh one, so the tests never read a developer's graph cache."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TKIGRAPH_DATA_DIR", str(tmp_path_factory.mktemp("tkigraph-data")))
        patch.setenv("TKIGRAPH_CACHE_DIR", str(tmp_path_factory.mktemp("tkigraph-cache")))
        yield


@pytest.fixture(scope="session")
def kb():
    """The shipped knowledge base, read from its Oxigraph store (opened once)."""
    return open_kb()


@pytest.fixture(scope="session")
def mini():
    """The synthetic mini knowledge base with the schema only."""
    return open_kb((str(MINI_KB),), include_kb=False)


@pytest.fixture(scope="session")
def rdf_graph():
    """The shipped knowledge base as an rdflib graph: only for tests of the rdflib edges (SHACL, fmt, the
    ``--engine rdflib`` fallback) and as the independent reference the store is compared with."""
    from tkigraph.store import load_graph

    return load_graph()


#: the two ways the one reader reads the store: pattern by pattern, or from a snapshot in memory
VIEWS = ("store", "snapshot")


def load_view(view: str, *extra: str, include_kb: bool = True):
    """A KnowledgeBase reading the Oxigraph store call by call ("store") or from its snapshot ("snapshot")."""
    return open_kb(extra, include_kb=include_kb, snapshot=view == "snapshot")


@pytest.fixture(scope="session", params=VIEWS)
def mini_any(request):
    """The mini knowledge base read each way in turn (tests using it run once per view)."""
    return load_view(request.param, str(MINI_KB), include_kb=False)


@pytest.fixture(scope="session")
def mini_resolver(mini):
    return Resolver(mini)


@pytest.fixture(scope="session")
def resolver(kb):
    return Resolver(kb)


@pytest.fixture()
def runner():
    return CliRunner()


@pytest.fixture()
def invoke(runner):
    """Run the CLI in-process; returns click's Result."""
    from tkigraph.cli import cli

    def run(*args: str):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    return run


#: whole modules that start servers or browsers, build wheels, run notebooks or read real exports
SLOW_MODULES = {"test_virtuoso", "test_notebooks", "test_wheel", "test_render_pictures", "test_xss", "test_readme",
                "test_endpoint", "test_export", "test_push", "test_import_hostile", "test_moalmanac", "test_inputs", "test_w3c"}
#: fixtures that start a server or a browser
SLOW_FIXTURES = {"oxigraph_server", "pushed", "endpoint", "chromium", "virtuoso"}
#: words in a test's name that mark it slow (fuzzing, browsers, real exports, runaway queries)
SLOW_WORDS = ("fuzz", "chromium", "screenshot", "browser", "real_export", "real_2021", "runaway", "killed_writer",
              "remote_", "time_limit", "download", "serve")


def pytest_collection_modifyitems(config, items):
    """Mark the slow tests, so `pytest -m "not slow"` is the fast tier (`pytest` still runs everything)."""
    for item in items:
        module = item.module.__name__.rpartition(".")[2]
        if (module in SLOW_MODULES or SLOW_FIXTURES & set(getattr(item, "fixturenames", ()))
                or any(word in item.name for word in SLOW_WORDS)):
            item.add_marker(pytest.mark.slow)
