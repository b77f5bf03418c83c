// The service right now: reload every few seconds, unless the reader pauses it (WCAG 2.2.1).
(function () {
  "use strict";
  var box = document.getElementById("ops-refresh");
  if (!box) return;
  var seconds = parseInt(box.getAttribute("data-seconds"), 10) || 30;
  var button = box.querySelector("button");
  var timer = null;
  function arm() {
    timer = window.setTimeout(function () {
      // Someone writing in a form (a counter's reason for closing) is not interrupted: ask again later.
      var typing = document.activeElement && /^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName);
      if (typing && document.activeElement.value) {
        arm();
      } else {
        window.location.reload();
      }
    }, seconds * 1000);
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var pausing = button.getAttribute("aria-pressed") !== "true";
    button.setAttribute("aria-pressed", pausing ? "true" : "false");
    if (pausing) {
      window.clearTimeout(timer);
    } else {
      arm();
    }
  });
  arm();
})();
