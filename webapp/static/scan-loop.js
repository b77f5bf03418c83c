// The stock-taking scan page: each barcode is sent without reloading the page, one after the
// other in the order scanned (a USB scanner types fast), the counts updated in place and the
// field kept ready. A phone's camera reads barcodes where the browser has BarcodeDetector.
// Without JavaScript the form posts and the page comes back with the field focused.
(function () {
  "use strict";

  var form = document.getElementById("scan-form");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var input = form.querySelector("input[name=barcode]");
  var said = document.getElementById(form.dataset.said);
  var token = form.querySelector("input[name=csrf_token]").value;
  var queue = Promise.resolve();

  function show(body) {
    said.textContent = body.message;
    said.className = "scan-said " + (body.ok ? "scan-" + body.outcome : "scan-refused");
    var counts = body.counts || {};
    Object.keys(counts).forEach(function (name) {
      var cell = document.querySelector("[data-count=" + name + "]");
      if (cell) {
        cell.textContent = counts[name];
      }
    });
  }

  function send(barcode) {
    var data = new FormData();
    data.append("csrf_token", token);
    data.append("barcode", barcode);
    queue = queue.then(function () {
      return fetch(form.action, {
        method: "POST",
        body: data,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json();
        })
        .then(show)
        .catch(function () {
          said.textContent = form.dataset.offline || "";
          form.submit(); // the page's own round trip says what went wrong
        });
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var barcode = input.value.trim();
    input.value = "";
    input.focus();
    if (barcode) {
      send(barcode);
    }
  });
  input.focus();

  // The phone's camera, where the browser can read barcodes itself.
  var box = document.getElementById("camera");
  if (!box || !("BarcodeDetector" in window) || !navigator.mediaDevices) {
    return;
  }
  box.hidden = false;
  var video = document.getElementById("camera-video");
  var last = "";
  var lastAt = 0;
  document.getElementById("camera-start").addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["code_128", "ean_13", "code_39"] });
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" } })
      .then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        return video.play();
      })
      .then(function () {
        window.setInterval(function () {
          detector.detect(video).then(function (codes) {
            codes.forEach(function (code) {
              var now = Date.now();
              if (code.rawValue && (code.rawValue !== last || now - lastAt > 3000)) {
                last = code.rawValue;
                lastAt = now;
                send(code.rawValue);
              }
            });
          });
        }, 300);
      })
      .catch(function () {
        box.hidden = true; // no camera, or refused: the field still takes a typed barcode
        input.focus();
      });
  });
})();
