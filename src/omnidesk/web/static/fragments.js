// Parts of a page that load after it (hx-trigger "load": the customer 360 panel, the assist
// suggestions, a conversation's header) and fail on a busy server or a dropped connection ask
// again twice, after 2 and 6 s, then show a "load again" button instead of staying empty.
// A refusal (4xx: signed out, no access) is not asked again.
(function () {
  "use strict";
  var WAITS = [2000, 6000];
  var tries = new WeakMap();

  function loadsLater(el) {
    return !!el && el.hasAttribute("hx-get") &&
      (el.getAttribute("hx-trigger") || "").split(",").some(function (t) {
        return t.trim().split(" ")[0] === "load";
      });
  }

  function ask(el) {
    window.htmx.ajax("GET", el.getAttribute("hx-get"), { source: el, target: el, swap: "innerHTML" });
  }

  function offerRetry(el) {
    var ko = (document.documentElement.lang || "ko").indexOf("ko") === 0;
    var box = document.createElement("p");
    box.className = "fragment-failed";
    box.setAttribute("role", "alert");
    box.textContent = ko ? "불러오지 못했습니다. " : "Could not load this part. ";
    var again = document.createElement("button");
    again.type = "button";
    again.className = "secondary";
    again.textContent = ko ? "다시 불러오기" : "Load again";
    again.addEventListener("click", function () { tries.set(el, 0); ask(el); });
    box.appendChild(again);
    el.replaceChildren(box);
  }

  function failed(event) {
    var el = event.detail && event.detail.elt;
    var status = event.detail && event.detail.xhr ? event.detail.xhr.status : 0;
    if (!loadsLater(el) || (status >= 400 && status < 500)) return;
    var n = tries.get(el) || 0;
    tries.set(el, n + 1);
    if (n < WAITS.length) {
      setTimeout(function () { if (el.isConnected) ask(el); }, WAITS[n]);
    } else {
      offerRetry(el);
    }
  }

  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);
  document.addEventListener("htmx:timeout", failed);
  document.addEventListener("htmx:afterSwap", function (event) {
    var el = event.detail && event.detail.elt;
    if (el && tries.has(el)) tries.delete(el);
  });
})();
