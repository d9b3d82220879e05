"""Shared fixtures: the shipped knowledge base, the synthetic mini one, a CLI runner."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tkigraph.resolve import Resolver
from tkigraph.storage.oxigraph import open_kb

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
    from tkigraph.storage.files import load_graph

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
#: fixtures that start a server or a browser, or parse the whole shipped graph with rdflib (about 11 s)
SLOW_FIXTURES = {"oxigraph_server", "pushed", "endpoint", "chromium", "virtuoso", "kb", "kbs", "rdflib_engine",
                 "imported"}  # imported: test_reconcile's import of the real CIViC and MOAlmanac exports (31 s)
#: tests measured at 0.7 s or more (`pytest --durations=60`, file by file, on 2 shared cores), parameters aside;
#: a few of 1-2 s stay in the fast tier on purpose: the start-up import checks and the cache's own tests
SLOW_TESTS = {
    "test_api::test_matrix_mechanisms_networkx",
    "test_civic::test_an_interrupted_import_leaves_the_previous_one_intact",
    "test_civic::test_explain_cites_imported_beside_curated_evidence",
    "test_civic::test_import_writes_an_account_and_reimport_is_byte_identical",
    "test_civic::test_json_account_and_sources_listing",
    "test_cli::test_validate_shipped_kb_is_clean",
    "test_data::test_identifiers_are_valid_in_bioregistry",
    "test_data::test_no_orphan_nodes",
    "test_data::test_turtle_files_are_canonical",
    "test_explain::test_an_unknown_variant_is_told_what_to_type",
    "test_explain_rules::test_alternatives_command_marks_withdrawn_approvals",
    "test_explain_rules::test_mechanisms_command",
    "test_explain_rules::test_new_rules_agree_on_every_view",
    "test_reconcile::test_claims_count_each_claim_once",
    "test_reconcile::test_the_claim_rule_gives_rdflib_and_oxigraph_the_same_claims",
    "test_render::test_abl1_matrix_on_the_shipped_graph",
    "test_render::test_matrix_command",
    "test_render::test_matrix_formats",
    "test_render::test_payloads_run_nothing",
    "test_render::test_search_finds_a_node",
    "test_sparql::test_contradictory_findings",
    "test_sparql::test_graph_exports",
    "test_sparql::test_hostile_label_is_matched_exactly",
    "test_sparql::test_local_query_result_cap",
    "test_sparql::test_oxigraph_and_rdflib_agree",
    "test_sparql::test_query_cli_rdflib_engine_and_file",
    "test_views::test_a_damaged_store_is_rebuilt",
    "test_views::test_a_renamed_entity_is_found_by_its_new_name_on_the_next_call",
    "test_views::test_an_edit_of_the_shipped_knowledge_base_is_seen_on_the_next_explain",
    "test_views::test_an_edited_file_is_seen_on_the_next_explain",
    "test_views::test_cache_command_lists_and_clears_the_stores",
    "test_views::test_matrix_is_the_same_on_every_view",
    "test_views::test_two_processes_building_the_same_store_both_succeed",
    "test_views::test_whole_graph_page_data_is_the_same_on_every_view",
}
#: words in a test's name that mark it slow (fuzzing, browsers, real exports, runaway queries)
SLOW_WORDS = ("fuzz", "chromium", "screenshot", "browser", "real_export", "real_2021", "runaway", "killed_writer",
              "remote_", "time_limit", "download", "serve")


def pytest_collection_modifyitems(config, items):
    """Mark the slow tests, so `pytest -m "not slow"` is the fast tier (`pytest` still runs everything)."""
    for item in items:
        module = item.module.__name__.rpartition(".")[2]
        if (module in SLOW_MODULES or f"{module}::{getattr(item, 'originalname', item.name)}" in SLOW_TESTS
                or SLOW_FIXTURES & set(getattr(item, "fixturenames", ()))
                or any(word in item.name for word in SLOW_WORDS)):
            item.add_marker(pytest.mark.slow)
