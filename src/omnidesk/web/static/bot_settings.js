/* Bot settings: swap in the re-rendered page with its message on a 4xx or a failed training (503). */
(function () {
  "use strict";
  document.body.addEventListener("htmx:beforeSwap", function (e) {
    var status = e.detail.xhr.status;
    if (e.detail.target && e.detail.target.id === "bot" && (status >= 400 && status < 500 || status === 503)) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
})();
