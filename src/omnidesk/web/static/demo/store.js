/* The demo store reports what the shopper does through the widget's page API (omnidesk.track),
   so proactive campaigns (an idle cart, a failed checkout) have something to react to. */
(function () {
  "use strict";
  var PRICE = 2399000;
  function od(name, args) {
    if (window.omnidesk && !window.omnidesk.q) { window.omnidesk[name].apply(null, args); return; }
    window.omnidesk = window.omnidesk || { q: [] };
    window.omnidesk.q.push([name, args]);
  }
  var items = 0;
  var quantity = document.querySelectorAll(".option select")[1];
  od("track", ["product_view", { product_id: "HB-RF875S", price: PRICE }]);
  document.querySelector(".cart-add").addEventListener("click", function () {
    items += Number(quantity ? quantity.value : 1) || 1;
    document.querySelector(".util .cart b").textContent = String(items);
    od("track", ["cart", { value: PRICE * items, items: items, currency: "KRW", product_id: "HB-RF875S" }]);
  });
  document.querySelector(".buy").addEventListener("click", function () {
    od("track", ["checkout", { step: "payment", value: PRICE * Math.max(items, 1), currency: "KRW" }]);
  });
})();
