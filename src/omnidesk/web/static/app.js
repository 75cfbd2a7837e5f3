/* The agent workspace: live inbox and conversation over the realtime socket, reply box keys. */
(function () {
  "use strict";
  var app = document.getElementById("app");
  if (!app) return;
  var pane = document.getElementById("conversation");
  var conversationId = pane ? Number(pane.dataset.conversationId) : null;
  var messages = document.getElementById("messages");
  var csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"];
  var scheme = location.protocol === "https:" ? "wss://" : "ws://";
  var listTimer = null;
  var typingTimer = null;
  var retrySend = function () {};

  function refreshList() {
    clearTimeout(listTimer);
    listTimer = setTimeout(function () { document.body.dispatchEvent(new Event("rt:list")); }, 150);
  }
  function lastMessageId() {
    var items = messages ? messages.querySelectorAll(".msg") : [];
    return items.length ? Number(items[items.length - 1].dataset.messageId) : 0;
  }
  function appendHtml(html) {
    var box = document.createElement("div");
    box.innerHTML = html;
    var added = false;
    Array.prototype.forEach.call(box.querySelectorAll(".msg"), function (el) {
      if (!document.getElementById(el.id)) { messages.appendChild(el); added = true; }
    });
    if (added) { messages.scrollTop = messages.scrollHeight; markRead(); }
  }
  function fetchNewMessages() {
    if (!conversationId) return;
    fetch("/conversations/" + conversationId + "/messages?after_id=" + lastMessageId(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; }).then(appendHtml);
  }
  function replaceMessage(messageId, html) {
    // A delivery status or a downloaded file changed an existing message: redraw it in place.
    var shown = document.querySelector('#messages .msg[data-message-id="' + messageId + '"]');
    if (!shown) return;
    var box = document.createElement("div");
    box.innerHTML = html;
    var fresh = box.querySelector('.msg[data-message-id="' + messageId + '"]');
    if (fresh) shown.replaceWith(fresh);
  }
  function listShows(id) {
    return !!document.querySelector('#conv-list .conv-item[data-conversation-id="' + id + '"]');
  }
  function markRead() {
    var last = lastMessageId();
    if (conversationId && last && document.visibilityState === "visible") {
      socket.send({ type: "read", conversation_id: conversationId, message_id: last });
    }
  }
  function showTyping(on) {
    var el = document.getElementById("typing");
    if (!el) return;
    el.hidden = !on;
    clearTimeout(typingTimer);
    if (on) typingTimer = setTimeout(function () { el.hidden = true; }, 5000);
  }
  function setStatus(online) {
    var el = document.getElementById("live-status");
    if (!el) return;
    el.textContent = online ? el.dataset.labelOn : el.dataset.labelOff;
    el.classList.toggle("on", online);
  }
  function onEvent(msg) {
    var data = msg.data || {};
    // Other workspace modules (notifications) hear the same facts.
    document.dispatchEvent(new CustomEvent("omni:event", { detail: msg }));
    if (msg.type === "message.created") {
      // The server sends only messages that concern this agent; the list is re-read when the
      // row is shown, or when a customer wrote (their conversation may enter this view).
      if (listShows(data.conversation_id) || data.author_kind === "customer") refreshList();
      if (data.conversation_id === conversationId) {
        // The message comes rendered for this screen: append it, no re-read of the thread.
        if (typeof data.html === "string") appendHtml(data.html); else fetchNewMessages();
        // A new customer message refreshes the article suggestions beside it.
        if (data.author_kind === "customer") { showTyping(false); document.body.dispatchEvent(new Event("rt:message")); }
        // The header's Resolve warns while the customer's last message is unanswered: a
        // customer message (or a public answer) that changes that redraws it.
        var warned = !!document.querySelector("#resolve-menu.unanswered");
        if (!data.is_private && (data.author_kind === "customer") !== warned) {
          document.body.dispatchEvent(new Event("rt:header"));
        }
      }
    } else if ((msg.type === "message.updated" || msg.type === "message.delivery_updated") && data.conversation_id === conversationId) {
      if (typeof data.html === "string") replaceMessage(data.message_id, data.html);
    } else if (msg.type === "conversation.changed") {
      refreshList();
      if (data.conversation_id === conversationId) document.body.dispatchEvent(new Event("rt:header"));
    } else if (msg.type === "agent.presence_changed" && data.user_id === Number(app.dataset.userId)) {
      document.body.dispatchEvent(new Event("rt:presence"));
    } else if (msg.type === "typing" && data.author === "customer" && data.conversation_id === conversationId) {
      showTyping(data.state !== false);
    } else if (msg.type === "read" && data.reader === "customer" && data.conversation_id === conversationId) {
      Array.prototype.forEach.call(document.querySelectorAll("[data-receipt]"), function (el) {
        if (Number(el.dataset.receipt) <= data.message_id) { el.classList.add("read"); el.textContent = el.dataset.readLabel || el.textContent; }
      });
    }
  }
  var socket = new window.OmniSocket(scheme + location.host + "/ws", {
    // The conversation shown: its new messages come rendered, with its typing and read marks.
    hello: function () { return conversationId ? { conversation_id: conversationId } : {}; },
    onEvent: onEvent,
    onStatus: setStatus,
    // A fresh queue means events may have been missed: reload from the database.
    onReady: function (resumed) { retrySend(); if (!resumed) { refreshList(); fetchNewMessages(); markRead(); } },
  });
  window.omniSocket = socket;  // teamwork.js signals viewing and typing through it
  socket.connect();

  document.addEventListener("change", function (e) {
    var form = e.target.closest("form[data-autosubmit]");
    if (form) form.requestSubmit();
  });

  // Enter in the transfer note moves on to choosing who takes over (choosing sends the
  // transfer with the note): the form has no submit of its own, and the browser's would
  // reload the page with the note in the address and lose it.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || e.isComposing || !e.target.matches(".transfer-note-input")) return;
    e.preventDefault();
    var select = document.getElementById("assignee-select");
    if (select) select.focus();
  });

  var composer = document.getElementById("composer");
  if (!composer) return;
  var text = document.getElementById("reply-text");
  var error = document.getElementById("composer-error");
  var fileInput = composer.querySelector("input[type=file]");
  fileInput.addEventListener("change", function () {
    composer.querySelector(".file-name").textContent = fileInput.files.length ? fileInput.files[0].name : "";
  });
  composer.addEventListener("change", function (e) {
    if (e.target.name === "mode") composer.classList.toggle("note-mode", e.target.value === "note");
  });
  function insertSuggestion(el) {
    // Suggestions (greeting, canned replies, articles) go into the reply box for the agent to edit.
    var value = el.getAttribute("data-insert") || el.getAttribute("data-kb-insert") || el.textContent;
    text.value = text.value.trim() ? text.value.replace(/\s*$/, "\n") + value : value;
    text.focus();
  }
  document.addEventListener("click", function (e) {
    var el = e.target.closest("[data-insert], [data-kb-insert]");
    if (el) { e.preventDefault(); insertSuggestion(el); }
  });
  document.addEventListener("keydown", function (e) {
    var el = e.target.closest && e.target.closest("[data-insert], [data-kb-insert]");
    if (el && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); insertSuggestion(el); }
  });
  text.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); composer.requestSubmit(); }
  });
  text.addEventListener("input", function () {
    socket.typing(function () {
      // A private note's typing is shown to colleagues only, never to the customer.
      var mode = composer.querySelector("input[name=mode]:checked");
      return { type: "typing", conversation_id: conversationId, state: true, mode: mode ? mode.value : "reply" };
    });
  });
  // Sending: every message carries an idempotency key kept across retries, so a double-click,
  // a retry after a lost answer or a resend after a reconnect is stored once. While offline
  // the composer says "not sent — retrying" and keeps trying with backoff, at once when the
  // browser is back online or the live connection is up again.
  var pending = null;
  var retryTimer = null;
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  function setSending(on) {
    composer.classList.toggle("sending", on);
    text.readOnly = on;
    document.getElementById("send-button").disabled = on;
  }
  function retryLater() {
    if (!pending) return;
    pending.attempt += 1;
    composer.classList.add("not-sent");
    error.textContent = composer.dataset.tNotSent || "Not sent — retrying";
    clearTimeout(retryTimer);
    retryTimer = setTimeout(attemptSend, Math.min(15000, 1000 * Math.pow(2, pending.attempt - 1)));
  }
  function attemptSend() {
    clearTimeout(retryTimer);
    var sending = pending;
    if (!sending || sending.inFlight) return;
    sending.inFlight = true;
    sending.body.set("after_id", String(lastMessageId()));
    fetch(composer.action, { method: "POST", body: sending.body, credentials: "same-origin", headers: { "X-CSRF-Token": csrf } })
      .then(function (r) { return r.text().then(function (t) { return { ok: r.ok, status: r.status, redirected: r.redirected, text: t }; }); })
      .then(function (res) {
        sending.inFlight = false;
        if (res.status >= 500 || res.status === 408 || res.status === 429) { retryLater(); return; }
        pending = null;
        setSending(false);
        composer.classList.remove("not-sent");
        if (res.redirected) { error.textContent = composer.dataset.tSignedOut || "Signed out"; return; }
        if (!res.ok) { error.textContent = res.text; return; }
        error.textContent = "";
        text.value = ""; fileInput.value = ""; composer.querySelector(".file-name").textContent = "";
        appendHtml(res.text);
        refreshList();
        composer.dispatchEvent(new CustomEvent("omni:sent"));
      })
      .catch(function () { sending.inFlight = false; retryLater(); });
  }
  composer.addEventListener("submit", function (e) {
    e.preventDefault();
    if (pending) return;  // already on its way: a second click is the same message
    if (!text.value.trim() && !fileInput.files.length) return;
    var body = new FormData(composer);
    body.append("client_message_id", newKey());
    pending = { body: body, attempt: 0, inFlight: false };
    socket.typingDone();
    error.textContent = "";
    setSending(true);
    attemptSend();
  });
  window.addEventListener("online", function () { if (pending) attemptSend(); });
  retrySend = function () { if (pending) attemptSend(); };
  if (messages) { messages.scrollTop = messages.scrollHeight; }
  document.addEventListener("visibilitychange", markRead);
})();
