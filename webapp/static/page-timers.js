// Pages that move on by themselves, without a timed <meta refresh> (WCAG 2.2.1; each page keeps
// one in <noscript> for browsers without JavaScript):
// - [data-leave-after]: a terminal page goes back to the terminal's start after that many
//   seconds without a key, a touch or a scroll; any of them starts the wait again.
// - [data-waiting-every]: a page that waits for work done in the background asks for itself
//   every few seconds and reloads only once it no longer waits, so nothing moves under the
//   reader's eyes (or focus) while it waits.
(function () {
  "use strict";

  var leave = document.querySelector("[data-leave-after]");
  if (leave) {
    var ms = Number(leave.getAttribute("data-leave-after")) * 1000;
    var to = leave.getAttribute("data-leave-to");
    var timer = null;
    var arm = function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { window.location.replace(to); }, ms);
    };
    ["keydown", "pointerdown", "input", "scroll"].forEach(function (name) {
      document.addEventListener(name, arm, { passive: true, capture: true });
    });
    arm();
  }

  var waiting = document.querySelector("[data-waiting-every]");
  if (waiting) {
    var every = Number(waiting.getAttribute("data-waiting-every")) * 1000;
    var ask = function () {
      fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          if (html && !page.querySelector("[data-waiting-every]")) window.location.reload();
          else window.setTimeout(ask, every);
        })
        .catch(function () { window.setTimeout(ask, every); });
    };
    window.setTimeout(ask, every);
  }
})();
