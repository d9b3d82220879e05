"""Safe HTML (issue 9): 50 script payloads in every rendered field run nothing in headless
Chromium, and a static check confirms that no field reaches a page as markup."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from tkigraph import render
from tkigraph.storage.oxigraph import open_kb

from .constants import MINI_KB
from .test_render import body_attrs, browser, chromium, embedded

TEMPLATES = [
    "<img src=x onerror=\"{js}\">", "<svg onload=\"{js}\">", "<svg><script>{js}</script></svg>",
    "</script><script>{js}</script>", "<script>{js}</script>", "<iframe srcdoc=\"<script>parent.{js}</script>\">",
    "<body onload=\"{js}\">", "<input autofocus onfocus=\"{js}\">", "<details open ontoggle=\"{js}\">",
    "<video><source onerror=\"{js}\"></video>", "<audio src=x onerror=\"{js}\">", "<marquee onstart=\"{js}\">",
    "<object data=\"javascript:{js}\">", "<embed src=\"javascript:{js}\">", "<a href=\"javascript:{js}\">x</a>",
    "javascript:{js}", "\" onmouseover=\"{js}\" x=\"", "' onfocus='{js}' autofocus='", "<style onload=\"{js}\"></style>",
    "<link rel=stylesheet href=\"javascript:{js}\">", "<math><mtext><table><mglyph><style><img src=x onerror=\"{js}\">",
    "<noscript><p title=\"</noscript><img src=x onerror={js}>\">", "<!--<img src=\"--><img src=x onerror={js}//\">",
    "<textarea></textarea><img src=x onerror=\"{js}\">", "<title></title><img src=x onerror=\"{js}\">",
    "]]><img src=x onerror=\"{js}\">", "\u2028<img src=x onerror=\"{js}\">", "<img src=\"x\\\" onerror={js} \">",
    "{{{{constructor.constructor('{js}')()}}}}", "${{{js}}}", "<img src=x onerror=&#x61;&#x6c;{js}>",
    "<svg><animate onbegin=\"{js}\" attributeName=x dur=1s>", "<form><button formaction=\"javascript:{js}\">x",
    "<isindex type=image src=1 onerror=\"{js}\">", "<div style=\"background:url(javascript:{js})\">",
    "<img/src=x/onerror=\"{js}\">", "<IMG SRC=x ONERROR=\"{js}\">", "<scr<script>ipt>{js}</scr</script>ipt>",
    "<base href=\"javascript:{js}//\">", "<meta http-equiv=refresh content=\"0;url=javascript:{js}\">",
    "<img src=x onerror=eval(atob('{b64}'))>", "%3Cimg%20src%3Dx%20onerror%3D{js}%3E", "<xss onpointerover=\"{js}\">x",
    "<select autofocus onfocus=\"{js}\">", "<keygen autofocus onfocus=\"{js}\">", "<frameset onload=\"{js}\">",
    "<table background=\"javascript:{js}\">", "<svg><a xlink:href=\"javascript:{js}\"><text>x</text></a></svg>",
    "\"><img src=x onerror=\"{js}\"><\"", "@@DATA@@ </script><img src=x onerror=\"{js}\">",
]


def payloads() -> list[str]:
    import base64

    out = []
    for n, template in enumerate(TEMPLATES):
        js = f"document.body.setAttribute('data-pwned','{n}')"
        out.append(template.format(js=js, b64=base64.b64encode(js.encode()).decode()))
    return out


PAYLOADS = payloads()


def turtle_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid Turtle string literal


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """The mini graph plus one entity per payload, each payload in a label, synonym, statement,
    identifier (an IRI that is not http) and publication title."""
    lines = ["@prefix tkigraph: <https://w3id.org/tkigraph/ontology#> .", "@prefix tkd: <https://w3id.org/tkigraph/kb/> .",
             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .", "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
             "@prefix dcterms: <http://purl.org/dc/terms/> .",
             "tkd:XSSK a tkigraph:Kinase ; rdfs:label \"XSSK\" ."]
    for n, payload in enumerate(PAYLOADS):
        p = turtle_string(payload)
        lines += [
            f"tkd:xss_drug_{n} a tkigraph:Drug ; rdfs:label {turtle_string(f'{n} {payload}')} ; skos:altLabel {p} ;"
            f" skos:exactMatch <urn:xss:{n}> ; tkigraph:inhibits tkd:XSSK .",
            f"tkd:XSSK_A{n + 1}C a tkigraph:PointSubstitution ; rdfs:label {turtle_string(f'XSSK A{n + 1}C {payload}')} ;"
            f" tkigraph:variantOf tkd:XSSK ; tkigraph:proteinChange \"A{n + 1}C\" .",
            f"tkd:xss_src_{n} a tkigraph:Publication ; dcterms:title {p} ; tkigraph:firstAuthor {p} .",
            f"tkd:F_xss_{n} a tkigraph:Finding ; tkigraph:variant tkd:XSSK_A{n + 1}C ; tkigraph:drug tkd:xss_drug_{n} ;"
            f" tkigraph:effect tkigraph:Resistant ; tkigraph:evidenceLevel tkigraph:InVitro ;"
            f" tkigraph:mechanism tkigraph:OnTargetMutation ;"
            f" tkigraph:statement {p} ; dcterms:source tkd:xss_src_{n} .",
        ]
    path = tmp_path_factory.mktemp("xss") / "xss.ttl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return open_kb((str(MINI_KB), str(path)), include_kb=False)


def test_corpus_has_fifty_distinct_payloads():
    assert len(set(PAYLOADS)) >= 50


SCRIPTS = sorted((Path(render.__file__).parent / "templates").glob("*.js"))


def test_static_no_markup_sink_in_page_scripts():
    """The page scripts never turn data into markup."""
    assert SCRIPTS
    for path in SCRIPTS:
        source = path.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                     "setAttribute(\"on", "srcdoc"):
            assert sink not in source, f"{path.name} uses {sink}"


def test_static_every_field_is_escaped_in_the_page(hostile, tmp_path):
    for kind in ("graph", "matrix"):
        page = tmp_path / f"{kind}.html"
        if kind == "graph":
            render.write_graph(hostile, page, title=PAYLOADS[0])
        else:
            render.write_matrix(hostile, page, "tkd:XSSK")
        html = page.read_text(encoding="utf-8")
        data_block = re.search(r'<script type="application/json" id="tkg-data">(.*?)</script>', html, re.S).group(1)
        assert "<" not in data_block and ">" not in data_block  # escaped as \\u003c inside the JSON
        outside = html.replace(data_block, "")
        for payload in PAYLOADS:
            if "<" in payload:
                assert payload not in outside, f"raw payload outside the data block: {payload[:40]}"
        text = json.dumps(embedded(html))
        assert sum(json.dumps(p)[1:-1] in text for p in PAYLOADS) >= 45  # the payloads are there, as data


@browser
@pytest.mark.parametrize("kind", ["graph", "matrix"])
def test_fifty_payloads_run_nothing_in_chromium(hostile, tmp_path, kind):
    page = tmp_path / f"{kind}.html"
    if kind == "graph":
        render.write_graph(hostile, page, title=PAYLOADS[3])
        fragments = ["#find=" + quote(f"0 {PAYLOADS[0]}"), "#find=" + quote(f"27 {PAYLOADS[27]}")]
    else:
        render.write_matrix(hostile, page, "tkd:XSSK")
        fragments = ["#cell=" + quote("tkd:XSSK_A1C|tkd:xss_drug_0"), "#cell=" + quote("tkd:XSSK_A28C|tkd:xss_drug_27")]
    for fragment in fragments:
        dom, console = chromium(tmp_path, page.as_uri() + fragment, "--dump-dom")
        attrs = body_attrs(dom)
        assert attrs.get("data-state") == "ready"
        assert "data-pwned" not in attrs, f"payload {attrs.get('data-pwned')} ran"
        assert console == []
