/* Keyboard shortcuts of the agent workspace; "?" shows the sheet listing them. Keys act only
   when the agent is not typing in a field (Esc leaves a field first). */
(function () {
  "use strict";
  var app = document.getElementById("app");
  if (!app) return;
  var sheet = document.getElementById("shortcut-sheet");
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  function go(step) {
    var rows = Array.prototype.slice.call(document.querySelectorAll("#conv-list .conv-item"));
    if (!rows.length) return;
    var at = rows.findIndex(function (r) { return r.classList.contains("selected"); });
    var next = rows[Math.max(0, Math.min(rows.length - 1, at < 0 ? 0 : at + step))];
    var link = next && next.querySelector("a");
    if (link) link.click();
  }
  function compose(mode) {
    var radio = document.querySelector('#composer input[name=mode][value="' + mode + '"]');
    if (!radio) return;
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
    document.getElementById("reply-text").focus();
  }
  function assignToMe() {
    var select = document.getElementById("assignee-select");
    if (!select) return;
    select.value = app.dataset.userId;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }
  function click(selector) { var el = document.querySelector(selector); if (el) { el.click(); el.focus(); } }
  var keys = {
    "j": function () { go(1); }, "k": function () { go(-1); },
    "r": function () { compose("reply"); }, "n": function () { compose("note"); },
    "a": assignToMe, "e": function () { click("#resolve-button"); },
    "s": function () { click(".snooze button"); },
    "l": function () { var el = document.querySelector(".labels-form input"); if (el) el.focus(); },
    "?": function () { if (sheet && !sheet.open) sheet.showModal(); }
  };
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && typing(e.target)) { e.target.blur(); return; }
    if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing || typing(e.target)) return;
    var action = keys[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  });
})();
