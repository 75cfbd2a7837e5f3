/* omnidesk realtime client: one protocol for agents and the widget.
   Numbered events, resume from last_event_id, heartbeat watchdog, reconnect with jittered backoff. */
(function (global) {
  "use strict";
  function OmniSocket(url, options) {
    this.url = url;
    this.options = options;
    this.queueId = null;
    this.lastEventId = 0;
    this.attempt = 0;
    this.ws = null;
    this.watchdog = null;
    this.heartbeat = 25;
    this.stopped = false;
  }
  OmniSocket.prototype.connect = function () {
    var self = this;
    var ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = function () {
      var hello = Object.assign({ type: "hello", queue_id: self.queueId, last_event_id: self.lastEventId },
        self.options.hello ? self.options.hello() : {});
      ws.send(JSON.stringify(hello));
    };
    ws.onmessage = function (raw) {
      var msg;
      try { msg = JSON.parse(raw.data); } catch (e) { return; }
      self.arm();
      if (msg.type === "ready") {
        self.attempt = 0;
        self.heartbeat = msg.heartbeat_seconds || 25;
        if (!msg.resumed) { self.lastEventId = 0; }
        self.queueId = msg.queue_id;
        self.arm();
        if (self.options.onStatus) self.options.onStatus(true);
        if (self.options.onReady) self.options.onReady(msg.resumed);
        return;
      }
      if (msg.type === "heartbeat") return;
      if (typeof msg.id === "number") {
        if (msg.id <= self.lastEventId) return;
        self.lastEventId = msg.id;
      }
      if (self.options.onEvent) self.options.onEvent(msg);
    };
    ws.onclose = function () {
      clearTimeout(self.watchdog);
      if (self.options.onStatus) self.options.onStatus(false);
      if (self.stopped) return;
      var delay = Math.min(15000, 500 * Math.pow(2, self.attempt)) * (0.5 + Math.random() / 2);
      self.attempt += 1;
      setTimeout(function () { self.connect(); }, delay);
    };
  };
  // No heartbeat or event for 2.5 intervals: the connection is dead even if TCP has not noticed.
  OmniSocket.prototype.arm = function () {
    var self = this;
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(function () { if (self.ws) self.ws.close(); }, this.heartbeat * 2500);
  };
  OmniSocket.prototype.send = function (obj) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) { this.ws.send(JSON.stringify(obj)); return true; }
    return false;
  };
  // Typing: at most one signal every 2 s (the other side shows it for 5 s). A keystroke inside
  // the window is not dropped: the signal goes when the window ends (a first keystroke soon
  // after the previous signal used to show nothing); sending the message cancels it.
  var TYPING_EVERY_MS = 2000;
  OmniSocket.prototype.typing = function (build) {
    var self = this;
    this.typingBuild = build;
    if (this.typingTimer) return;
    var wait = (this.typingSentAt || 0) + TYPING_EVERY_MS - Date.now();
    function go() { self.typingTimer = null; self.typingSentAt = Date.now(); self.send(self.typingBuild()); }
    if (wait <= 0) go(); else this.typingTimer = setTimeout(go, wait);
  };
  OmniSocket.prototype.typingDone = function () {
    clearTimeout(this.typingTimer);
    this.typingTimer = null;
  };
  global.OmniSocket = OmniSocket;
})(window);
