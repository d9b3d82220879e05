"""Shared fixtures: the shipped knowledge base, the synthetic mini one, a CLI runner."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import tkigraph
from tkigraph.resolve import Resolver

from .constants import MINI_KB


@pytest.fixture(scope="session")
def kb():
    """The shipped knowledge base (loaded once)."""
    return tkigraph.load()


@pytest.fixture(scope="session")
def mini():
    """The synthetic mini knowledge base with the schema only."""
    return tkigraph.load(str(MINI_KB), include_kb=False)


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
