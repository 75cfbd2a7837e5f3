/* Inbox and hours settings: copy buttons, confirm before disconnecting, more hour ranges,
   optional settings sections switched on and off, and
   the widget's live preview (what the visitor will see, updated as the admin types). */
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.querySelector(button.dataset.copy);
      field.select();
      var done = function () { button.textContent = button.dataset.done; };
      if (navigator.clipboard) navigator.clipboard.writeText(field.value).then(done, done);
      else { document.execCommand("copy"); done(); }
    });
  });
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (e) { if (!confirm(form.dataset.confirm)) e.preventDefault(); });
  });
  document.querySelectorAll(".add-range").forEach(function (button) {
    button.addEventListener("click", function () {
      var day = button.dataset.day;
      var cell = button.parentNode;
      var index = cell.querySelectorAll(".range").length;
      var blank = cell.querySelector(".range.blank");
      var copy = blank.cloneNode(true);
      copy.querySelectorAll("input").forEach(function (input, i) {
        input.value = "";
        input.name = day + "." + index + "." + (i === 0 ? "start" : "end");
      });
      cell.insertBefore(copy, button);
    });
  });
  var year = document.getElementById("import-year");
  var importButton = document.getElementById("import-holidays");
  if (year && importButton) year.addEventListener("input", function () { importButton.value = year.value; });
  var own = document.getElementById("own");
  var ownHours = document.querySelector(".own-hours");
  function showOwn() { if (own && ownHours) ownHours.classList.toggle("inherited", !own.checked); }
  if (own) { own.addEventListener("change", showOwn); showOwn(); }
  // An optional settings section (e.g. IMAP) that is switched off is disabled, so its required
  // fields do not block the form (the checkbox sits in the legend and stays usable).
  document.querySelectorAll("fieldset.model-section").forEach(function (section) {
    var use = section.querySelector(":scope > legend input[name^='use:']");
    if (!use) return;
    function sync() { section.disabled = !use.checked; }
    use.addEventListener("change", sync);
    sync();
  });

  var preview = document.getElementById("widget-preview");
  var form = document.getElementById("widget-form");
  if (!preview || !form) return;
  var lang = preview.dataset.locale === "en" ? "en" : "ko";
  function value(name) { var f = form.elements[name]; return f ? f.value : ""; }
  function draw() {
    preview.style.setProperty("--pv-color", value("color"));
    preview.classList.toggle("left", value("position") === "left");
    preview.querySelector(".pv-title").textContent = value("title_" + lang);
    preview.querySelector(".pv-greeting").textContent = value("greeting_" + lang);
    preview.querySelector(".pv-away").textContent = value("offline_" + lang);
    var label = value("launcher_text_" + lang);
    preview.querySelector(".pv-label").textContent = label;
    preview.classList.toggle("labelled", !!label);
  }
  form.addEventListener("input", draw);
  form.addEventListener("change", draw);
  draw();
})();
