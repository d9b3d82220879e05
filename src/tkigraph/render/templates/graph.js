/* tkigraph graph page. Every piece of data reaches the DOM through textContent or
   DOM properties, never parsed as markup, so labels cannot inject any. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("tkg-data").textContent);
  var TYPES = DATA.styles.types, KINDS = DATA.styles.kinds;
  var body = document.body, statusEl = document.getElementById("status");
  var byId = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; });

  var el = TKG.el, safeUrl = TKG.safeUrl;
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
    var src = el("div");
    ev.sources.forEach(function (s, i) {
      if (i) { src.appendChild(document.createTextNode("; ")); }
      var url = safeUrl(s.url), a = el(url && full ? "a" : "span", s.citation + " (" + s.id + ")");
      if (url && full) { a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer"; }
      src.appendChild(a);
    });
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
  var hiddenTypes = {}, hiddenKinds = {};
  var big = DATA.nodes.length > 400;
  // Layout is stopped at this many ms after navigation, settled or not, so a graph of
  // 10,000 nodes is drawn and usable within seconds (tick "physics" to let it keep moving).
  var SETTLE_BY_MS = 5000;
  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    var st = TYPES[n.type] || TYPES.thing;
    return { id: n.id, label: n.label, type: n.type, shape: st.shape, title: nodeCard(n, false),
             color: { background: st.colour, border: "#555", highlight: { background: st.colour, border: "#000" } },
             size: n.type === "finding" || n.type === "publication" || n.type === "concept" ? 8 : 14,
             font: { size: n.type === "finding" ? 9 : 14 },
             borderWidth: DATA.meta.focus === n.id ? 4 : 1 };
  }));
  var edges = new vis.DataSet(DATA.edges.map(function (e) {
    var k = KINDS[e.kind] || KINDS.other;
    return { id: e.id, from: e.from, to: e.to, kind: e.kind, title: edgeCard(e, false),
             color: { color: k.colour, highlight: "#000", hover: k.colour },
             width: e.findings ? 2.5 : 1 };
  }));
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return !hiddenTypes[n.type]; } });
  var edgeView = new vis.DataView(edges, { filter: function (e) { return !hiddenKinds[e.kind]; } });

  var options = {
    autoResize: true,
    layout: { improvedLayout: DATA.nodes.length <= 150, randomSeed: 7 },
    physics: { enabled: true, solver: "barnesHut",
               barnesHut: { gravitationalConstant: big ? -6000 : -4000, springLength: big ? 90 : 130,
                            springConstant: 0.04, damping: 0.4, avoidOverlap: 0.1 },
               stabilization: { enabled: true, iterations: big ? 250 : 400, updateInterval: big ? 2 : 25, fit: true } },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: big, hideEdgesOnZoom: big, navigationButtons: false },
    nodes: { borderWidth: 1 },
    edges: { arrows: { to: { enabled: true, scaleFactor: 0.5 } }, smooth: big ? false : { type: "continuous" } }
  };
  var container = document.getElementById("graph");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  window.tkigraphNetwork = network;

  function showStatus(extra) {
    statusEl.textContent = nodeView.length + " of " + nodes.length + " nodes · " + edgeView.length + " of " +
      edges.length + " edges" + (extra ? " · " + extra : "");
    body.dataset.nodes = String(nodes.length);
    body.dataset.edges = String(edges.length);
  }
  var physicsBox = document.getElementById("physics");
  network.on("stabilizationProgress", function (p) {
    showStatus("settling " + Math.round(100 * p.iterations / p.total) + "%");
    if (performance.now() > SETTLE_BY_MS && p.iterations < p.total) {
      network.stopSimulation();  // ends the layout after this batch: stabilizationIterationsDone follows
    }
  });
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });  // freeze once settled: large graphs stay responsive
    physicsBox.checked = false;
    network.fit();
    showStatus("settled");
    body.dataset.state = "ready";
    body.dataset.settledMs = String(Math.round(performance.now()));  // time from navigation to a settled page
  });
  network.once("afterDrawing", function () { if (body.dataset.state === "loading") { body.dataset.state = "drawn"; } });
  physicsBox.addEventListener("change", function () { network.setOptions({ physics: { enabled: physicsBox.checked } }); });
  document.getElementById("fit").addEventListener("click", function () { network.fit({ animation: true }); });

  // -- details panel ---------------------------------------------------------
  var details = document.getElementById("details");
  function show(card) { details.replaceChildren(card); }
  network.on("click", function (p) {
    if (p.nodes.length) { show(nodeCard(byId[p.nodes[0]], true)); }
    else if (p.edges.length) {
      var e = DATA.edges.filter(function (x) { return x.id === p.edges[0]; })[0];
      if (e) { show(edgeCard(e, true)); }
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
  var hash = /^#find=(.+)$/.exec(window.location.hash);
  if (hash) {
    var wanted = "";
    try { wanted = decodeURIComponent(hash[1]); } catch (err) { wanted = hash[1]; }
    network.once("stabilizationIterationsDone", function () { search.value = wanted; go(); });
  }
})();
