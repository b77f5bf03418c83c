// The librarian's desk: upload progress, then job progress, without reloading the page.
// Without JavaScript the form posts normally and the job page refreshes itself.
(function () {
  "use strict";

  // A refused upload comes back with its message at the top: bring it into view.
  var refusal = document.getElementById("form-error");
  if (refusal) {
    window.scrollTo(0, 0);
    refusal.focus();
  }

  var form = document.getElementById("upload-form");
  if (form && window.XMLHttpRequest && window.FormData) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var box = document.getElementById("upload-progress");
      var bar = document.getElementById("upload-bar");
      var label = document.getElementById("upload-percent");
      var button = form.querySelector("button[type=submit]");
      box.hidden = false;
      button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var pct = Math.round((100 * e.loaded) / e.total);
          bar.value = pct;
          label.textContent = pct + "%";
        }
      });
      xhr.addEventListener("load", function () {
        if (xhr.responseURL && xhr.responseURL.indexOf("/meja/ingest/baru") === -1) {
          window.location.assign(xhr.responseURL);
          return;
        }
        // A refusal: show the page the server answered, with its message.
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", function () {
        button.disabled = false;
        label.textContent = form.dataset.networkError || "!";
      });
      xhr.send(new FormData(form));
    });
  }

  var job = document.getElementById("job");
  if (job && job.dataset.finished !== "true" && window.fetch) {
    var poll = function () {
      fetch(job.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          var progress = document.getElementById("job-progress");
          progress.max = s.pages_total || 1;
          progress.value = s.pages_done;
          var pages = document.getElementById("job-pages");
          pages.textContent = pages.textContent.replace(/\d+(\D+)\d+/, s.pages_done + "$1" + s.pages_total);
          var status = document.getElementById("job-status");
          status.textContent = s.label;
          status.className = "status status-" + s.status;
          if (s.finished) {
            window.location.reload();
          } else {
            window.setTimeout(poll, 2000);
          }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    };
    window.setTimeout(poll, 1500);
  }
})();
