// The waiting-room board: asks for the latest calls every few seconds and redraws them in place;
// the "now calling" box flashes when the call sequence goes up, and each answer goes to the
// board's sound (board-sound.js: a chime, then the call said, for each call not heard yet).
// Without JavaScript the page reloads itself (a meta refresh inside <noscript>).
(function () {
  "use strict";

  var board = document.getElementById("board");
  if (!board || !window.fetch) {
    return;
  }
  var url = board.dataset.url;
  var every = (parseInt(board.dataset.refreshSeconds, 10) || 3) * 1000;
  var sequence = parseInt(board.dataset.sequence, 10) || 0;
  var day = board.dataset.day;

  // -- drawing -------------------------------------------------------------------------------
  function text(id, value) {
    var element = document.getElementById(id);
    if (element && element.textContent !== value) {
      element.textContent = value;
    }
  }

  function drawCalls(section, calls) {
    var list = section.querySelector(".calls");
    var items = [];
    calls.forEach(function (call) {
      var item = document.createElement("li");
      var code = document.createElement("span");
      code.className = "call-code";
      code.textContent = call.code;
      var arrow = document.createElement("span");
      arrow.className = "call-arrow";
      arrow.setAttribute("aria-hidden", "true");
      arrow.textContent = "→";
      var counter = document.createElement("span");
      counter.className = "call-counter";
      counter.textContent = call.counter;
      item.appendChild(code);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(arrow);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(counter);
      if (call.priority) {
        var mark = document.getElementById("priority-template").content.firstElementChild.cloneNode(true);
        item.appendChild(document.createTextNode(" "));
        item.appendChild(mark);
      }
      items.push(item);
    });
    if (!items.length) {
      var template = document.getElementById("no-calls-template");
      items.push(template.content.firstElementChild.cloneNode(true));
    }
    list.replaceChildren.apply(list, items);
  }

  function draw(data) {
    var counter = document.getElementById("now-counter");
    text("now-code", data.latest ? data.latest.code : "–");
    var nowMark = document.getElementById("now-priority");
    if (nowMark) nowMark.hidden = !(data.latest && data.latest.priority);
    text("now-counter", data.latest ? data.latest.counter : counter.dataset.empty);
    text("board-clock", data.time);
    data.services.forEach(function (service) {
      var section = board.querySelector('[data-service="' + service.code + '"]');
      if (!section) {
        return;
      }
      section.querySelector(".waiting-count").textContent = String(service.waiting);
      drawCalls(section, service.calls);
    });
  }

  function announce(data) {
    var now = document.querySelector(".now");
    now.classList.remove("fresh");
    void now.offsetWidth; // restart the highlight animation
    now.classList.add("fresh");
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        draw(data);
        if (window.pustakaBoardSound) {
          window.pustakaBoardSound.hear(data);
        }
        board.dataset.sequence = String(data.sequence);
        if (data.sequence > sequence && data.day === day) {
          announce(data); // a new day raises the sequence too, but calls nobody
        }
        sequence = data.sequence;
        day = data.day;
        board.classList.remove("offline");
        window.setTimeout(poll, every);
      })
      .catch(function () {
        board.classList.add("offline");
        window.setTimeout(poll, every * 2);
      });
  }

  window.setTimeout(poll, every);
})();
