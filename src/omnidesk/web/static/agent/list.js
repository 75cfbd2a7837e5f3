/* The inbox list: bulk selection (kept across live refreshes) and the agent's own read mark. */
(function () {
  "use strict";
  var list = document.getElementById("conv-list");
  if (!list) return;
  var chosen = new Set();
  function boxes() { return list.querySelectorAll("input.pick"); }
  function sync() {
    var bar = document.getElementById("bulk-form");
    if (!bar) return;
    bar.hidden = chosen.size === 0;
    var count = bar.querySelector(".bulk-count");
    count.textContent = (count.dataset.label || "{n}").replace("{n}", String(chosen.size));
    var all = document.getElementById("pick-all");
    if (all) all.checked = chosen.size > 0 && chosen.size === boxes().length;
  }
  list.addEventListener("change", function (e) {
    if (e.target.id === "pick-all") {
      Array.prototype.forEach.call(boxes(), function (box) {
        box.checked = e.target.checked;
        if (box.checked) chosen.add(box.value); else chosen.delete(box.value);
      });
    } else if (e.target.classList.contains("pick")) {
      if (e.target.checked) chosen.add(e.target.value); else chosen.delete(e.target.value);
    }
    sync();
  });
  // A live refresh redraws the rows: tick again the ones the agent had chosen.
  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (!list.contains(e.target) && e.target !== list) return;
    Array.prototype.forEach.call(boxes(), function (box) { box.checked = chosen.has(box.value); });
    var shown = new Set(Array.prototype.map.call(boxes(), function (b) { return b.value; }));
    chosen.forEach(function (id) { if (!shown.has(id)) chosen.delete(id); });
    sync();
  });
  // The open conversation is read: its unread badge goes as soon as the page shows it.
  var pane = document.getElementById("conversation");
  function clearOpen() {
    if (!pane) return;
    var row = list.querySelector('.conv-item[data-conversation-id="' + pane.dataset.conversationId + '"]');
    if (!row) return;
    row.classList.remove("unread");
    var badge = row.querySelector(".unread-count");
    if (badge) badge.remove();
  }
  clearOpen();
  document.body.addEventListener("htmx:afterSwap", clearOpen);
})();
