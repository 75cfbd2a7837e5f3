/* The timeline's live activity lines: when the open conversation changes (assigned,
   transferred, resolved, snoozed, woken …) the new lines are appended below its messages. */
(function () {
  "use strict";
  var pane = document.getElementById("conversation");
  var messages = document.getElementById("messages");
  if (!pane || !messages) return;
  var busy = false;
  function lastEventId() {
    var lines = messages.querySelectorAll(".activity[data-event-id]");
    var last = lines.length ? Number(lines[lines.length - 1].dataset.eventId) : 0;
    return Math.max(last, Number(messages.dataset.lastEventId || 0));
  }
  function fetchActivity() {
    if (busy) return;
    busy = true;
    var url = "/conversations/" + pane.dataset.conversationId + "/activity?after=" + lastEventId();
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        busy = false;
        var box = document.createElement("div");
        box.innerHTML = html;
        var nearBottom = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 120;
        Array.prototype.forEach.call(box.querySelectorAll(".activity"), function (line) {
          if (!document.getElementById(line.id)) messages.appendChild(line);
          messages.dataset.lastEventId = line.dataset.eventId;
        });
        if (nearBottom) messages.scrollTop = messages.scrollHeight;
      })
      .catch(function () { busy = false; });
  }
  document.body.addEventListener("rt:header", fetchActivity);
  // The agent's own change answers with the new header: its line follows at once.
  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (e.target && e.target.id === "conv-header") fetchActivity();
  });
})();

/* A refused reveal (no reason, role without pii.reveal) answers 4xx in plain text: show it
   beside the form instead of swapping the message body away. */
(function () {
  "use strict";
  document.body.addEventListener("htmx:beforeSwap", function (e) {
    var form = e.detail.requestConfig && e.detail.requestConfig.elt;
    var status = e.detail.xhr.status;
    if (!form || !form.closest || !form.closest(".msg-reveal") || status < 400) return;
    e.detail.shouldSwap = false;
    e.detail.isError = false;
    var slot = form.querySelector(".msg-reveal-error");
    if (slot) slot.textContent = e.detail.xhr.responseText;
  });
})();
