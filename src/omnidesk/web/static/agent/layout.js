/* The workspace layout on narrow screens: the customer panel opens over the conversation, and
   the back arrow returns to the list with the same view and filters. */
(function () {
  "use strict";
  var app = document.getElementById("app");
  if (!app) return;
  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-toggle-side]")) { app.classList.toggle("show-side"); return; }
    var back = e.target.closest("[data-back-to-list]");
    if (back && app.dataset.listQuery !== undefined) back.href = "/inbox?" + app.dataset.listQuery;
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && app.classList.contains("show-side")) app.classList.remove("show-side");
  });
})();
