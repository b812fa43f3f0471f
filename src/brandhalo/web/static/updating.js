// The dashboard's "updating…" sign (web/pages.py with_updating_sign): shown while a newer read
// snapshot than the one served exists (an analyze that finished is warmed for a few seconds
// before the server answers from it), then, once a newer snapshot than the page's own is
// served, a link that reloads the page. Hidden otherwise. Asks /updating every data-every ms
// while the tab is visible.
(function () {
  "use strict";
  var sign = document.getElementById("bh-updating");
  if (!sign || !window.fetch) return;
  // The path a reverse proxy serves the dashboard under ("" at /), from <html data-root>.
  var root = document.documentElement.dataset.root || "";
  var shown = Number(sign.dataset.shown) || 0;  // the generation the page was answered from
  var every = Number(sign.dataset.every) || 2000;

  function show(state) {
    sign.dataset.state = state;
    if (state === "current") { sign.hidden = true; return; }
    sign.hidden = false;
    if (state === "updating") { sign.textContent = sign.dataset.updating; return; }
    var link = document.createElement("a");
    link.href = window.location.href;
    link.textContent = sign.dataset.updated;
    sign.textContent = "";
    sign.appendChild(link);
  }

  function ask() {
    if (sign.dataset.state === "updated") return;  // the link stays until the reader reloads
    if (document.hidden) { later(); return; }
    fetch(root + "/updating", {headers: {accept: "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (s) show(s.updating ? "updating" : s.served > shown ? "updated" : "current");
        later();
      }, later);
  }

  function later() { window.setTimeout(ask, every); }

  sign.dataset.state = sign.hidden ? "current" : "updating";
  later();
})();
