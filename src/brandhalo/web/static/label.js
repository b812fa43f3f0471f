// The labelling page: one post at a time; 1/2/3 = negative/neutral/positive, 0 = skip.
// Labels go to POST /api/labels with the admin token typed into the page (kept in this tab's
// sessionStorage only; the login cookie cannot write).
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("bh-label").textContent);
  var items = data.items, tx = data.text, at = 0, done = 0, skipped = 0;
  var labelled = data.labelled;
  var textEl = document.getElementById("label-text");
  var metaEl = document.getElementById("label-meta");
  var statusEl = document.getElementById("label-status");
  var tokenEl = document.getElementById("admin-token");
  var busy = false;
  // The path a reverse proxy serves the dashboard under ("" at /), from <html data-root>.
  var root = document.documentElement.dataset.root || "";
  tokenEl.value = sessionStorage.getItem("bh-admin") || "";
  tokenEl.addEventListener("change", function () {
    sessionStorage.setItem("bh-admin", tokenEl.value.trim());
  });

  // A TEXT sentence with its {name} fields filled in.
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) {
      return name in values ? String(values[name]) : all;
    });
  }

  function labelName(label) { return tx["label_" + label] || label; }

  function show() {
    var root = document.getElementById("labeller");
    if (at >= items.length) {
      textEl.textContent = items.length ? tx.done : tx.empty;
      metaEl.textContent = "";
      root.dataset.done = "1";
      return;
    }
    var it = items[at];
    textEl.textContent = it.text;
    metaEl.textContent = fill(tx.meta, {
      at: at + 1, total: items.length, predicted: tx.predicted, label: labelName(it.predicted),
      confidence: tx.confidence, value: it.confidence.toFixed(2),
      reason: tx["reason_" + it.reason] || it.reason
    }) + (it.rating === null || it.rating === undefined ? "" : fill(tx.rated, {stars: it.rating}));
    root.dataset.postId = it.post_id;
  }

  function save(label) {
    if (busy || at >= items.length) return;
    var token = tokenEl.value.trim();
    if (!token) { statusEl.textContent = tx.need_token; tokenEl.focus(); return; }
    sessionStorage.setItem("bh-admin", token);
    busy = true;
    fetch(root + "/api/labels", {
      method: "POST",
      headers: {"content-type": "application/json", "authorization": "Bearer " + token},
      body: JSON.stringify({post_id: items[at].post_id, label: label})
    }).then(function (r) {
      return r.json().then(function (body) { return {ok: r.ok, status: r.status, body: body}; });
    }).then(function (res) {
      busy = false;
      if (!res.ok) {
        var why = {401: tx.bad_token, 403: tx.bad_token, 429: tx.slow_down}[res.status];
        statusEl.textContent = why || (res.body.error ? res.body.error.message : tx.failed);
        return;
      }
      done += 1;
      labelled = res.body.labelled;
      statusEl.textContent = fill(tx.saved, {label: labelName(label), n: res.body.labelled});
      statusEl.dataset.saved = String(done);
      at += 1;
      show();
    }).catch(function (e) { busy = false; statusEl.textContent = String(e); });
  }

  // A skip says so: the status of the label saved before it no longer shows.
  function skip() {
    if (busy || at >= items.length) return;
    skipped += 1;
    statusEl.textContent = fill(tx.skipped, {n: labelled});
    statusEl.dataset.skipped = String(skipped);
    at += 1;
    show();
  }

  document.querySelectorAll("button.lab").forEach(function (b) {
    b.addEventListener("click", function () { save(b.dataset.label); });
  });
  document.getElementById("skip").addEventListener("click", skip);
  document.addEventListener("keydown", function (e) {
    if (e.target === tokenEl || e.ctrlKey || e.metaKey || e.altKey) return;
    var keys = {"1": "negative", "2": "neutral", "3": "positive"};
    if (keys[e.key]) { e.preventDefault(); save(keys[e.key]); }
    else if (e.key === "0" || e.key === "s") { e.preventDefault(); skip(); }
  });
  show();
})();
