/* Helpers shared by the tkigraph pages: data reaches the DOM only as text (textContent), and
   links only as https addresses. */
var TKG = (function () {
  "use strict";
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function safeUrl(u) { return (typeof u === "string" && /^https:\/\/[^\s]+$/.test(u)) ? u : null; }
  /* The sources of a finding: each citation with its full date where the citation does not name it,
     and, when linked, its https address as a link (anything else stays text). */
  function sourceList(sources, linked) {
    var src = el("div");
    sources.forEach(function (s, i) {
      if (i) { src.appendChild(document.createTextNode("; ")); }
      var url = safeUrl(s.url), a = el(url && linked ? "a" : "span", s.citation + " (" + s.id + ")");
      if (url && linked) { a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer"; a.title = url; }
      src.appendChild(a);
      if (s.date && s.citation.indexOf(s.date) < 0) { src.appendChild(el("span", " · " + s.date, "muted")); }
      if (url && linked) { src.appendChild(el("span", " " + url, "muted")); }
    });
    return src;
  }
  /* One finding as shown in an evidence panel: effect, level, statement, linked citations. */
  function evidenceBlock(e) {
    var ev = el("div", null, "evidence " + e.effect.split(" ")[0]);
    ev.appendChild(el("div", e.variant + " / " + e.drug + ": " + e.effect + (e.negated ? " (negated: not counted)" : "")));
    ev.appendChild(el("div", e.level + (e.disease ? " · " + e.disease : "") + (e.mechanism ? " · " + e.mechanism : "") +
      (e.ic50_fold_change !== null ? " · IC50 ×" + e.ic50_fold_change : ""), "muted"));
    if (e.statement) { ev.appendChild(el("div", e.statement)); }
    var src = sourceList(e.sources, true);
    if (e.unverified) { src.appendChild(el("span", " [citation unverified]", "muted")); }
    ev.appendChild(src);
    return ev;
  }
  return { el: el, safeUrl: safeUrl, sourceList: sourceList, evidenceBlock: evidenceBlock };
}());
