"""What every page needs: vis-network's files, safe JSON in a script tag, one-pass templates, atomic writes.

Pages are single self-contained files: vis-network's JavaScript and CSS are read
from the installed pyvis package and inlined, so nothing is fetched at view time.
pyvis itself is never imported here (importing it is slow, and its ``Network``
writes a ``lib/`` folder into the working directory).
"""

from __future__ import annotations

import html
import importlib.util
import json
import re
from functools import cache
from pathlib import Path

from ..atomic import write_atomic_bytes
from ..errors import TkigraphError

__all__ = ["vis_assets", "script_json", "fill", "template", "write_atomic_bytes", "Inline", "source_url"]

#: vis-network release shipped inside pyvis that the pages inline
VIS_VERSION = "9.1.2"
TEMPLATES = Path(__file__).parent / "templates"
_MARKER = re.compile(r"@@([A-Z_]+)@@")
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


@cache
def vis_assets() -> tuple[str, str]:
    """(JavaScript, CSS) of vis-network, read from the installed pyvis package."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise TkigraphError("pyvis is not installed: it provides vis-network", hint="pip install pyvis")
    folder = Path(next(iter(spec.submodule_search_locations))) / "templates" / "lib" / f"vis-{VIS_VERSION}"
    js, css = folder / "vis-network.min.js", folder / "vis-network.css"
    if not js.is_file() or not css.is_file():
        raise TkigraphError(f"vis-network {VIS_VERSION} not found in {folder}", hint="pip install 'pyvis>=0.3.2'")
    return _inline_safe(js.read_text(encoding="utf-8")), _inline_safe(css.read_text(encoding="utf-8"))


def _inline_safe(code: str) -> str:
    """Code that cannot close the element it is inlined in."""
    return re.sub(r"</(script|style)", r"<\\/\1", code, flags=re.IGNORECASE)


def script_json(data: object) -> str:
    """JSON for a ``<script type="application/json">``: no ``<``, ``>`` or ``&`` survives literally."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


@cache
def template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def fill(text: str, **values: str) -> str:
    """Replace every ``@@NAME@@`` in one pass (values are never rescanned)."""
    def sub(match: re.Match[str]) -> str:
        return values[match.group(1)]
    return _MARKER.sub(sub, text)


def page(kind: str, title: str, data: object, **extra: str) -> str:
    """A complete page: template ``kind``.html with its script, vis-network and the data inlined."""
    js, css = vis_assets() if kind == "graph" else ("", "")
    return fill(template(f"{kind}.html"), TITLE=html.escape(title), VIS_CSS=css, VIS_JS=js,
                STYLE=_inline_safe(template("common.css")),
                SCRIPT=_inline_safe(template("common.js") + template(f"{kind}.js")),
                DATA=script_json(data), **extra)


def source_url(source: str) -> str | None:
    """A browsable https address of a source CURIE (PubMed, DOI), or None."""
    prefix, _, local = source.partition(":")
    if prefix == "pubmed" and local.isdigit():
        return f"https://pubmed.ncbi.nlm.nih.gov/{local}/"
    if prefix == "doi" and local:
        from urllib.parse import quote

        return "https://doi.org/" + quote(local, safe="/()._-;:")
    return None



class Inline:
    """A page shown inline in Jupyter (an iframe whose ``srcdoc`` is the page), or saved."""

    def __init__(self, page_html: str, height: int = 650) -> None:
        self.html = page_html
        self.height = height

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.html, quote=True)}" sandbox="allow-scripts" '
                f'style="width:100%;height:{int(self.height)}px;border:1px solid #ddd"></iframe>')

    def save(self, path: str | Path) -> Path:
        write_atomic_bytes(path, self.html.encode("utf-8"))
        return Path(path)

    def __len__(self) -> int:
        return len(self.html)
