/* omnidesk chat widget loader: <script src="https://desk.example/widget.js" data-workspace="slug" async></script>
   Optional: data-user-id + data-signature (HMAC-SHA256 of the user id, or of "user_id=<id>\nemail=<email>"
   to vouch for data-email too, keyed with the workspace secret),
   data-name, data-email. Adds a launcher button and the chat window (an isolated iframe).
   Page API: omnidesk.identify({userId, signature, name, email}) signs a visitor in (same HMAC);
   omnidesk.open({text}) opens the chat with text ready to send;
   omnidesk.track(name, properties) records page_view, product_view, cart, checkout, error…
   (page views are tracked on load unless data-track-pages="false"). Calls made before this
   script loads can be queued: window.omnidesk = {q: [["track", ["cart", {value: 1}]]]}. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-workspace][src*='widget.js']");
  if (!script || window.__omnideskWidget) return;
  window.__omnideskWidget = true;
  var origin = new URL(script.src, location.href).origin;
  var slug = script.dataset.workspace;
  var identity = new URLSearchParams();
  ["userId", "signature", "name", "email"].forEach(function (key) {
    if (script.dataset[key]) identity.set(key, script.dataset[key]);
  });
  // What the chat frame keeps here when the browser refuses it storage of its own as a
  // third-party frame (its "keep" messages): this workspace's keys, bounded, in this site's storage.
  var keptKey = "omnidesk:" + slug + ":kept";
  var kept = {};
  try { kept = JSON.parse(window.localStorage.getItem(keptKey) || "{}") || {}; } catch (e) { kept = {}; }
  if (Object.keys(kept).length) identity.set("kept", JSON.stringify(kept));
  function keep(key, value) {
    if (typeof key !== "string" || key.indexOf("omnidesk:" + slug + ":") !== 0 || key === keptKey) return;
    if (typeof value !== "string" || value.length > 20000) return;
    kept[key] = value;
    try { window.localStorage.setItem(keptKey, JSON.stringify(kept)); } catch (e) { /* none here either */ }
  }
  var lang = (navigator.language || "ko").slice(0, 2) === "en" ? "en" : "ko";
  var host = document.createElement("div");
  host.id = "omnidesk-widget";
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var style = document.createElement("style");
  style.textContent = [
    ":host{all:initial}",
    ".launcher{position:fixed;right:24px;bottom:24px;width:60px;height:60px;border-radius:50%;border:0;cursor:pointer;",
    "background:var(--od-color,#3b5bdb);color:#fff;box-shadow:0 8px 24px rgba(0,0,0,.22);z-index:2147483000;display:grid;place-items:center;transition:transform .15s}",
    ".launcher:hover{transform:scale(1.06)}.launcher svg{width:28px;height:28px}",
    ".badge{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;border-radius:10px;background:#e03131;color:#fff;",
    "font:600 12px/20px system-ui,sans-serif;text-align:center;padding:0 5px}.badge[hidden]{display:none}",
    ".frame{position:fixed;right:24px;bottom:96px;width:380px;height:min(640px,calc(100vh - 120px));border:0;border-radius:18px;",
    "box-shadow:0 16px 48px rgba(0,0,0,.25);z-index:2147483000;background:#fff;opacity:0;transform:translateY(12px);",
    "pointer-events:none;transition:opacity .18s,transform .18s}",
    ".frame.open{opacity:1;transform:none;pointer-events:auto}",
    // On a phone the open chat fills the screen and has its own close button: the launcher
    // would lie on top of the send button, so it hides while the chat is open.
    ".preview{position:fixed;right:24px;bottom:96px;width:300px;max-width:calc(100vw - 48px);background:#fff;color:#1f2933;border-radius:16px;",
    "box-shadow:0 12px 36px rgba(0,0,0,.22);z-index:2147483000;padding:14px 36px 14px 16px;font:14px/1.5 system-ui,sans-serif;cursor:pointer;text-align:left;border:0}",
    ".preview[hidden]{display:none}.preview .who{display:block;font-weight:600;font-size:13px;color:var(--od-color,#3b5bdb);margin-bottom:4px}",
    ".preview .x{position:absolute;top:6px;right:8px;border:0;background:none;font-size:18px;line-height:1;color:#6b7280;cursor:pointer;padding:4px}",
    "@media (max-width:480px){.preview{right:16px;bottom:88px}}",
    "@media (max-width:480px){.frame{right:0;bottom:0;width:100vw;height:100vh;height:100dvh;border-radius:0}",
    ".launcher.open{display:none}.launcher{right:16px;bottom:16px}}",
    // Configured on the inbox page: the left corner, and a text label beside the icon.
    ".left .launcher{right:auto;left:24px}.left .frame{right:auto;left:24px}",
    ".labelled .launcher{width:auto;padding:0 20px 0 16px;border-radius:30px;grid-auto-flow:column;gap:8px;",
    "font:600 15px/1 system-ui,sans-serif}.launcher .label{white-space:nowrap}",
    "@media (max-width:480px){.left .launcher{left:16px}.left .frame{left:0}}"
  ].join("");
  var chat = '<svg viewBox="0 0 24 24" fill="currentColor"><path d="M12 3C6.5 3 2 6.8 2 11.5c0 2.4 1.2 4.6 3.1 6.1L4 21l4.2-2.1c1.2.4 2.5.6 3.8.6 5.5 0 10-3.8 10-8.5S17.5 3 12 3z"/></svg>';
  var close = '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round"><path d="M6 6l12 12M18 6L6 18"/></svg>';
  var button = document.createElement("button");
  button.className = "launcher";
  button.setAttribute("aria-label", lang === "ko" ? "상담 열기" : "Open chat");
  var label = "";
  function drawButton() {
    var badge = root.querySelector(".badge");
    var count = badge ? badge.textContent : "0";
    var hidden = badge ? badge.hidden : true;
    button.innerHTML = (open ? close : chat) + '<span class="badge" hidden>0</span>';
    if (label && !open) {
      var span = document.createElement("span");
      span.className = "label";
      span.textContent = label;  // text, never markup: it comes from the workspace's settings
      button.insertBefore(span, button.querySelector(".badge"));
    }
    var fresh = button.querySelector(".badge");
    fresh.textContent = count;
    fresh.hidden = hidden || open;
  }
  drawButton();
  var frame = document.createElement("iframe");
  frame.className = "frame";
  frame.id = "omnidesk-frame";
  frame.title = lang === "ko" ? "고객 상담 채팅" : "Support chat";
  frame.setAttribute("allow", "clipboard-write");
  frame.src = origin + "/widget/frame?workspace=" + encodeURIComponent(slug) + "#" + identity.toString();
  // A constructed sheet works under the host site's strict CSP (no inline <style> needed).
  if (root.adoptedStyleSheets !== undefined && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(style.textContent);
    root.adoptedStyleSheets = [sheet];
  } else {
    root.appendChild(style);
  }
  var wrap = document.createElement("div");
  wrap.appendChild(frame);
  wrap.appendChild(button);
  root.appendChild(wrap);
  var preview = document.createElement("div");
  preview.className = "preview";
  preview.setAttribute("role", "status");
  preview.hidden = true;
  preview.innerHTML = '<span class="who"></span><span class="text"></span><button class="x" type="button" aria-label="' + (lang === "ko" ? "닫기" : "Close") + '">×</button>';
  root.appendChild(preview);
  preview.addEventListener("click", function (e) {
    preview.hidden = true;
    if (!e.target.classList.contains("x")) setOpen(true);
  });
  // Calls wait until the frame has its visitor session ("ready"), then go in order.
  var ready = false;
  var pending = [];
  function toFrame(msg) {
    if (ready) frame.contentWindow.postMessage(msg, origin); else pending.push(msg);
  }
  var pageApi = {
    identify: function (who) {
      who = who || {};
      toFrame({ omnidesk: "identify", userId: String(who.userId || who.user_id || ""), signature: String(who.signature || ""),
                name: who.name ? String(who.name) : "", email: who.email ? String(who.email) : "" });
      ready = false; // the frame restarts as the signed-in visitor and says "ready" again
    },
    // omnidesk.open({text}): open the chat with text ready in the box (the visitor sends it).
    open: function (options) {
      setOpen(true);
      var text = options && options.text ? String(options.text).slice(0, 1000) : "";
      if (text) toFrame({ omnidesk: "prefill", text: text });
    },
    track: function (name, properties) {
      toFrame({ omnidesk: "track", name: String(name), properties: properties || {}, url: location.href.slice(0, 500) });
    }
  };
  var queued = (window.omnidesk && window.omnidesk.q) || [];
  window.omnidesk = pageApi;
  queued.forEach(function (call) { if (pageApi[call[0]]) pageApi[call[0]].apply(null, call[1] || []); });
  if (script.dataset.trackPages !== "false") pageApi.track("page_view", { title: document.title.slice(0, 200) });
  var open = false;
  function setOpen(value) {
    open = value;
    if (open) preview.hidden = true;
    frame.classList.toggle("open", open);
    drawButton();
    button.setAttribute("aria-expanded", String(open));
    button.classList.toggle("open", open);
    toFrame({ omnidesk: open ? "open" : "closed" });
  }
  button.addEventListener("click", function () { setOpen(!open); });
  window.addEventListener("message", function (e) {
    if (e.origin !== origin || e.source !== frame.contentWindow || !e.data) return;
    if (e.data.omnidesk === "config") {
      if (/^#[0-9a-f]{6}$/i.test(e.data.color)) host.style.setProperty("--od-color", e.data.color);
      wrap.classList.toggle("left", e.data.position === "left");
      label = typeof e.data.launcher === "string" ? e.data.launcher.slice(0, 30) : "";
      wrap.classList.toggle("labelled", !!label);
      drawButton();
    }
    if (e.data.omnidesk === "close") setOpen(false);
    if (e.data.omnidesk === "keep") keep(e.data.key, e.data.value);
    if (e.data.omnidesk === "ready") {
      // What the page reported goes first, then whether the window is open: opened before the
      // visitor session existed (or before a signed-in restart), its opening question still
      // waits for the events tracked just before.
      ready = true;
      var flush = pending.filter(function (msg) { return msg.omnidesk !== "open" && msg.omnidesk !== "closed"; });
      pending = [];
      flush.forEach(function (msg) { frame.contentWindow.postMessage(msg, origin); });
      if (open) frame.contentWindow.postMessage({ omnidesk: "open" }, origin);
    }
    if (e.data.omnidesk === "proactive" && !open) {
      preview.querySelector(".who").textContent = String(e.data.author || "");
      preview.querySelector(".text").textContent = String(e.data.text || "");
      preview.hidden = false;
    }
    if (e.data.omnidesk === "unread") {
      var badge = root.querySelector(".badge");
      badge.textContent = String(e.data.count);
      badge.hidden = open || !e.data.count;
    }
  });
  (document.body || document.documentElement).appendChild(host);
})();
