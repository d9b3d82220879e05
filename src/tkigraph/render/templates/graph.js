/* tkigraph graph page. Every piece of data reaches the DOM through textContent or
   DOM properties, never parsed as markup, so labels cannot inject any. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("tkg-data").textContent);
  var TYPES = DATA.styles.types, KINDS = DATA.styles.kinds;
  var body = document.body, statusEl = document.getElementById("status");
  var byId = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; });

  var el = TKG.el;
  function pair(dl, term, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) { return; }
    dl.appendChild(el("dt", term));
    dl.appendChild(el("dd", Array.isArray(value) ? value.join(", ") : value));
  }
  function evidenceBlock(fid, full) {
    var ev = DATA.evidence[fid], box = el("div", null, "evidence " + (ev ? ev.effect.split(" ")[0] : ""));
    if (!ev) { box.appendChild(el("div", fid)); return box; }
    box.appendChild(el("div", ev.variant + " / " + ev.drug + ": " + ev.effect + (ev.negated ? " (negated: not counted)" : "")));
    box.appendChild(el("div", ev.level + (ev.disease ? " · " + ev.disease : "") +
      (ev.ic50_fold_change !== null ? " · IC50 ×" + ev.ic50_fold_change : ""), "muted"));
    if (full && ev.statement) { box.appendChild(el("div", ev.statement)); }
    var src = TKG.sourceList(ev.sources, full);
    if (ev.unverified) { src.appendChild(el("span", " [citation unverified]", "muted")); }
    box.appendChild(src);
    return box;
  }
  function nodeCard(n, full) {
    var box = el("div", null, full ? "" : "tip");
    box.appendChild(el(full ? "h3" : "strong", n.label));
    box.appendChild(el("div", n.type + " · " + n.id, "muted"));
    var dl = el("dl");
    pair(dl, "identifiers", n.xrefs);
    pair(dl, "synonyms", n.synonyms);
    box.appendChild(dl);
    if (n.type === "finding") { box.appendChild(evidenceBlock(n.id, full)); }
    return box;
  }
  function edgeCard(e, full) {
    var box = el("div", null, full ? "" : "tip");
    var from = byId[e.from], to = byId[e.to];
    box.appendChild(el(full ? "h3" : "strong", (from ? from.label : e.from) + " → " + (to ? to.label : e.to)));
    box.appendChild(el("div", e.predicate + " · " + (KINDS[e.kind] ? KINDS[e.kind].label : e.kind), "muted"));
    if (e.level) { box.appendChild(el("div", "strongest evidence: " + e.level, "muted")); }
    (e.findings || []).slice(0, full ? 1000 : 3).forEach(function (f) { box.appendChild(evidenceBlock(f, full)); });
    if (!full && e.findings && e.findings.length > 3) { box.appendChild(el("div", "… click for all " + e.findings.length, "muted")); }
    return box;
  }

  // -- data sets, filtered by type and effect --------------------------------
  // Positions come from Python (a layered layout): nothing moves. Labels grow with a node's
  // importance (its "value") and are drawn only once they would be readable at the zoom level.
  var hiddenTypes = {}, hiddenKinds = {};
  var big = DATA.nodes.length > 400;
  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    var st = TYPES[n.type] || TYPES.thing;
    return { id: n.id, label: n.label, type: n.type, shape: st.shape, title: nodeCard(n, false),
             x: n.x, y: n.y, value: n.value, fixed: { x: true, y: true },
             color: { background: st.colour, border: "#555", highlight: { background: st.colour, border: "#000" } },
             font: { color: n.type === "drug" ? "#ffffff" : "#222222" },
             borderWidth: DATA.meta.focus === n.id ? 4 : 1 };
  }));
  var edgesById = {};
  DATA.edges.forEach(function (e) { edgesById[e.id] = e; });
  var edges = new vis.DataSet(DATA.edges.map(function (e) {
    var k = KINDS[e.kind] || KINDS.other;
    return { id: e.id, from: e.from, to: e.to, kind: e.kind, title: edgeCard(e, false),
             color: { color: k.colour, highlight: "#000", hover: k.colour, opacity: e.findings ? 0.9 : 0.45 },
             width: e.findings ? 1.5 + Math.min(3, e.findings.length / 2) : 1 };
  }));
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return !hiddenTypes[n.type]; } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return !hiddenKinds[e.kind]; } });

  var options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 7 },
    physics: { enabled: false },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big, navigationButtons: false },
    // label sizes as render/layered.py computes them (FONT_MIN, FONT_MAX): the layout leaves room for them
    nodes: { borderWidth: 1, margin: 5, font: { size: 14 },
             scaling: { min: 8, max: 20, label: { enabled: true, min: 12, max: 26, maxVisible: 26, drawThreshold: 7 } } },
    edges: { arrows: { to: { enabled: true, scaleFactor: 0.4 } }, smooth: false, selectionWidth: 2 }
  };
  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  window.tkigraphNetwork = network;

  function showStatus(extra) {
    statusEl.textContent = nodeView.length + " of " + nodes.length + " nodes · " + edgeView.length + " of " +
      edges.length + " edges" + (extra ? " · " + extra : "");
    body.dataset.nodes = String(DATA.nodes.length);
    body.dataset.edges = String(DATA.edges.length);
  }
  var hidden = DATA.meta.hidden || { count: 0, types: {} };
  body.dataset.hidden = String(hidden.count);
  if (hidden.count) {
    var note = document.getElementById("note"), parts = Object.keys(hidden.types).map(function (t) { return hidden.types[t] + " " + t; });
    note.textContent = hidden.count + " more nodes not drawn (" + parts.join(", ") + "): narrow with --types / --depth" +
      " (or --focus, --disease), or raise --max-nodes.";
    note.hidden = false;
  }
  network.once("afterDrawing", function () {
    network.fit();  // the first drawing measured the labels: fit them all, with a margin
    network.moveTo({ scale: network.getScale() * 0.92 });
    showStatus();
    measure();
    body.dataset.state = "ready";
    body.dataset.settledMs = String(Math.round(performance.now()));  // time from navigation to a drawn page
  });
  // what a person sees, for tests and checks: how far nodes moved from the computed layout (nothing
  // should), and each node's box (its label inside) on the canvas
  function measure() {
    var moved = 0, boxes = [], positions = network.getPositions();
    DATA.nodes.forEach(function (n) {
      var p = positions[n.id];
      if (p) { moved = Math.max(moved, Math.abs(p.x - n.x), Math.abs(p.y - n.y)); }
    });
    body.dataset.moved = String(Math.round(moved * 10) / 10);
    body.dataset.scale = String(Math.round(network.getScale() * 1000) / 1000);
    if (DATA.nodes.length <= 500) {
      DATA.nodes.forEach(function (n) {
        var b = network.getBoundingBox(n.id);
        if (b) { boxes.push([b.left, b.top, b.right - b.left, b.bottom - b.top, n.id]); }
      });
      body.dataset.boxes = JSON.stringify(boxes);
    }
  }
  document.getElementById("fit").addEventListener("click", function () { network.fit({ animation: true }); });

  // -- folded findings: an edge's findings open on click (panel, and as nodes beside the edge) --
  var expanded = {};
  function toggleFindings(e) {
    if (!e.findings || !e.findings.length) { return; }
    if (expanded[e.id]) {
      nodes.remove(expanded[e.id].nodes); edges.remove(expanded[e.id].edges); delete expanded[e.id];
      delete body.dataset.expanded;
      return;
    }
    var a = network.getPosition(e.from), b = network.getPosition(e.to);
    var dx = b.x - a.x, dy = b.y - a.y, len = Math.sqrt(dx * dx + dy * dy) || 1, nx = -dy / len, ny = dx / len;
    var added = { nodes: [], edges: [] }, st = TYPES.finding, k = KINDS[e.kind] || KINDS.other;
    e.findings.forEach(function (f, i) {
      var ev = DATA.evidence[f], id = "expanded:" + e.id + ":" + f, off = 40 * (i + 1) * (i % 2 ? -1 : 1);
      var t = (i + 1) / (e.findings.length + 1);
      nodes.add({ id: id, label: ev ? ev.effect + ", " + ev.level : f, type: "finding", shape: st.shape, size: 7,
                  x: a.x + dx * t + nx * off, y: a.y + dy * t + ny * off, fixed: { x: true, y: true }, value: 1,
                  font: { size: 11 }, title: evidenceBlock(f, false),
                  color: { background: st.colour, border: "#555" } });
      added.nodes.push(id);
      [e.from, e.to].forEach(function (end, j) {
        var eid = id + ":" + j;
        edges.add({ id: eid, from: id, to: end, kind: e.kind, dashes: true, width: 1, arrows: { to: { enabled: false } },
                    color: { color: k.colour, opacity: 0.7 } });
        added.edges.push(eid);
      });
    });
    expanded[e.id] = added;
    body.dataset.expanded = e.id;
  }

  // -- details panel ---------------------------------------------------------
  var details = document.getElementById("details");
  function show(card) { details.replaceChildren(card); }
  network.on("click", function (p) {
    if (p.nodes.length && byId[p.nodes[0]]) { show(nodeCard(byId[p.nodes[0]], true)); }
    else if (p.nodes.length) { show(evidenceBlock(p.nodes[0].split(":").slice(2).join(":"), true)); }
    else if (p.edges.length) {
      var e = edgesById[p.edges[0]];
      if (e) { show(edgeCard(e, true)); toggleFindings(e); }
    }
  });

  // -- legend and filters ----------------------------------------------------
  function legend(boxId, table, hidden, present, swatchClass, view) {
    var holder = document.getElementById(boxId);
    Object.keys(table).forEach(function (key) {
      if (!present[key]) { return; }
      var label = el("label"), box = el("input"), sw = el("span", null, swatchClass);
      box.type = "checkbox"; box.checked = true; box.dataset.key = key;
      sw.style.background = table[key].colour;
      box.addEventListener("change", function () { hidden[key] = !box.checked; view.refresh(); showStatus(); });
      label.appendChild(box); label.appendChild(sw);
      label.appendChild(el("span", (table[key].label || key) + " (" + present[key] + ")"));
      holder.appendChild(label);
    });
  }
  function countBy(items, field) {
    var c = {}; items.forEach(function (x) { c[x[field]] = (c[x[field]] || 0) + 1; }); return c;
  }
  legend("legend-types", TYPES, hiddenTypes, countBy(DATA.nodes, "type"), "swatch", nodeView);
  legend("legend-kinds", KINDS, hiddenKinds, countBy(DATA.edges, "kind"), "line", edgeView);

  // -- search ----------------------------------------------------------------
  var names = document.getElementById("names"), search = document.getElementById("search");
  DATA.nodes.forEach(function (n) { if (n.type !== "finding") { var o = el("option"); o.value = n.label; names.appendChild(o); } });
  function find(text) {
    var q = text.trim().toLowerCase(), hit = null;
    if (!q) { return null; }
    DATA.nodes.some(function (n) {
      var names = [n.label, n.id].concat(n.synonyms, n.xrefs).map(function (s) { return String(s).toLowerCase(); });
      if (names.indexOf(q) >= 0) { hit = n; return true; } return false;
    });
    if (!hit) { DATA.nodes.some(function (n) { if (n.label.toLowerCase().indexOf(q) >= 0) { hit = n; return true; } return false; }); }
    return hit;
  }
  function go() {
    var n = find(search.value);
    if (!n) { showStatus("no node matches"); return; }
    if (hiddenTypes[n.type]) {
      hiddenTypes[n.type] = false; nodeView.refresh();
      var cb = document.querySelector('#legend-types input[data-key="' + n.type + '"]');
      if (cb) { cb.checked = true; }
    }
    network.selectNodes([n.id]);
    network.focus(n.id, { scale: 1.3, animation: { duration: 500 } });
    show(nodeCard(n, true));
    showStatus("found " + n.label);
    body.dataset.found = n.id;
  }
  search.addEventListener("change", go);
  search.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { go(); } });
  showStatus();
  // page.html#find=NAME opens with NAME found and its card shown (links can point at a node)
  // page.html#edge=ID opens that edge: its findings in the panel and beside the edge
  var edgeHash = /^#edge=(.+)$/.exec(window.location.hash);
  if (edgeHash && edgesById[edgeHash[1]]) {
    network.once("afterDrawing", function () {
      var e = edgesById[edgeHash[1]];
      show(edgeCard(e, true)); toggleFindings(e);
      body.dataset.drawnNodes = String(nodes.length);
    });
  }
  var hash = /^#find=(.+)$/.exec(window.location.hash);
  if (hash) {
    var wanted = "";
    try { wanted = decodeURIComponent(hash[1]); } catch (err) { wanted = hash[1]; }
    network.once("afterDrawing", function () { search.value = wanted; go(); });
  }
})();
