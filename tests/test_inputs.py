"""One input policy for every command that loads data (issues 13 and 20).

Every command with ``--data`` refuses the same hostile files with the same message:
RDF/XML and DOCTYPEs, control and bidirectional characters (raw or escaped), bad
Turtle, a directory, a FIFO (at once, never blocking on it), and a file over the
size limit; and a large file is checked as a stream when the limit is raised.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

#: every command that takes --data, with the arguments it needs besides
LOADING_COMMANDS = {
    "explain": ["explain", "imatinib", "T315I"],
    "alternatives": ["alternatives", "T315I"],
    "mechanisms": ["mechanisms", "imatinib"],
    "show": ["show", "imatinib"],
    "stats": ["stats"],
    "coverage": ["coverage"],
    "query": ["query", "ASK { tkd:imatinib a tkigraph:Drug }"],
    "matrix": ["matrix", "--target", "ABL1", "--output", "{tmp}/matrix.html"],
    "render": ["render", "--focus", "imatinib", "--output", "{tmp}/page.html"],
    "export": ["export", "--format", "ntriples"],
    "push": ["push", "--endpoint", "http://127.0.0.1:9/query"],
}

#: name -> (text, what the refusal says)
HOSTILE = {
    "doctype.ttl": ("<!DOCTYPE html>\n<html></html>\n", "DOCTYPE"),
    "bidi.ttl": ('@prefix ex: <http://e/> .\n\nex:a ex:b "imatinib \u202e bin" .\n', "U+202E"),
    "bidi_escape.ttl": ('@prefix ex: <http://e/> .\nex:a ex:b "imatinib \\u202E bin" .\n', "U+202E"),
    "nul.ttl": ('@prefix ex: <http://e/> .\nex:a ex:b "a\x00b" .\n', "U+0000"),
    "unterminated.ttl": ('@prefix ex: <http://e/> .\n\nex:a ex:b "never closed .\n', "invalid Turtle"),
}


def _args(command: str, tmp_path) -> list[str]:
    return [a.replace("{tmp}", str(tmp_path)) for a in LOADING_COMMANDS[command]]


def test_every_loading_command_is_listed():
    """A new command with --data must join LOADING_COMMANDS (or this policy is not tested on it)."""
    from click.testing import CliRunner

    from tkigraph.cli import cli

    with_data = {name for name, command in cli.commands.items()
                 if any("--data" in p.opts for p in command.params)}
    assert with_data - {"serve"} == set(LOADING_COMMANDS), "add the command to LOADING_COMMANDS"
    assert CliRunner().invoke(cli, ["serve", "--help"]).exit_code == 0


@pytest.mark.parametrize("command", sorted(LOADING_COMMANDS))
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_refused_alike_by_every_command(invoke, tmp_path, command, name):
    text, reason = HOSTILE[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = invoke(*_args(command, tmp_path), "--data", str(path))
    assert result.exit_code == 1, result.output
    assert reason in result.output and name in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("command", sorted(LOADING_COMMANDS))
def test_directory_and_oversized_file_refused_alike(invoke, tmp_path, monkeypatch, command):
    result = invoke(*_args(command, tmp_path), "--data", str(tmp_path))
    assert result.exit_code == 1 and "is a directory" in result.output
    big = tmp_path / "big.ttl"
    with big.open("wb") as handle:  # sparse: refused on its size alone, never read
        handle.truncate(100 * 1024 * 1024)
    result = invoke(*_args(command, tmp_path), "--data", str(big))
    assert result.exit_code == 1 and "file too large" in result.output and "TKIGRAPH_MAX_FILE_MB" in result.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("command", sorted(LOADING_COMMANDS) + ["serve"])
def test_fifo_refused_at_once_never_read(tmp_path, command):
    """A FIFO as --data is refused by name without being opened (opening it would block)."""
    fifo = tmp_path / "fifo.ttl"
    os.mkfifo(fifo)
    args = ["serve", "--port", "0"] if command == "serve" else _args(command, tmp_path)
    try:  # the timeout only stops a command that blocks; it is no speed test
        done = subprocess.run([sys.executable, "-m", "tkigraph", *args, "--data", str(fifo)],
                              capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`tkigraph {command} --data FIFO` blocked instead of refusing the FIFO")
    assert done.returncode == 1 and "is a FIFO" in done.stderr and "Traceback" not in done.stderr


def test_raised_limit_checks_a_large_file_as_a_stream(invoke, tmp_path, monkeypatch):
    """Past the limit a file is refused; with the limit raised it is scanned chunk by chunk, so a
    forbidden character far beyond the first chunk is still found, with its line."""
    from tkigraph import hostile

    monkeypatch.setattr(hostile, "CHUNK", 1000)
    path = tmp_path / "long.ttl"
    lines = ["@prefix ex: <http://e/> ."] + [f'ex:s{i} ex:p "value {i}" .' for i in range(500)]
    lines[400] = 'ex:s400 ex:p "hidden \u202e here" .'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("TKIGRAPH_MAX_FILE_MB", "0.001")
    assert "file too large" in invoke("query", "ASK {}", "--data", str(path)).output
    monkeypatch.setenv("TKIGRAPH_MAX_FILE_MB", "1")
    result = invoke("query", "ASK {}", "--data", str(path))
    assert result.exit_code == 1 and "U+202E" in result.output and "long.ttl:401:" in result.output
    lines[400] = 'ex:s400 ex:p "plain" .'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://e/p> ?o }", "--format", "csv",
                    "--data", str(path))
    assert result.exit_code == 0 and result.output.split() == ["n", "500"]


def test_a_file_that_renames_a_curated_entity_is_named(invoke, tmp_path):
    """`--data` giving tkd:imatinib the label "aspirin" is said on every store command, and `show`
    tells which file said it (issue 20, item 6)."""
    path = tmp_path / "relabel.ttl"
    path.write_text('@prefix tkd: <https://w3id.org/tkigraph/kb/> .\n'
                    '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                    'tkd:imatinib rdfs:label "aspirin" .\n', encoding="utf-8")
    result = invoke("explain", "imatinib", "T315I", "--data", str(path))
    assert result.exit_code == 0
    assert f"{path} gives tkd:imatinib the name 'aspirin' (curated name 'imatinib')" in result.output
    plain = invoke("explain", "imatinib", "T315I")
    assert "note:" not in plain.output
    shown = invoke("show", "imatinib", "--data", str(path), "--format", "json")
    assert json.loads(shown.stdout)["from_files"] == {str(path): ["rdfs:label aspirin"]}


def test_the_rename_note_is_kept_beside_the_store_and_said_again(invoke, tmp_path, monkeypatch):
    """The rename query runs once per store (issue 19); the next call says the same from the kept notes."""
    import tkigraph.provenance as provenance

    path = tmp_path / "relabel.ttl"
    path.write_text('@prefix tkd: <https://w3id.org/tkigraph/kb/> .\n'
                    '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                    'tkd:imatinib rdfs:label "aspirin" .\n', encoding="utf-8")
    note = f"{path} gives tkd:imatinib the name 'aspirin' (curated name 'imatinib')"
    assert note in invoke("explain", "imatinib", "T315I", "--data", str(path)).output
    asked = []
    monkeypatch.setattr(provenance, "renamed", lambda store: asked.append(store) or [])
    again = invoke("explain", "imatinib", "T315I", "--data", str(path))
    assert again.exit_code == 0 and note in again.output and asked == []
