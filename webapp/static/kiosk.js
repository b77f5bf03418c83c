// The guest book kiosk and the visitor's status page. Everything here has a no-JavaScript
// fallback in the page itself (meta refresh, plain links).
(function () {
  "use strict";

  // The kiosk's ticket page counts down, then goes back to an empty guest book: the next
  // visitor never sees the previous one's ticket. `replace` keeps it out of the history too.
  var done = document.querySelector("[data-reset-after]");
  if (done) {
    var left = parseInt(done.getAttribute("data-reset-after"), 10) || 60;
    var target = done.getAttribute("data-reset-to") || "/buku-tamu";
    var shown = done.querySelector("[data-countdown]");
    var timer = window.setInterval(function () {
      left -= 1;
      if (shown) shown.textContent = String(Math.max(left, 0));
      if (left <= 0) {
        window.clearInterval(timer);
        window.location.replace(target);
      }
    }, 1000);
    var finish = done.querySelector("[data-done]");
    if (finish) {
      finish.addEventListener("click", function (event) {
        event.preventDefault();
        window.location.replace(finish.href);
      });
    }
    // Print the ticket from a hidden frame, so the kiosk stays on this page (and still resets).
    var print = done.querySelector("[data-print]");
    if (print) {
      print.addEventListener("click", function (event) {
        event.preventDefault();
        var old = document.getElementById("ticket-print");
        if (old) old.remove();
        var frame = document.createElement("iframe");
        frame.id = "ticket-print";
        frame.title = print.textContent;
        frame.style.cssText = "position:absolute;width:1px;height:1px;border:0;left:-9999px";
        frame.addEventListener("load", function () {
          try {
            frame.contentWindow.focus();
            frame.contentWindow.print();
          } catch (e) {
            window.open(print.href, "_blank", "noopener");
          }
        });
        frame.src = print.href;
        document.body.appendChild(frame);
      });
    }
  }

  // The kiosk's form: one visitor's half-filled answers never wait for the next visitor, and
  // an untouched form is renewed before its signed opening time runs out.
  var form = document.querySelector("[data-kiosk-form]");
  if (form) {
    var ABANDONED_MS = 3 * 60 * 1000;
    var RENEW_MS = 60 * 60 * 1000;
    var touched = false;
    var idle = null;
    var clean = form.getAttribute("action") || window.location.pathname;
    var restart = function () {
      if (idle) window.clearTimeout(idle);
      idle = window.setTimeout(function () {
        window.location.replace(clean);
      }, touched ? ABANDONED_MS : RENEW_MS);
    };
    ["input", "change", "pointerdown", "keydown"].forEach(function (kind) {
      form.addEventListener(kind, function () {
        touched = true;
        restart();
      });
    });
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);  // one ticket per press
      }
    });
    restart();
  }

  // The status page: fetch it again every few seconds and replace only the tickets, so the
  // reader's scroll position and focus stay where they were.
  var live = document.getElementById("visit-live");
  if (live && window.fetch && window.DOMParser) {
    var every = (parseInt(live.getAttribute("data-refresh-every"), 10) || 15) * 1000;
    var refresh = function () {
      window.fetch(window.location.href, { cache: "no-store", credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) return;
          var page = new DOMParser().parseFromString(html, "text/html");
          var fresh = page.getElementById("visit-live");
          // Replace the tickets only when they changed: a screen reader announces each change.
          if (fresh && fresh.innerHTML !== live.innerHTML) live.innerHTML = fresh.innerHTML;
          var time = page.getElementById("visit-updated");
          var shownTime = document.getElementById("visit-updated");
          if (time && shownTime) shownTime.textContent = time.textContent;
        })
        .catch(function () { /* offline for a moment: try again next time */ })
        .then(function () { window.setTimeout(refresh, every); });
    };
    window.setTimeout(refresh, every);
  }
})();
