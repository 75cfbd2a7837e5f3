// Greeting and closing rules: variable chips insert at the cursor, "Add a line" clones the blank
// row, and every change asks the server to try the unsaved rules on the chosen customer.
(function () {
  "use strict";
  const form = document.getElementById("recognition-form");
  if (!form) return;
  const status = document.getElementById("preview-status");
  let timer = null;
  let asked = 0;

  function insertVariable(button) {
    const row = button.closest(".rule");
    const area = row.querySelector("textarea");
    const token = "{" + button.dataset.var + "}";
    const start = area.selectionStart ?? area.value.length;
    const end = area.selectionEnd ?? start;
    area.value = area.value.slice(0, start) + token + area.value.slice(end);
    area.focus();
    area.setSelectionRange(start + token.length, start + token.length);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function addRow(kind) {
    const list = document.getElementById(kind + "-rules");
    const blank = document.getElementById(kind + "-blank");
    const n = Number(list.dataset.next || "0");
    list.dataset.next = String(n + 1);
    const html = blank.innerHTML.replaceAll("__n__", String(n));
    list.insertAdjacentHTML("beforeend", html);
    list.lastElementChild.querySelector("textarea").focus();
  }

  function show(lines) {
    form.querySelectorAll(".rule[data-row]").forEach((row) => {
      const line = lines[row.dataset.row];
      const out = row.querySelector(".preview output");
      const verdict = row.querySelector(".verdict");
      row.classList.toggle("chosen", Boolean(line && line.chosen));
      row.classList.toggle("skipped", Boolean(line && !line.applies));
      if (!line) {
        out.textContent = "";
        verdict.textContent = "";
        return;
      }
      out.textContent = line.text || line.why;
      out.title = line.applies ? "" : line.why;
      verdict.textContent = line.chosen ? form.dataset.chosen || "" : (line.applies ? "" : line.why);
    });
  }

  async function preview() {
    const customer = document.getElementById("preview-customer");
    if (!customer || !customer.value) return;
    const ticket = ++asked;
    status.textContent = "…";
    try {
      const response = await fetch(form.dataset.preview, {
        method: "POST", body: new FormData(form), headers: { Accept: "application/json" },
      });
      const data = await response.json();
      if (ticket !== asked) return;  // a newer preview is on its way
      status.textContent = response.ok ? "" : (data.detail || String(response.status));
      if (response.ok) show(data.lines);
    } catch (err) {
      if (ticket === asked) status.textContent = String(err);
    }
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(preview, 300);
  }

  form.addEventListener("click", (event) => {
    const chip = event.target.closest(".var-chip");
    if (chip) { insertVariable(chip); return; }
    const add = event.target.closest(".add-rule");
    if (add) { addRow(add.dataset.kind); later(); }
  });
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  preview();
})();
