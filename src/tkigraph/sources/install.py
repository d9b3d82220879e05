"""Write an imported source into the user data directory: atomically, canonically, with its account.

``<data dir>/sources/<name>.ttl`` holds the triples in canonical Turtle (sorted,
so the same input gives the same bytes); ``<name>.json`` the account (input
file, its sha256, row counts, date); ``<name>_rejects.tsv`` every rejected row
with its line number and reason. Each file is written to a temporary file and
renamed into place (:func:`tkigraph.atomic.write_atomic`), so an interrupted
import leaves the previous one intact. Re-importing the same file changes
nothing, the date included.

Before anything is written the Turtle is read by the loader's own parsers and checks
(:func:`tkigraph.sources.storage.loader_accepts`): a file the loader would refuse is never
installed (the import stops with an error and the previous import stays).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph

from ..atomic import write_atomic
from ..errors import InputFileError, TkigraphError
from ..hostile import max_file_bytes
from ..storage.files import sources_dir
from ..storage.turtle import canonical_turtle
from ..version import __version__
from .storage import loader_accepts

if TYPE_CHECKING:
    from .account import Account

__all__ = ["Installed", "install", "rejects_text", "sha256_of"]


@dataclass(frozen=True)
class Installed:
    """Where an import was written, and whether anything changed."""

    turtle: Path
    metadata: Path
    rejects: Path
    changed: bool


def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def rejects_text(account: Account) -> str:
    """The rejects report: one tab-separated line per rejected row (tabs and newlines in a reason escaped)."""
    unit = getattr(account, "unit", "line")
    lines = [f"{unit}\tid\treason"]
    lines += [f"{r.line}\t{_cell(r.evidence_id)}\t{_cell(r.reason)}" for r in account.rejected]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def check_loadable(name: str, text: str, folder: Path) -> None:
    """Refuse (TkigraphError) Turtle the loader would refuse or that is too large for it."""
    size = len(text.encode("utf-8"))
    if size > max_file_bytes():
        raise TkigraphError(f"the {name} import would be {size / 2**20:.0f} MB, more than the loader accepts "
                            f"({max_file_bytes() / 2**20:.0f} MB); nothing was written",
                            "raise TKIGRAPH_MAX_FILE_MB, or import a smaller file")
    fd, tmp = tempfile.mkstemp(prefix=f".{name}.check.", suffix=".ttl", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        loader_accepts(Path(tmp))
    except InputFileError as exc:
        raise TkigraphError(f"the {name} import produced Turtle the loader refuses ({exc.reason}); "
                            "nothing was written", "please report this as a bug, with the input file") from None
    finally:
        Path(tmp).unlink(missing_ok=True)


def install(name: str, graph: Graph, account: Account, *, origin: str, sha256: str) -> Installed:
    """Write ``graph`` and ``account`` as source ``name``; ``origin`` is the file or URL read."""
    folder = sources_dir()
    folder.mkdir(parents=True, exist_ok=True)
    turtle, metadata, rejects = folder / f"{name}.ttl", folder / f"{name}.json", folder / f"{name}_rejects.tsv"
    text = canonical_turtle(graph)
    meta = {"source": name, "origin": origin, "sha256": sha256, **account.to_dict(),
            "triples": len(graph), "tkigraph_version": __version__}
    old = _read_json(metadata)
    same = (turtle.is_file() and old.get("sha256") == sha256
            and {k: old.get(k) for k in meta} == meta and turtle.read_text(encoding="utf-8") == text)
    if same:
        return Installed(turtle, metadata, rejects, changed=False)
    check_loadable(name, text, folder)
    meta["imported_at"] = datetime.now(UTC).replace(microsecond=0).isoformat()
    write_atomic(rejects, rejects_text(account))
    write_atomic(turtle, text)
    write_atomic(metadata, json.dumps(meta, indent=2, sort_keys=True) + "\n")
    return Installed(turtle, metadata, rejects, changed=True)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data
    except (OSError, ValueError):
        return {}
