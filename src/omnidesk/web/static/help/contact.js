/* Help center "Contact us": open the chat widget with the article's title and address ready to send. */
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("[data-contact-text]") : null;
    if (!button || !window.omnidesk || !window.omnidesk.open) return;
    window.omnidesk.open({ text: button.getAttribute("data-contact-text") });
  });
})();
