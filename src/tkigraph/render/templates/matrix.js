/* tkigraph matrix page: data reaches the DOM only through textContent and DOM properties. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("tkg-data").textContent);
  var V = DATA.verdicts, table = document.getElementById("matrix"), details = document.getElementById("details");
  var el = TKG.el;
  function empty(v) { return { verdict: "no_evidence", conflicting: false, inferred: false, matched_at: "none", fold: "", evidence: [] }; }
  function summary(v, d, c) {
    var lines = [v.label + " × " + d.label + ": " + V[c.verdict].label + (c.conflicting ? " (conflicting)" : "") +
                 (c.inferred ? " (inferred from components)" : "") + (c.matched_at === "parent" ? " (from a broader variant class)" : "")];
    c.evidence.forEach(function (e) {
      lines.push("- " + e.effect + ", " + e.level + ": " + e.sources.map(function (s) { return s.citation + (TKG.safeUrl(s.url) ? " <" + s.url + ">" : ""); }).join("; "));
    });
    return lines.join("\n");
  }
  function card(v, d, c) {
    var box = el("div");
    box.appendChild(el("h3", v.label + " × " + d.label));
    box.appendChild(el("div", V[c.verdict].label + (c.conflicting ? " · conflicting evidence" : "") +
      (c.inferred ? " · inferred from the components" : "") + (c.fold ? " · IC50 fold change " + c.fold : ""), "muted"));
    box.appendChild(el("div", v.id + " · " + d.id, "muted"));
    if (!c.evidence.length) { box.appendChild(el("p", "No finding in the knowledge base.")); }
    c.evidence.forEach(function (e) { box.appendChild(TKG.evidenceBlock(e)); });
    return box;
  }
  var head = el("tr"), REGIONS = DATA.regions || {};
  head.appendChild(el("th", "region", "region"));
  head.appendChild(el("th", DATA.target.label));
  DATA.drugs.forEach(function (d, i) {
    var th = el("th"); th.appendChild(el("span", d.label)); th.title = d.id;
    th.style.zIndex = String(DATA.drugs.length - i + 1);  // a slanted name overhangs the next column: keep it on top
    head.appendChild(th);
  });
  table.tHead.appendChild(head);
  var selected = null, counted = 0, cellsByKey = {};
  var regionCell = null, lastRegion = null;
  DATA.variants.forEach(function (v) {
    var tr = el("tr"), th = el("th", v.label), region = REGIONS[v.id] || "";
    if (region !== lastRegion || !regionCell) {  // one cell spans the rows of a region
      regionCell = el("th", region, "region");
      regionCell.rowSpan = 1;
      tr.appendChild(regionCell);
      tr.className = "region-start";
      lastRegion = region;
    } else { regionCell.rowSpan += 1; }
    th.title = v.id;
    tr.appendChild(th);
    DATA.drugs.forEach(function (d) {
      var c = DATA.cells[v.id + "|" + d.id] || empty(), td = el("td", c.fold + (c.conflicting ? "*" : ""));
      td.style.background = V[c.verdict].colour;
      if (c.verdict === "resistant" || c.verdict === "sensitive") { td.className = "dark"; }
      td.dataset.verdict = c.verdict;
      cellsByKey[v.id + "|" + d.id] = td;
      td.title = summary(v, d, c);
      td.addEventListener("click", function () {
        if (selected) { selected.classList.remove("selected"); }
        selected = td; td.classList.add("selected");
        details.replaceChildren(card(v, d, c));
      });
      tr.appendChild(td);
      counted += 1;
    });
    table.tBodies[0].appendChild(tr);
  });
  var legend = document.getElementById("legend");
  Object.keys(V).forEach(function (k) {
    var item = el("span"), sw = el("span", null, "swatch");
    sw.style.background = V[k].colour;
    item.appendChild(sw); item.appendChild(document.createTextNode(" " + V[k].label));
    legend.appendChild(item);
  });
  document.getElementById("status").textContent = DATA.variants.length + " variants × " + DATA.drugs.length + " drugs";
  document.body.dataset.rows = String(DATA.variants.length);
  document.body.dataset.columns = String(DATA.drugs.length);
  document.body.dataset.cells = String(counted);
  // page.html#cell=VARIANT|DRUG (CURIEs) opens with that cell's evidence shown
  var hash = /^#cell=(.+)$/.exec(window.location.hash);
  if (hash) {
    var key = "";
    try { key = decodeURIComponent(hash[1]); } catch (err) { key = hash[1]; }
    if (Object.prototype.hasOwnProperty.call(cellsByKey, key)) { cellsByKey[key].click(); document.body.dataset.opened = key; }
  }
  document.body.dataset.state = "ready";
})();
