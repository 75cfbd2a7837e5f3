/* Routing settings: swap in the re-rendered form with its message on a 4xx instead of dropping it. */
(function () {
  "use strict";
  document.body.addEventListener("htmx:beforeSwap", function (e) {
    var status = e.detail.xhr.status;
    if (e.detail.target && e.detail.target.id === "routing" && status >= 400 && status < 500) {
      e.detail.shouldSwap = true;
      e.detail.isError = false;
    }
  });
})();
