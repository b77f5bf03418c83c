// The staff console: the counters and the waiting list refresh themselves every few seconds
// (the server's fragment replaces them in place), but never while a staff member is using a
// form in them: a field has focus, a late start's reason form is open, or a consultation's
// record has been typed in and not yet sent.
(function () {
  "use strict";

  var live = document.getElementById("live");
  if (!live || !window.fetch) {
    return;
  }
  var url = live.dataset.refreshUrl;
  var every = (parseInt(live.dataset.refreshSeconds, 10) || 10) * 1000;

  function busy() {
    if (live.querySelector("[data-keep]")) {
      return true;
    }
    var active = document.activeElement;
    return Boolean(active && active !== document.body && live.contains(active) &&
      /^(INPUT|SELECT|TEXTAREA)$/.test(active.tagName));
  }

  function refresh() {
    if (busy() || document.hidden) {
      window.setTimeout(refresh, every);
      return;
    }
    fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        // Signed out meanwhile (sent to the sign-in page) or refused: keep what is shown.
        if (!response.ok || response.redirected) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        if (!busy()) {
          live.innerHTML = html;
        }
        window.setTimeout(refresh, every);
      })
      .catch(function () {
        window.setTimeout(refresh, every * 3);
      });
  }

  // A record typed in keeps its form (and so the list) as it is until it is sent.
  live.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest(".record-form");
    if (form) {
      form.setAttribute("data-keep", "");
    }
  });

  window.setTimeout(refresh, every);
})();
