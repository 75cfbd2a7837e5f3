/* Knowledge base import: send the file with a progress bar (upload, then "importing"), then show
   the page the server answers with its report. Without JavaScript the form posts as usual. */
(function () {
  "use strict";
  var form = document.getElementById("kb-import");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var bar = document.getElementById("kb-import-progress");
  var status = document.getElementById("kb-import-status");
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var button = form.querySelector("button");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    bar.hidden = false;
    bar.value = 0;
    button.disabled = true;
    status.textContent = form.dataset.sending;
    xhr.upload.addEventListener("progress", function (p) {
      if (!p.lengthComputable) return;
      bar.value = Math.round((p.loaded / p.total) * 100);
      if (p.loaded >= p.total) status.textContent = form.dataset.importing;
    });
    xhr.upload.addEventListener("load", function () {
      bar.value = 100;
      status.textContent = form.dataset.importing;
    });
    xhr.addEventListener("load", function () {
      if (xhr.status >= 400) {  // refused (too big, unreadable, wrong kind): said in words here
        button.disabled = false;
        bar.hidden = true;
        status.textContent = xhr.responseText.slice(0, 300);
        status.classList.add("error");
        return;
      }
      // the answer is the whole page with the import report
      document.open();
      document.write(xhr.responseText);
      document.close();
    });
    xhr.addEventListener("error", function () {
      button.disabled = false;
      bar.hidden = true;
      status.textContent = form.dataset.failed;
    });
    xhr.send(new FormData(form));
  });
})();
