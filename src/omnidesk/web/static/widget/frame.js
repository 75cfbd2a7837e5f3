/* The chat window inside the widget frame: session, history, live socket, durable sending. */
(function () {
  "use strict";
  var root = document.getElementById("chat");
  var slug = root.dataset.workspace;
  var t = root.dataset;
  var log = document.getElementById("log");
  var text = document.getElementById("text");
  var key = "omnidesk:" + slug + ":";
  var hash = new URLSearchParams(location.hash.slice(1));
  var localStorage = widgetStore(key, hash.get("kept"));  // shadows the page's: see below
  var token = null;
  var lastId = 0;
  var agentReadUpTo = 0;
  var isOpen = false;
  var unread = 0;
  var outbox = JSON.parse(localStorage.getItem(key + "outbox") || "[]");
  var socket = null;
  var typingTimer = null;

  // Where the visitor's session, unsent messages and pre-chat answers are kept. A browser that
  // blocks storage in third-party frames (Safari, Firefox strict mode, Chrome without third-party
  // cookies) refuses localStorage to this frame on the shop's site: the values then live in
  // memory, seeded from and copied to the embedding page's own storage by the loader (keys of
  // this workspace only), so a reload on the shop's site continues the same conversation.
  function widgetStore(prefix, kept) {
    try {
      window.localStorage.getItem(prefix);
      return window.localStorage;
    } catch (e) { /* denied to this third-party frame */ }
    var mem = {};
    try {
      var seed = JSON.parse(kept || "{}");
      Object.keys(seed).forEach(function (k) {
        if (k.indexOf(prefix) === 0 && typeof seed[k] === "string") mem[k] = seed[k];
      });
    } catch (e) { mem = {}; }
    return {
      getItem: function (k) { return Object.prototype.hasOwnProperty.call(mem, k) ? mem[k] : null; },
      setItem: function (k, v) {
        mem[k] = String(v);
        parent.postMessage({ omnidesk: "keep", key: k, value: mem[k] }, "*");
      }
    };
  }

  document.documentElement.style.setProperty("--brand", t.color);
  parent.postMessage({ omnidesk: "config", color: t.color, position: t.position, launcher: t.launcher || "" }, "*");

  function api(path, options) {
    options = options || {};
    options.headers = Object.assign({ "X-Widget-Workspace": slug, "X-Widget-Token": token || "" }, options.headers || {});
    return fetch(path, options).then(function (r) {
      if (!r.ok) { var err = new Error("http " + r.status); err.status = r.status; throw err; }
      return r.json();
    });
  }
  function startSession() {
    var body = { workspace: slug, token: hash.get("token") || localStorage.getItem(key + "token"), locale: t.locale,
                 user_id: hash.get("userId"), signature: hash.get("signature"),
                 name: hash.get("name") || localStorage.getItem(key + "name"), email: hash.get("email") || localStorage.getItem(key + "email") };
    return api("/widget/api/sessions", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (s) { token = s.token; localStorage.setItem(key + "token", token); return s; });
  }
  function newId() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  // Only http(s) URLs (absolute, or relative to this site) may become links or images:
  // an agent- or API-supplied "javascript:" or "data:" URL is shown as plain text.
  function safeUrl(value) {
    if (typeof value !== "string" || !value || /[\u0000-\u0020\u007f\\]/.test(value.trim())) return null;
    var parsed;
    try { parsed = new URL(value.trim(), location.href); } catch (e) { return null; }
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  }
  function linkify(el, value) {
    var re = /https?:\/\/[^\s<>"']+/gi, last = 0, m;
    while ((m = re.exec(value))) {
      var url = m[0].replace(/[.,!?)\]}'"]+$/, "");
      el.appendChild(document.createTextNode(value.slice(last, m.index)));
      var a = document.createElement("a");
      a.href = url; a.textContent = url; a.target = "_blank"; a.rel = "noopener noreferrer nofollow";
      el.appendChild(a);
      last = m.index + url.length;
      re.lastIndex = last;
    }
    el.appendChild(document.createTextNode(value.slice(last)));
  }
  function bubbleFor(m) {
    var wrap = document.createElement("div");
    // Bot turns stay visibly a bot's: their own class and label (the customer must know).
    wrap.className = "msg " + (m.author_kind === "customer" ? "me" : m.author_kind === "bot" ? "agent bot" : "agent");
    if (m.id) { wrap.id = "m-" + m.id; wrap.dataset.id = m.id; }
    if (m.client_message_id) wrap.dataset.client = m.client_message_id;
    if (m.author_kind !== "customer") {
      var who = document.createElement("div"); who.className = "who"; who.textContent = m.author_kind === "bot" ? t.tBot : (m.author_name || t.tAgent); wrap.appendChild(who);
    }
    var bubble = document.createElement("div"); bubble.className = "bubble";
    if (m.text && !(m.attachments && m.attachments.length && m.text === "")) linkify(bubble, m.text);
    (m.attachments || []).forEach(function (a) {
      if (!a.url) return;
      var url = safeUrl(a.url);
      if (!url) { var name = document.createElement("span"); name.className = "file file-unavailable"; name.textContent = a.name; bubble.appendChild(name); }
      else if (/^image\//.test(a.content_type)) { var img = document.createElement("img"); img.src = url; img.alt = a.name; bubble.appendChild(img); }
      else { var link = document.createElement("a"); link.href = url; link.textContent = a.name; link.className = "file"; link.target = "_blank"; link.rel = "noopener"; bubble.appendChild(link); }
    });
    wrap.appendChild(bubble);
    if (m.cards && m.cards.length) wrap.appendChild(cardsFor(m.cards));
    if (m.quick_replies && m.quick_replies.length && m.id) wrap.appendChild(choicesFor(m.quick_replies));
    if (m.survey && m.id) wrap.appendChild(surveyFor(m.survey));
    var meta = document.createElement("div"); meta.className = "meta";
    var when = m.created_at ? new Date(m.created_at) : new Date();
    meta.textContent = when.toLocaleTimeString(t.locale === "ko" ? "ko-KR" : "en-US", { hour: "2-digit", minute: "2-digit" });
    wrap.appendChild(meta);
    return wrap;
  }
  // Articles the bot cites: a titled card per link instead of a raw URL in the text.
  function cardsFor(cards) {
    var box = document.createElement("div"); box.className = "cards";
    cards.forEach(function (c) {
      var url = safeUrl(c.url);
      if (!url) return;
      var a = document.createElement("a"); a.className = "card"; a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
      var title = document.createElement("span"); title.className = "card-title"; title.textContent = c.title || url;
      var host = document.createElement("span"); host.className = "card-host"; host.textContent = t.tReadArticle;
      a.appendChild(title); a.appendChild(host); box.appendChild(a);
    });
    return box;
  }
  // The bot's choices: tapping one sends its words as the visitor's message. Only the newest
  // bot message keeps live buttons; older ones fade once anything newer arrives.
  function choicesFor(choices) {
    var box = document.createElement("div"); box.className = "choices";
    choices.forEach(function (c) {
      var b = document.createElement("button"); b.type = "button"; b.className = "choice"; b.textContent = c;
      b.addEventListener("click", function () {
        if (box.classList.contains("used")) return;
        box.classList.add("used"); b.classList.add("on");
        sendText(c);
      });
      box.appendChild(b);
    });
    return box;
  }
  function retireChoices(except) {
    Array.prototype.forEach.call(log.querySelectorAll(".choices:not(.used)"), function (box) {
      if (!except || !except.contains(box)) box.classList.add("used");
    });
  }
  // A survey question: a button per score; picking one shows the optional comment and Send.
  function surveyFor(s) {
    var box = document.createElement("div"); box.className = "survey"; box.dataset.survey = s.id;
    var done = localStorage.getItem(key + "survey:" + s.id);
    if (done) { box.textContent = t.tSurveyThanks + " (" + done + ")"; box.classList.add("done"); return box; }
    var scores = document.createElement("div"); scores.className = "scores";
    var chosen = null, form = document.createElement("form"); form.className = "survey-send"; form.hidden = true;
    for (var n = s.low; n <= s.high; n++) {
      var b = document.createElement("button"); b.type = "button"; b.className = "score"; b.textContent = String(n); b.dataset.score = n;
      b.addEventListener("click", function (e) {
        chosen = Number(e.currentTarget.dataset.score);
        Array.prototype.forEach.call(scores.children, function (c) { c.classList.toggle("on", Number(c.dataset.score) === chosen); });
        form.hidden = false; scrollDown();
      });
      scores.appendChild(b);
    }
    box.appendChild(scores);
    var comment = null;
    if (s.comment) { comment = document.createElement("textarea"); comment.rows = 2; comment.maxLength = 2000; comment.placeholder = t.tSurveyComment; form.appendChild(comment); }
    var send = document.createElement("button"); send.type = "submit"; send.className = "survey-submit"; send.textContent = t.tSurveySend; form.appendChild(send);
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      if (chosen === null) return;
      send.disabled = true;
      api("/widget/api/surveys/" + s.id + "/answer", { method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ score: chosen, comment: comment && comment.value.trim() ? comment.value.trim() : null }) })
        .then(function (a) {
          localStorage.setItem(key + "survey:" + s.id, String(a.score));
          box.textContent = t.tSurveyThanks + " (" + a.score + ")"; box.classList.add("done");
        })
        .catch(function () { send.disabled = false; showError(t.tFailed); });
    });
    box.appendChild(form);
    return box;
  }
  function render(m) {
    if (document.getElementById("m-" + m.id)) return false;
    var pending = m.client_message_id && log.querySelector('[data-client="' + m.client_message_id + '"]');
    var el = bubbleFor(m);
    if (pending) pending.replaceWith(el); else log.appendChild(el);
    retireChoices(el);
    lastId = Math.max(lastId, m.id);
    if (m.author_kind !== "customer") { showTyping(false); if (!isOpen) { unread += 1; parent.postMessage({ omnidesk: "unread", count: unread }, "*"); } }
    // A campaign's fresh message shows as a preview beside the launcher until opened.
    if (m.proactive && !isOpen && Date.now() - Date.parse(m.created_at) < 600000) {
      parent.postMessage({ omnidesk: "proactive", text: String(m.text || "").slice(0, 300), author: m.author_name || t.title || "" }, "*");
    }
    scrollDown();
    return true;
  }
  function scrollDown() { log.scrollTop = log.scrollHeight; }
  function paintReceipts() {
    Array.prototype.forEach.call(log.querySelectorAll(".msg.me[data-id]"), function (el) {
      var meta = el.querySelector(".meta");
      if (Number(el.dataset.id) <= agentReadUpTo && !meta.querySelector(".read")) {
        var r = document.createElement("span"); r.className = "read"; r.textContent = " · " + t.tRead; meta.appendChild(r);
      }
    });
  }
  // A resolved chat ends with a line saying so; the customer's next message takes it away
  // (the conversation reopens or a new one starts). Kept last in the log.
  function paintEnded(ended) {
    var line = log.querySelector(".ended");
    if (!ended) { if (line) line.remove(); return; }
    if (!line) { line = document.createElement("p"); line.className = "ended"; line.setAttribute("role", "status"); line.textContent = t.tEnded; }
    log.appendChild(line); scrollDown();
  }
  function catchUp() {
    return api("/widget/api/messages?after_id=" + lastId).then(function (res) {
      res.messages.forEach(render);
      paintEnded(res.ended);
      agentReadUpTo = Math.max(agentReadUpTo, res.agent_read_up_to || 0);
      paintReceipts();
      markRead();
    });
  }
  function markRead() {
    if (isOpen && lastId && socket) socket.send({ type: "read", message_id: lastId });
  }
  function saveOutbox() { localStorage.setItem(key + "outbox", JSON.stringify(outbox)); }
  function flushOutbox() {
    if (!outbox.length || !token) return Promise.resolve();
    var item = outbox[0];
    return api("/widget/api/messages", { method: "POST", headers: { "Content-Type": "application/json" },
                                         body: JSON.stringify({ text: item.text, client_message_id: item.id }) })
      .then(function (m) { outbox.shift(); saveOutbox(); render(m); return flushOutbox(); })
      .catch(function (err) {
        if (err.status && err.status < 500 && err.status !== 401) { outbox.shift(); saveOutbox(); return flushOutbox(); }
        var el = log.querySelector('[data-client="' + item.id + '"] .meta');
        if (el) el.textContent = t.tFailed;
        setTimeout(flushOutbox, 3000);
      });
  }
  function sendText(value) {
    if (socket) socket.typingDone();
    paintEnded(false);
    var item = { id: newId(), text: value };
    outbox.push(item); saveOutbox();
    var el = bubbleFor({ author_kind: "customer", text: value, client_message_id: item.id });
    el.classList.add("pending"); el.querySelector(".meta").textContent = t.tSending;
    log.appendChild(el); scrollDown();
    if (outbox.length === 1) flushOutbox();
  }
  function sendFile(file) {
    if (file.size > Number(t.maxBytes)) { showError(t.tTooBig); return; }
    var body = new FormData(); body.append("file", file); body.append("client_message_id", newId());
    api("/widget/api/attachments", { method: "POST", body: body }).then(render)
      .catch(function (err) { showError(err.status === 422 ? t.tBadType : t.tFailed); });
  }
  function showError(message) {
    var el = document.getElementById("error"); el.textContent = message; el.hidden = false;
    setTimeout(function () { el.hidden = true; }, 5000);
  }
  function showTyping(on) {
    var el = document.getElementById("typing"); el.hidden = !on;
    clearTimeout(typingTimer);
    if (on) { typingTimer = setTimeout(function () { el.hidden = true; }, 5000); scrollDown(); }
  }
  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new window.OmniSocket(scheme + location.host + "/widget/ws", {
      hello: function () { return { workspace: slug, token: token }; },
      onStatus: function (online) { document.getElementById("conn").hidden = online; },
      onReady: function () { catchUp().then(flushOutbox).catch(function () {}); },
      onEvent: function (msg) {
        var d = msg.data || {};
        if (msg.type === "message.created") { render(d); markRead(); if (d.author_kind === "customer") paintEnded(false); else if (log.querySelector(".ended")) log.appendChild(log.querySelector(".ended")); }
        else if (msg.type === "conversation.status") paintEnded(d.ended);
        else if (msg.type === "typing") showTyping(d.state !== false);
        else if (msg.type === "read" && d.reader === "agent") { agentReadUpTo = Math.max(agentReadUpTo, d.message_id); paintReceipts(); }
      },
    });
    socket.connect();
  }
  function needsPrechat() {
    return t.prechat && !localStorage.getItem(key + "prechat-done") && !hash.get("userId") && !lastId;
  }
  document.getElementById("composer").addEventListener("submit", function (e) {
    e.preventDefault();
    var value = text.value.trim();
    if (!value) return;
    if (needsPrechat()) { document.getElementById("prechat").hidden = false; return; }
    text.value = ""; text.style.height = "";
    sendText(value);
  });
  document.getElementById("prechat").addEventListener("submit", function (e) {
    e.preventDefault();
    var form = new FormData(e.target);
    ["name", "email"].forEach(function (f) { if (form.get(f)) localStorage.setItem(key + f, form.get(f)); });
    localStorage.setItem(key + "prechat-done", "1");
    e.target.hidden = true;
    startSession().then(function () { document.getElementById("composer").requestSubmit(); });
  });
  text.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); document.getElementById("composer").requestSubmit(); }
  });
  text.addEventListener("input", function () {
    text.style.height = ""; text.style.height = Math.min(text.scrollHeight, 120) + "px";
    if (socket) socket.typing(function () { return { type: "typing", state: true }; });
  });
  document.getElementById("file").addEventListener("change", function (e) {
    if (e.target.files.length) sendFile(e.target.files[0]);
    e.target.value = "";
  });
  document.getElementById("close").addEventListener("click", function () { parent.postMessage({ omnidesk: "close" }, "*"); });
  window.addEventListener("message", function (e) {
    if (e.source !== parent || !e.data) return;
    if (e.data.omnidesk === "open") { isOpen = true; unread = 0; showOpening(); parent.postMessage({ omnidesk: "unread", count: 0 }, "*"); markRead(); text.focus(); }
    if (e.data.omnidesk === "closed") isOpen = false;
    if (e.data.omnidesk === "track") track(e.data);
    if (e.data.omnidesk === "prefill" && !text.value) { text.value = String(e.data.text || "").slice(0, 1000); text.focus(); }
    if (e.data.omnidesk === "identify") identify(e.data);
  });
  // What the host page reports through omnidesk.track: stored for the visitor, never retried
  // (a lost page view is not worth a second request). The ones still on their way are kept, so
  // the opening question waits for what the shopper did just before opening the window.
  var tracking = [];
  function track(d) {
    var sent = api("/widget/api/track", { method: "POST", headers: { "Content-Type": "application/json" },
                                          body: JSON.stringify({ name: d.name, properties: d.properties || {}, url: d.url || null }) })
      .catch(function () {});
    tracking.push(sent);
    sent.then(function () { tracking.splice(tracking.indexOf(sent), 1); });
  }
  function tracked() {  // the events sent so far are stored (or failed), or 3 s have passed
    return Promise.race([Promise.all(tracking.slice()),
                         new Promise(function (done) { setTimeout(done, 3000); })]);
  }
  // omnidesk.identify: restart the window as the signed-in visitor (the server checks the
  // signature; a bad one stays anonymous), unless it is already that visitor.
  function identify(d) {
    if (!d.userId || (hash.get("userId") === d.userId && hash.get("signature") === d.signature)) {
      parent.postMessage({ omnidesk: "ready" }, "*");
      return;
    }
    var next = new URLSearchParams();
    ["userId", "signature", "name", "email"].forEach(function (k) { if (d[k]) next.set(k, d[k]); });
    location.hash = next.toString();
    location.reload();
  }
  // The bot's opening question about the reason the visitor's behaviour predicts, asked when the
  // window opens before anything was written (once the events sent before it are stored: a
  // declined payment a moment ago is the likeliest reason); its buttons answer like any bot choice.
  var openingAsked = false;
  function showOpening() {
    if (!token || openingAsked || lastId || outbox.length || log.querySelector(".msg.opening")) return;
    openingAsked = true;
    tracked().then(function () {
      return api("/widget/api/opening?locale=" + encodeURIComponent(t.locale));
    }).then(function (o) {
      if (!o.text || lastId || log.querySelector(".msg.opening")) return;
      var el = bubbleFor({ author_kind: "bot", text: o.text });
      el.classList.add("opening"); el.dataset.intent = o.intent;
      el.insertBefore(choicesFor(o.choices), el.querySelector(".meta"));
      log.appendChild(el); scrollDown();
    }).catch(function () { openingAsked = false; });
  }
  // Online/away follows the workspace's business calendar: re-read it when it next changes.
  function paintHours(s) {
    document.getElementById("away-dot").classList.toggle("on", s.open);
    document.getElementById("away-label").textContent = s.open ? t.tOnline : t.tAway;
    document.getElementById("away-notice").hidden = s.open;
    document.getElementById("away-hours").textContent = s.summary;
    document.getElementById("away-next").textContent = s.next_open_text ? " · " + t.tNext.replace("{when}", s.next_open_text) : "";
  }
  function scheduleHours(at) {
    var wait = at ? Date.parse(at) - Date.now() + 1000 : 3600000;
    setTimeout(refreshHours, Math.min(Math.max(wait, 5000), 3600000));
  }
  function refreshHours() {
    fetch("/widget/api/state?workspace=" + encodeURIComponent(slug) + "&locale=" + encodeURIComponent(t.locale))
      .then(function (r) { if (!r.ok) throw new Error("http " + r.status); return r.json(); })
      .then(function (s) { paintHours(s); scheduleHours(s.next_change); })
      .catch(function () { scheduleHours(null); });
  }
  scheduleHours(t.nextChange || null);
  startSession().then(function () {
    parent.postMessage({ omnidesk: "ready" }, "*");
    // Show what is stored right away; the socket's catch-up then fills any gap.
    outbox.forEach(function (item) {
      var el = bubbleFor({ author_kind: "customer", text: item.text, client_message_id: item.id });
      el.classList.add("pending"); log.appendChild(el);
    });
    return catchUp();
  }).then(connect).catch(function () { setTimeout(function () { location.reload(); }, 5000); });
})();
