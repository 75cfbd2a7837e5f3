/* The supervisor's live view: reload the board when the realtime hub reports routing changes. */
(function () {
  "use strict";
  var root = document.getElementById("supervisor");
  if (!root) return;
  var myId = Number(root.dataset.userId);
  var scheme = location.protocol === "https:" ? "wss://" : "ws://";
  var timer = null;
  var BOARD_EVENTS = { "routing.changed": 1, "conversation.changed": 1 };

  function refreshBoard() {
    clearTimeout(timer);
    timer = setTimeout(function () { document.body.dispatchEvent(new Event("rt:board")); }, 150);
  }
  function setStatus(online) {
    var el = document.getElementById("live-status");
    if (!el) return;
    el.textContent = online ? el.dataset.labelOn : el.dataset.labelOff;
    el.classList.toggle("on", online);
  }
  function onEvent(msg) {
    var data = msg.data || {};
    if (BOARD_EVENTS[msg.type]) refreshBoard();
    if (msg.type === "routing.changed" && data.event === "agent.presence_changed" && data.user_id === myId) {
      document.body.dispatchEvent(new Event("rt:presence"));
    }
  }
  var socket = new window.OmniSocket(scheme + location.host + "/ws", {
    onEvent: onEvent,
    onStatus: setStatus,
    onReady: function (resumed) { if (!resumed) refreshBoard(); },
  });
  socket.connect();
  // Show the board's error message (409/422) instead of dropping the response.
  document.body.addEventListener("htmx:beforeSwap", function (e) {
    var status = e.detail.xhr.status;
    if (e.detail.target && e.detail.target.id === "board" && (status === 409 || status === 422 || status === 403)) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
})();
