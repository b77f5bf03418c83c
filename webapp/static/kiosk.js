// The guest book kiosk and the visitor's status page. Everything here has a no-JavaScript
// fallback in the page itself (meta refresh, plain links).
(function () {
  "use strict";

  // Priority service: the oldest age band ("Over 65") ticks "Elderly" for the visitor, unless they
  // chose an answer to the priority question themselves; they may still untick it.
  var priority = document.querySelector("[data-priority-chips]");
  if (priority) {
    var band = priority.getAttribute("data-elderly-band");
    var chosenByHand = false;
    priority.addEventListener("change", function () {
      chosenByHand = true;
    });
    document.querySelectorAll('input[name="age_band"]').forEach(function (input) {
      input.addEventListener("change", function () {
        var elderly = priority.querySelector('input[value="elderly"]');
        var none = priority.querySelector('input[value=""]');
        if (chosenByHand || !elderly || !none) return;
        (input.value === band ? elderly : none).checked = true;
      });
    });
  }

  // The kiosk's ticket page counts down, then goes back to an empty guest book: the next
  // visitor never sees the previous one's ticket. `replace` keeps it out of the history too.
  var done = document.querySelector("[data-reset-after]");
  if (done) {
    var left = parseInt(done.getAttribute("data-reset-after"), 10) || 60;
    var target = done.getAttribute("data-reset-to") || "/buku-tamu";
    var shown = done.querySelector("[data-countdown]");
    var full = left;
    var timer = window.setInterval(function () {
      left -= 1;
      if (shown) shown.textContent = String(Math.max(left, 0));
      if (left <= 0) {
        window.clearInterval(timer);
        window.location.replace(target);
      }
    }, 1000);
    // WCAG 2.2.1: a visitor still reading the ticket asks for the whole time again, as often as
    // they like; a screen reader hears that it was given.
    var more = done.querySelector("[data-more-time]");
    var said = done.querySelector("[data-more-time-said]");
    if (more) {
      more.hidden = false;
      more.addEventListener("click", function () {
        left = full;
        if (shown) shown.textContent = String(left);
        if (said && shown) {
          var sentence = shown.parentNode.cloneNode(true);
          var button = sentence.querySelector("[data-more-time]");
          if (button) button.parentNode.removeChild(button);
          said.textContent = sentence.textContent.trim();
        }
      });
    }
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

  // The kiosk's form. It is sent in the background, so the kiosk's history never holds a
  // posted form (Back and "send again" would show one visitor's answers to the next): answers
  // sent back for correction replace the page in place, and the tickets replace it for good.
  // Half-filled answers left behind are cleared after a few minutes, and an untouched form is
  // renewed before its signed opening time runs out.
  var ABANDONED_MS = 3 * 60 * 1000;
  var RENEW_MS = 60 * 60 * 1000;
  var idle = null;

  function kioskForm() {
    var form = document.querySelector("[data-kiosk-form]");
    if (!form) return;
    var touched = false;
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
    restart();
    if (!window.fetch || !window.FormData || !window.DOMParser) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = true;  // one ticket per press
      window.fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (response) {
          if (response.ok && response.redirected) {
            window.location.replace(response.url);
            return null;
          }
          return response.text();
        })
        .then(function (html) {
          if (html === null) return;
          var page = new DOMParser().parseFromString(html, "text/html");
          var fresh = page.querySelector("main");
          var main = document.querySelector("main");
          if (!fresh || !main) {
            window.location.replace(clean);
            return;
          }
          main.innerHTML = fresh.innerHTML;
          document.title = page.title;
          window.scrollTo(0, 0);
          var summary = document.getElementById("error-summary");
          if (summary) summary.focus();
          if (document.querySelector("[data-kiosk-form]")) {
            kioskForm();
          } else {
            // A refusal with no form (too many entries, an expired session): show it a while,
            // then start again with an empty form.
            if (idle) window.clearTimeout(idle);
            idle = window.setTimeout(function () { window.location.replace(clean); }, 60 * 1000);
          }
        })
        .catch(function () {
          if (button) button.disabled = false;
        });
    });
  }
  kioskForm();

  // The status page: fetch it again every few seconds and replace only the tickets, so the
  // reader's scroll position and focus stay where they were.
  var live = document.getElementById("visit-live");
  var seconds = live ? parseInt(live.getAttribute("data-refresh-every"), 10) : 0;
  if (live && seconds > 0 && window.fetch && window.DOMParser) {
    var every = seconds * 1000;
    var refresh = function () {
      window.fetch(window.location.href, { cache: "no-store", credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) return;
          var page = new DOMParser().parseFromString(html, "text/html");
          var fresh = page.getElementById("visit-live");
          // Replace the tickets only when they changed: a screen reader announces each change.
          if (fresh && fresh.innerHTML !== live.innerHTML) live.innerHTML = fresh.innerHTML;
          if (fresh && fresh.getAttribute("data-refresh-every") === "0") every = 0;  // the visit ended
          var time = page.getElementById("visit-updated");
          var shownTime = document.getElementById("visit-updated");
          if (time && shownTime) shownTime.textContent = time.textContent;
        })
        .catch(function () { /* offline for a moment: try again next time */ })
        .then(function () { if (every > 0) window.setTimeout(refresh, every); });
    };
    window.setTimeout(refresh, every);
  }
})();
