// The top bar's search box: Ctrl+K (or Cmd+K) focuses it, Escape closes the live results,
// arrow keys move through them, Enter on the box opens the full results page.
(function () {
  "use strict";
  const box = document.getElementById("search-box");
  const input = document.getElementById("search-input");
  const popover = document.getElementById("search-popover");
  if (!box || !input || !popover) return;

  function close() { popover.classList.remove("open"); }
  function links() { return Array.from(popover.querySelectorAll("a.hit")); }

  document.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && (e.key === "k" || e.key === "K")) {
      e.preventDefault();
      input.focus();
      input.select();
    } else if (e.key === "Escape" && box.contains(document.activeElement)) {
      close();
      input.blur();
    }
  });
  box.addEventListener("keydown", function (e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const items = links();
    if (!items.length) return;
    e.preventDefault();
    const at = items.indexOf(document.activeElement);
    const next = e.key === "ArrowDown" ? Math.min(at + 1, items.length - 1) : at - 1;
    if (next < 0) input.focus(); else items[next].focus();
  });
  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (e.target === popover) popover.classList.toggle("open", popover.innerHTML.trim() !== "");
  });
  input.addEventListener("focus", function () {
    if (popover.innerHTML.trim()) popover.classList.add("open");
  });
  document.addEventListener("click", function (e) { if (!box.contains(e.target)) close(); });
})();
