/* Notifications for this agent: a sound, a desktop notification (asked for permission when
   turned on) and a count in the tab title, on a conversation assigned to them and on a new
   customer message in one of theirs they are not looking at. Settings are kept per agent. */
(function () {
  "use strict";
  var app = document.getElementById("app");
  var panel = document.querySelector(".notify-panel");
  if (!app || !panel) return;
  var me = Number(app.dataset.userId);
  var key = "omnidesk.notify." + me;
  var settings = Object.assign({ sound: true, desktop: false, title: true },
    JSON.parse(localStorage.getItem(key) || "{}"));
  var unseen = 0;
  var baseTitle = document.title;
  var open = document.getElementById("conversation");
  var openId = open ? Number(open.dataset.conversationId) : null;

  Array.prototype.forEach.call(panel.querySelectorAll("[data-notify]"), function (box) {
    box.checked = !!settings[box.dataset.notify];
    box.addEventListener("change", function () {
      settings[box.dataset.notify] = box.checked;
      localStorage.setItem(key, JSON.stringify(settings));
      if (box.dataset.notify === "desktop" && box.checked && window.Notification) {
        Notification.requestPermission().then(function (answer) {
          panel.querySelector(".notify-denied").hidden = answer !== "denied";
          if (answer !== "granted") { box.checked = false; settings.desktop = false; localStorage.setItem(key, JSON.stringify(settings)); }
        });
      }
      if (box.dataset.notify === "title") showCount();
    });
  });
  function showCount() {
    document.title = settings.title && unseen ? "(" + unseen + ") " + baseTitle : baseTitle;
  }
  function beep() {
    var Audio = window.AudioContext || window.webkitAudioContext;
    if (!Audio) return;
    var ctx = new Audio(), tone = ctx.createOscillator(), gain = ctx.createGain();
    tone.frequency.value = 880; gain.gain.value = 0.08;
    tone.connect(gain); gain.connect(ctx.destination);
    tone.start(); tone.stop(ctx.currentTime + 0.18);
  }
  function alert(text, conversationId) {
    unseen += 1;
    showCount();
    if (settings.sound) { try { beep(); } catch (e) { /* no audio device */ } }
    if (settings.desktop && window.Notification && Notification.permission === "granted" && document.hidden) {
      var note = new Notification("omnidesk", { body: text, tag: "conv-" + conversationId });
      note.onclick = function () { window.focus(); location.href = "/conversations/" + conversationId; };
    }
  }
  document.addEventListener("omni:event", function (e) {
    var msg = e.detail || {}, data = msg.data || {};
    if (msg.type === "conversation.changed" && data.assignee_id === me &&
        (data.change === "assigned" || data.change === "transferred") && data.conversation_id !== openId) {
      alert(panel.dataset.tAssigned, data.conversation_id);
    } else if (msg.type === "message.created" && data.author_kind === "customer" &&
               data.assignee_id === me && (data.conversation_id !== openId || document.hidden)) {
      alert(panel.dataset.tMessage, data.conversation_id);
    }
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { unseen = 0; showCount(); }
  });
})();
