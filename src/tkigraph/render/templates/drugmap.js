/* tkigraph resistance map: an SVG drawn from positions computed in Python (nothing moves).
   Data reaches the DOM only through textContent and DOM properties. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("tkg-data").textContent);
  var L = DATA.layout, ITEMS = DATA.items, V = DATA.verdicts, F = DATA.fonts;
  var el = TKG.el, evidenceBlock = TKG.evidenceBlock, NS = "http://www.w3.org/2000/svg";
  var holder = document.getElementById("map"), tip = document.getElementById("tip");
  var details = document.getElementById("details"), body = document.body;

  function svgEl(tag, attrs, text) {
    var e = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) { e.textContent = String(text); }
    return e;
  }
  function rect(box, attrs) {
    var a = { x: box[0], y: box[1], width: box[2], height: box[3] };
    Object.keys(attrs).forEach(function (k) { a[k] = attrs[k]; });
    return svgEl("rect", a);
  }
  // a label whose box (as laid out) is [x, y, w, h]: drawn from the box's left edge, centred vertically
  function label(box, text, size, cls, anchorMiddle) {
    var t = svgEl("text", { x: anchorMiddle ? box[0] + box[2] / 2 : box[0], y: box[1] + box[3] / 2,
                            "font-size": size, "dominant-baseline": "central", "class": "label " + cls,
                            "text-anchor": anchorMiddle ? "middle" : "start" }, text);
    return t;
  }

  var svg = svgEl("svg", { viewBox: "0 0 " + L.size[0] + " " + L.size[1], preserveAspectRatio: "xMidYMid meet",
                           role: "img", "aria-label": DATA.meta.title });
  holder.insertBefore(svg, tip);
  // a small map is not blown up: at most MAX_ZOOM times its laid-out size, centred
  var MAX_ZOOM = 1.25;
  function frame() {
    var w = holder.clientWidth || L.size[0], h = holder.clientHeight || L.size[1];
    var zoom = Math.min(w / L.size[0], h / L.size[1]);
    if (zoom <= MAX_ZOOM) { svg.setAttribute("viewBox", "0 0 " + L.size[0] + " " + L.size[1]); return; }
    var vw = w / MAX_ZOOM, vh = h / MAX_ZOOM;
    svg.setAttribute("viewBox", [(L.size[0] - vw) / 2, (L.size[1] - vh) / 2, vw, vh].join(" "));
  }
  frame();
  window.addEventListener("resize", frame);
  var edgeLayer = svgEl("g"), groupLayer = svgEl("g");
  svg.appendChild(edgeLayer); svg.appendChild(groupLayer);
  L.edges.forEach(function (e) {
    edgeLayer.appendChild(svgEl("polyline", { points: e.points.map(function (p) { return p.join(","); }).join(" "),
      fill: "none", stroke: "#9a9a9a", "stroke-width": 2, "class": "edge", "data-group": e.group }));
  });
  var d = L.drug;
  groupLayer.appendChild(rect(d.box, { rx: 32, fill: "#4e79a7", stroke: "#2d4e73", "stroke-width": 2 }));
  groupLayer.appendChild(label(d.label_box, d.label, F.drug, "drug", true));

  var chips = {}, selected = null;
  L.groups.forEach(function (g) {
    var box = svgEl("g", { "class": "group", "data-key": g.key });
    box.appendChild(rect(g.box, { rx: 8, fill: "#fafafa", stroke: "#b8b8b8", "stroke-width": 1.5, "class": "group-box" }));
    box.appendChild(label(g.title_box, g.title, F.title, "title"));
    g.headers.forEach(function (h) { box.appendChild(label(h.box, h.text, F.header, "header")); });
    g.items.forEach(function (it) {
      var info = ITEMS[it.id], v = V[info.verdict] || V.no_evidence;
      var chip = svgEl("g", { "class": "chip", "data-id": it.id, tabindex: 0 });
      chip.appendChild(rect(it.box, { rx: 5, fill: v.tint, stroke: v.colour, "stroke-width": 1.2,
                                      "stroke-dasharray": info.conflicting ? "4 2" : "none" }));
      chip.appendChild(svgEl("circle", { cx: it.marker[0], cy: it.marker[1], r: it.marker[2], fill: v.colour }));
      chip.appendChild(label(it.label_box, it.text, F.item, "item"));
      chip.addEventListener("mousemove", function (ev) { showTip(it.id, ev); });
      chip.addEventListener("mouseleave", function () { tip.style.display = "none"; });
      chip.addEventListener("click", function () { select(it.id); });
      chip.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { select(it.id); } });
      chips[it.id] = chip;
      box.appendChild(chip);
    });
    groupLayer.appendChild(box);
  });

  function verdictLine(info) {
    return (V[info.verdict] ? V[info.verdict].label : info.verdict) + " · " + info.level +
      (info.fold ? " · IC50 fold change " + info.fold : "") + (info.conflicting ? " · conflicting evidence" : "") +
      (info.inferred ? " · inferred from the components" : "");
  }
  function alternatives(info, full) {
    var box = el("div");
    if (!info.alternatives.length) { box.appendChild(el("div", "No drug of this class with sensitivity evidence.", "muted")); return box; }
    box.appendChild(el(full ? "h2" : "div", "Alternatives (sensitivity evidence)"));
    var ul = el("ul");
    info.alternatives.forEach(function (a) { ul.appendChild(el("li", a.drug + " — " + a.verdict.replace("_", " ") + ", " + a.level)); });
    box.appendChild(ul);
    return box;
  }
  function showTip(id, ev) {
    var info = ITEMS[id];
    var card = el("div");
    card.appendChild(el("strong", info.label));
    card.appendChild(el("div", verdictLine(info), "muted"));
    card.appendChild(alternatives(info, false));
    tip.replaceChildren(card);
    tip.style.display = "block";
    var r = holder.getBoundingClientRect(), x = ev.clientX - r.left + 14, y = ev.clientY - r.top + 14;
    if (x + tip.offsetWidth > r.width) { x = Math.max(0, ev.clientX - r.left - tip.offsetWidth - 14); }
    if (y + tip.offsetHeight > r.height) { y = Math.max(0, ev.clientY - r.top - tip.offsetHeight - 14); }
    tip.style.left = x + "px"; tip.style.top = y + "px";
  }
  function select(id) {
    var info = ITEMS[id];
    if (!info) { return; }
    if (selected) { selected.classList.remove("selected"); }
    selected = chips[id]; selected.classList.add("selected");
    var card = el("div");
    card.appendChild(el("h3", info.label + " × " + DATA.meta.drug.label));
    card.appendChild(el("div", verdictLine(info), "muted"));
    card.appendChild(el("div", id, "muted"));
    card.appendChild(alternatives(info, true));
    card.appendChild(el("h2", "Evidence"));
    if (!info.evidence.length) { card.appendChild(el("p", "No finding in the knowledge base.")); }
    info.evidence.forEach(function (e) { card.appendChild(evidenceBlock(e)); });
    details.replaceChildren(card);
    body.dataset.opened = id;
  }

  // -- legend, summary ------------------------------------------------------------
  var legend = document.getElementById("legend");
  ["resistant", "reduced_sensitivity", "sensitive"].forEach(function (k) {
    var item = el("span"), sw = el("span", null, "swatch");
    sw.style.background = V[k].colour;
    item.appendChild(sw); item.appendChild(document.createTextNode(" " + V[k].label + " (" + (DATA.counts[k] || 0) + ")"));
    legend.appendChild(item);
  });
  var sizes = el("span", "evidence:");
  Object.keys(DATA.levels).forEach(function (k) {
    var r = DATA.levels[k], dot = el("span", null, "dot");
    dot.style.width = dot.style.height = (2 * r) + "px";
    sizes.appendChild(document.createTextNode(" ")); sizes.appendChild(dot); sizes.appendChild(document.createTextNode(" " + k));
  });
  legend.appendChild(sizes);
  var summary = document.getElementById("summary");
  if (DATA.active_against.length) {
    summary.appendChild(el("h2", "Not drawn: alterations " + DATA.meta.drug.label + " is active against"));
    summary.appendChild(el("p", DATA.active_against.join(", "), "muted"));
  }
  if (!L.groups.length) { summary.appendChild(el("p", "No resistance finding for this drug in the knowledge base.")); }
  var n = Object.keys(ITEMS).length;
  document.getElementById("status").textContent = n + " alterations in " + L.groups.length + " mechanisms";

  // -- what a person sees: label boxes after layout, for tests and checks -------------
  function measure() {
    var boxes = [];
    svg.querySelectorAll("text.label").forEach(function (t) {
      var b = t.getBBox(), chip = t.closest(".chip"), group = t.closest(".group");
      boxes.push([b.x, b.y, b.width, b.height, chip ? chip.dataset.id : "", group ? group.dataset.key : ""]);
    });
    var groups = [];
    svg.querySelectorAll("g.group").forEach(function (g) {
      var b = g.querySelector("rect.group-box").getBBox(), members = [];
      g.querySelectorAll("g.chip").forEach(function (c) { var cb = c.getBBox(); members.push([cb.x, cb.y, cb.width, cb.height, c.dataset.id]); });
      groups.push({ key: g.dataset.key, box: [b.x, b.y, b.width, b.height], chips: members });
    });
    body.dataset.labels = JSON.stringify(boxes);
    body.dataset.groups = JSON.stringify(groups);
    body.dataset.edges = JSON.stringify(L.edges.map(function (e) { return e.points; }));
    var m = svg.getScreenCTM();
    body.dataset.scale = String(m ? Math.round(m.a * 1000) / 1000 : 1);
    body.dataset.items = String(n);
  }
  measure();
  var hash = /^#item=(.+)$/.exec(window.location.hash);
  if (hash) {
    var wanted = "";
    try { wanted = decodeURIComponent(hash[1]); } catch (err) { wanted = hash[1]; }
    if (Object.prototype.hasOwnProperty.call(ITEMS, wanted)) { select(wanted); }
  }
  body.dataset.state = "ready";
})();
