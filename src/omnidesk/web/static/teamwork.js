// Teamwork on a conversation: who else is viewing or typing (through the agents' socket, never
// the customer's), @mention notifications, and resetting the supervisor's whisper box.
(function () {
  "use strict";
  var pane = document.getElementById("conversation");
  var box = document.getElementById("viewers");
  var app = document.getElementById("app");
  var me = app ? Number(app.dataset.userId) : 0;
  var conversationId = pane ? Number(pane.dataset.conversationId) : null;
  var viewers = {};  // user id -> {name, typingUntil, seenAt}

  function send(obj) { return window.omniSocket ? window.omniSocket.send(obj) : false; }
  function announce(reply) {
    if (conversationId) send({ type: "viewing", conversation_id: conversationId, state: true, reply: !!reply });
  }
  function render() {
    if (!box) return;
    var now = Date.now();
    var watching = [], typing = [];
    Object.keys(viewers).forEach(function (id) {
      var v = viewers[id];
      if (now - v.seenAt > 60000) { delete viewers[id]; return; }
      (v.typingUntil > now ? typing : watching).push(v.name);
    });
    var parts = [];
    if (typing.length) parts.push(box.dataset.typingLabel.replace("%(names)s", typing.join(", ")));
    if (watching.length) parts.push(box.dataset.viewingLabel.replace("%(names)s", watching.join(", ")));
    box.textContent = parts.join(" · ");
  }
  document.addEventListener("omni:event", function (e) {
    var msg = e.detail || {}, data = msg.data || {};
    if (msg.type === "mention") {
      document.body.dispatchEvent(new Event("rt:mention"));
      return;
    }
    if (msg.type !== "colleague" || data.conversation_id !== conversationId || data.user_id === me) return;
    if (data.signal === "viewing" && !data.state) { delete viewers[data.user_id]; render(); return; }
    var v = viewers[data.user_id] || (viewers[data.user_id] = { name: data.name, typingUntil: 0, seenAt: 0 });
    v.seenAt = Date.now();
    if (data.signal === "typing") v.typingUntil = data.state ? Date.now() + 5000 : 0;
    if (data.signal === "viewing" && !data.reply) announce(true);  // a newcomer learns who is here
    render();
  });
  if (conversationId) {
    // Announce once the socket is open, then every 20 s (covers reconnects; entries expire).
    var first = setInterval(function () { if (send({ type: "viewing", conversation_id: conversationId, state: true })) clearInterval(first); }, 300);
    setInterval(function () { announce(true); render(); }, 20000);
  }
  document.body.addEventListener("htmx:afterRequest", function (e) {
    var form = document.getElementById("supervise");
    if (form && e.detail.elt === form && e.detail.successful) form.reset();
  });
})();
