// A library terminal's session: end it when the terminal is left alone, after a warning.
// Any touch, key, scroll or wheel counts as use; the server hears of use at most every ten
// seconds and ends an idle session itself too, so this timer ends a little before it would.
(function () {
  "use strict";
  const bar = document.querySelector("[data-terminal-idle]");
  if (!bar) return;
  const idleMs = Number(bar.dataset.terminalIdle) * 1000;
  const warnMs = Number(bar.dataset.terminalWarn) * 1000;
  const warning = bar.querySelector(".terminal-warning");
  const text = warning.querySelector("p");
  const message = warning.dataset.message || "";
  const form = document.getElementById("terminal-finish");
  const PING_EVERY = 10000;
  let last = Date.now();
  let pinged = Date.now();
  let ending = false;

  function ping() {
    pinged = Date.now();
    fetch(bar.dataset.touchUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": bar.dataset.csrf },
    }).then(function (response) {
      if (response.status === 401) window.location.assign(bar.dataset.homeUrl);
    }).catch(function () { /* offline for a moment: the next use tries again */ });
  }

  function used() {
    if (ending) return;
    last = Date.now();
    if (!warning.hidden) warning.hidden = true;
    if (last - pinged >= PING_EVERY) ping();
  }

  function end() {
    ending = true;
    form.elements.karena.value = "idle";
    form.submit();
  }

  function tick() {
    if (ending) return;
    const left = idleMs - (Date.now() - last);
    if (left <= 0) {
      end();
    } else if (left <= warnMs) {
      text.textContent = message.replace("{s}", String(Math.ceil(left / 1000)));
      warning.hidden = false;
    }
  }

  ["pointerdown", "keydown", "wheel", "touchstart", "scroll"].forEach(function (name) {
    window.addEventListener(name, used, { passive: true, capture: true });
  });
  window.setInterval(tick, 1000);
  // A page shown again from the browser's memory (the back button) asks the server afresh,
  // which sends anyone whose session has ended back to the ticket screen.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.body.style.visibility = "hidden";
      window.location.reload();
    }
  });
  bar.dataset.terminalWatching = "";  // counting from now (what a test waits for before moving the clock)
})();
