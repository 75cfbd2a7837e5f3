/* The topbar presence control: after a long idle an online agent goes away, and comes back on activity. */
(function () {
  "use strict";
  var slot = document.getElementById("presence-slot");
  if (!slot) return;
  var csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"];
  var lastActivity = Date.now();
  var idle = false;

  function control() { return document.getElementById("presence-control"); }
  function idleLimit() {
    var c = control();
    return (c ? Number(c.dataset.idleSeconds) : 600) * 1000;
  }
  function report(isIdle) {
    var body = new FormData();
    body.append("idle", isIdle ? "true" : "false");
    body.append("csrf", csrf);
    fetch("/presence/idle", { method: "POST", body: body, credentials: "same-origin" })
      .then(function () { document.body.dispatchEvent(new Event("rt:presence")); });
  }
  function active() {
    lastActivity = Date.now();
    if (idle) { idle = false; report(false); }
  }
  ["mousemove", "keydown", "click", "scroll", "focus"].forEach(function (name) {
    document.addEventListener(name, active, { passive: true });
  });
  setInterval(function () {
    var c = control();
    if (!idle && c && c.dataset.presence === "online" && Date.now() - lastActivity > idleLimit()) {
      idle = true;
      report(true);
    }
  }, 15000);
})();
