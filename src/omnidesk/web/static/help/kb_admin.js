/* Knowledge base editor: upload an image or file and insert its Markdown at the cursor. */
(function () {
  "use strict";
  var input = document.getElementById("kb-upload");
  if (!input) return;
  var body = document.querySelector("textarea[name=body]");
  var status = document.getElementById("kb-upload-status");
  input.addEventListener("change", function () {
    if (!input.files.length) return;
    var form = new FormData();
    form.append("file", input.files[0]);
    form.append("csrf", input.dataset.csrf);
    status.textContent = "…";
    fetch("/api/v1/kb/attachments", { method: "POST", body: form, credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
      .then(function (res) {
        if (!res.ok) { status.textContent = res.data.message || "upload failed"; return; }
        var at = body.selectionStart || body.value.length;
        body.value = body.value.slice(0, at) + res.data.markdown + "\n" + body.value.slice(at);
        body.dispatchEvent(new Event("input", { bubbles: true }));  // refresh the preview
        status.textContent = "";
        input.value = "";
      })
      .catch(function () { status.textContent = "upload failed"; });
  });
})();
