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
  return { el: el, safeUrl: safeUrl };
}());
