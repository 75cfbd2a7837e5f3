/* Notifications for this agent: a sound, a desktop notification (permission asked when it is
   turned on) and a count in the tab title, on a conversation assigned to them, a customer
   message in one of theirs they are not looking at, a mention and an SLA about to breach.
   The settings live on the agent (User.notify): the bell menu's boxes save as they change. */
(function () {
  "use strict";
  var app = document.getElementById("app");
  var panel = document.querySelector(".notify-panel");
  if (!app || !panel) return;
  var me = Number(app.dataset.userId);
  var csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"];
  var sound = document.getElementById("notify-sound");
  var unseen = 0;
  var baseTitle = document.title;
  var open = document.getElementById("conversation");
  var openId = open ? Number(open.dataset.conversationId) : null;

  function on(name) {
    var box = panel.querySelector('[data-notify="' + name + '"]');
    return !!(box && box.checked);
  }
  function save() {
    return fetch(panel.action, { method: "POST", body: new FormData(panel), credentials: "same-origin",
                                 headers: { "X-CSRF-Token": csrf, "X-Requested-With": "fetch" } });
  }
  function askPermission(box) {
    if (!window.Notification) { box.checked = false; return Promise.resolve(); }
    return Notification.requestPermission().then(function (answer) {
      panel.querySelector(".notify-denied").hidden = answer !== "denied";
      if (answer !== "granted") box.checked = false;
    });
  }
  panel.addEventListener("change", function (e) {
    var box = e.target;
    var ready = box.dataset.notify === "desktop" && box.checked ? askPermission(box) : Promise.resolve();
    ready.then(save);
    if (box.dataset.notify === "title") showCount();
  });
  function showCount() {
    document.title = on("title") && unseen ? "(" + unseen + ") " + baseTitle : baseTitle;
  }
  function alert(kind, conversationId) {
    if (!on(kind)) return;
    var text = panel.dataset["t" + kind.charAt(0).toUpperCase() + kind.slice(1)];
    unseen += 1;
    showCount();
    if (on("sound") && sound) {
      sound.currentTime = 0;
      var played = sound.play();
      if (played && played.catch) played.catch(function () { /* no gesture yet, or no device */ });
    }
    if (on("desktop") && window.Notification && Notification.permission === "granted") {
      var note = new Notification("omnidesk", { body: text, tag: kind + "-" + conversationId });
      note.onclick = function () { window.focus(); location.href = "/conversations/" + conversationId; };
    }
  }
  document.addEventListener("omni:event", function (e) {
    var msg = e.detail || {}, data = msg.data || {};
    var elsewhere = data.conversation_id !== openId || document.hidden;
    if (msg.type === "conversation.changed" && data.assignee_id === me &&
        (data.change === "assigned" || data.change === "transferred") && data.conversation_id !== openId) {
      alert("assigned", data.conversation_id);
    } else if (msg.type === "message.created" && data.author_kind === "customer" &&
               data.assignee_id === me && elsewhere) {
      alert("message", data.conversation_id);
    } else if (msg.type === "mention" && data.user_id === me) {
      alert("mention", data.conversation_id);
    } else if (msg.type === "sla.warning" && data.assignee_id === me) {
      alert("sla", data.conversation_id);
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { unseen = 0; showCount(); }
  });
})();
