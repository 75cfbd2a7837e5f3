/* The composer's "/" picker: canned replies (filled for this conversation) and macros.
   "/" at the start of the reply box or after a space opens it; typing filters by shortcut,
   title or text; ↑/↓ choose, Enter or a click inserts (a macro runs), Esc closes. A reply whose
   {variables} this conversation cannot fill is refused with a message instead of inserted. */
(function () {
  "use strict";
  var composer = document.getElementById("composer");
  var text = document.getElementById("reply-text");
  var pane = document.getElementById("conversation");
  if (!composer || !text || !pane) return;
  var conversationId = pane.dataset.conversationId;
  var csrf = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"];
  var error = document.getElementById("composer-error");
  var box = document.createElement("div");
  box.className = "canned-picker";
  box.id = "canned-picker";
  box.setAttribute("role", "listbox");
  box.setAttribute("aria-label", composer.dataset.tPicker || "Canned replies");
  box.hidden = true;
  text.parentNode.insertBefore(box, text);
  var items = null;   // loaded once per page
  var shown = [];
  var active = 0;
  var start = -1;     // index of the "/" that opened the picker

  function load() {
    if (items) return Promise.resolve(items);
    return fetch("/conversations/" + conversationId + "/picker", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { canned: [], macros: [] }; })
      .then(function (data) {
        items = data.canned.map(function (c) { return { kind: "canned", c: c }; })
          .concat(data.macros.map(function (m) { return { kind: "macro", m: m }; }));
        return items;
      });
  }
  function query() { return text.value.slice(start + 1, text.selectionStart).toLowerCase(); }
  function matches(item, q) {
    if (!q) return true;
    var hay = item.kind === "canned" ? [item.c.shortcut, item.c.title, item.c.text].join(" ") : item.m.name;
    return hay.toLowerCase().indexOf(q) >= 0;
  }
  function close() { box.hidden = true; start = -1; text.removeAttribute("aria-activedescendant"); }
  function render() {
    var q = query();
    shown = items.filter(function (it) { return matches(it, q); }).slice(0, 12);
    if (active >= shown.length) active = 0;
    box.textContent = "";
    if (!shown.length) {
      var empty = document.createElement("div");
      empty.className = "empty muted";
      empty.textContent = composer.dataset.tNoMatch || "No matching reply.";
      box.appendChild(empty);
    }
    shown.forEach(function (it, i) {
      var row = document.createElement("div");
      row.className = "choice" + (i === active ? " active" : "") + (it.kind === "macro" ? " macro" : "");
      row.id = "canned-choice-" + i;
      row.setAttribute("role", "option");
      row.setAttribute("aria-selected", i === active ? "true" : "false");
      var head = document.createElement("strong");
      head.textContent = it.kind === "canned" ? "/" + it.c.shortcut + " · " + it.c.title : "▶ " + it.m.name;
      row.appendChild(head);
      if (it.kind === "canned") {
        var body = document.createElement("span");
        body.className = "preview";
        body.textContent = it.c.text;
        row.appendChild(body);
        if (it.c.missing.length) {
          var warn = document.createElement("span");
          warn.className = "missing";
          warn.textContent = (composer.dataset.tNeeds || "needs") + " {" + it.c.missing.join("}, {") + "}";
          row.appendChild(warn);
        }
      }
      row.addEventListener("mousedown", function (e) { e.preventDefault(); active = i; choose(); });
      box.appendChild(row);
    });
    box.hidden = false;
    text.setAttribute("aria-activedescendant", "canned-choice-" + active);
  }
  function choose() {
    var it = shown[active];
    if (!it) return;
    var before = text.value.slice(0, start), after = text.value.slice(text.selectionStart);
    if (it.kind === "macro") {
      text.value = before + after;
      close();
      fetch("/conversations/" + conversationId + "/macros/" + it.m.id + "/run",
            { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": csrf } })
        .then(function (r) {
          if (r.ok) { location.reload(); return; }
          return r.text().then(function (t) { error.textContent = t; });
        });
      return;
    }
    if (it.c.missing.length) {
      var names = "{" + it.c.missing.join("}, {") + "}";
      error.textContent = (composer.dataset.tUnfilled || "This conversation cannot fill %(names)s.").replace("%(names)s", names);
      return;
    }
    error.textContent = "";
    text.value = before + it.c.text + after;
    var caret = before.length + it.c.text.length;
    close();
    text.focus();
    text.setSelectionRange(caret, caret);
  }
  text.addEventListener("input", function () {
    var at = text.selectionStart;
    if (start < 0) {
      var typed = text.value.charAt(at - 1);
      var prev = at >= 2 ? text.value.charAt(at - 2) : "";
      if (typed === "/" && (at === 1 || /\s/.test(prev))) {
        start = at - 1; active = 0;
        load().then(function () { if (start >= 0) render(); });
      }
      return;
    }
    if (at <= start || text.value.charAt(start) !== "/" || /\s\s$/.test(text.value.slice(start, at))) { close(); return; }
    if (items) render();
  });
  document.addEventListener("keydown", function (e) {
    if (box.hidden || e.target !== text || e.isComposing) return;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault(); e.stopPropagation();
      if (shown.length) active = (active + (e.key === "ArrowDown" ? 1 : shown.length - 1)) % shown.length;
      render();
    } else if (e.key === "Enter" || e.key === "Tab") {
      e.preventDefault(); e.stopPropagation();
      choose();
    } else if (e.key === "Escape") {
      e.preventDefault(); e.stopPropagation();
      close();
    }
  }, true);
  text.addEventListener("blur", function () { setTimeout(close, 150); });
})();
