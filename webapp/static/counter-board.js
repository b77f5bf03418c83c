// The waiting-room board: asks for the latest calls every few seconds and redraws them in place;
// a chime (WebAudio, no sound file) plays when the call sequence goes up, then the browser's
// speech synthesis says the call ("Nomor antrean P dua belas, silakan ke loket satu": the
// sentences come with the data, in `speech`), with an Indonesian voice when the browser has one;
// without a voice for the language the chime alone is heard. Browsers allow sound only after a
// first tap or click, so the board shows "Aktifkan suara" once; this board remembers it (and its
// volume, and a voice turned off here) in localStorage. Without JavaScript the page reloads
// itself (a meta refresh inside <noscript>).
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
  var sound = document.getElementById("sound");
  var voiceToggle = document.getElementById("voice-toggle");
  var volumeInput = document.getElementById("volume");
  var audio = null;
  var soundOn = false; // a tap turned sound on (or this board remembered it): the call may be said
  var store = {
    get: function (key) {
      try {
        return window.localStorage.getItem("pustaka.board." + key);
      } catch (e) {
        return null;
      }
    },
    set: function (key, value) {
      try {
        window.localStorage.setItem("pustaka.board." + key, value);
      } catch (e) {
        /* a private window keeps nothing: the board asks again */
      }
    },
  };
  var volume = Math.min(1, Math.max(0, parseFloat(store.get("volume") || "1")));
  var voiceHere = store.get("voice") !== "off";

  // -- sound: allowed after the first gesture ------------------------------------------------
  var AudioContext = window.AudioContext || window.webkitAudioContext;
  if (AudioContext && sound) {
    sound.hidden = false;
    var enable = function () {
      if (!audio) {
        audio = new AudioContext();
      }
      audio.resume();
      soundOn = true;
      sound.textContent = sound.dataset.on;
      sound.classList.add("sound-on");
      store.set("sound", "on");
      document.removeEventListener("click", enable);
      document.removeEventListener("keydown", enable);
      document.removeEventListener("touchend", enable);
    };
    document.addEventListener("click", enable);
    document.addEventListener("keydown", enable);
    document.addEventListener("touchend", enable);
    if (store.get("sound") === "on") {
      enable(); // remembered: where the browser allows sound without a tap (a kiosk browser), no button
      if (audio.state !== "running") {
        sound.textContent = sound.dataset.off;
        sound.classList.remove("sound-on");
        audio.resume().then(function () {
          if (audio.state === "running") sound.textContent = sound.dataset.on;
        });
      }
    }
  }
  if (voiceToggle && window.speechSynthesis) {
    voiceToggle.hidden = false;
    var drawVoice = function () {
      voiceToggle.textContent = voiceHere ? voiceToggle.dataset.on : voiceToggle.dataset.off;
      voiceToggle.setAttribute("aria-pressed", voiceHere ? "true" : "false");
    };
    drawVoice();
    voiceToggle.addEventListener("click", function () {
      voiceHere = !voiceHere;
      store.set("voice", voiceHere ? "on" : "off");
      drawVoice();
    });
  }
  if (volumeInput) {
    volumeInput.value = String(Math.round(volume * 100));
    volumeInput.addEventListener("input", function () {
      volume = (parseInt(volumeInput.value, 10) || 0) / 100;
      store.set("volume", String(volume));
    });
  }

  function tone(frequency, start, length) {
    var oscillator = audio.createOscillator();
    var gain = audio.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(Math.max(0.0002, 0.5 * volume), start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
    oscillator.connect(gain);
    gain.connect(audio.destination);
    oscillator.start(start);
    oscillator.stop(start + length + 0.05);
  }

  function soundAllowed() {
    return audio !== null && audio.state === "running";
  }

  // A voice for the language ("id-ID", else any "id"); null: none known yet (the browser picks by
  // `lang`); false: the browser has voices, none of this language (the chime alone is heard).
  function voiceFor(tag) {
    var voices = window.speechSynthesis.getVoices() || [];
    if (!voices.length) return null;
    var base = tag.split("-")[0];
    var exact = voices.filter(function (v) { return v.lang === tag || v.lang === tag.replace("-", "_"); });
    var near = voices.filter(function (v) { return (v.lang || "").split(/[-_]/)[0] === base; });
    return exact[0] || near[0] || false;
  }

  function say(lines) {
    if (!voiceHere || !window.speechSynthesis || !window.SpeechSynthesisUtterance) return;
    window.speechSynthesis.cancel(); // a newer call replaces one still being said
    lines.forEach(function (line) {
      var voice = voiceFor(line.lang);
      if (voice === false) return;
      var utterance = new window.SpeechSynthesisUtterance(line.text);
      utterance.lang = line.lang;
      utterance.rate = 0.9;
      utterance.volume = volume;
      if (voice) utterance.voice = voice;
      window.speechSynthesis.speak(utterance);
    });
  }

  function chime() {
    if (!soundAllowed()) {
      return;
    }
    var now = audio.currentTime;
    tone(880, now, 0.9); // ding
    tone(659.25, now + 0.6, 1.2); // dong
  }

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
    chime();
    if (soundOn && data.voice && data.speech && data.speech.length) {
      window.setTimeout(function () { say(data.speech); }, 1400); // after the chime's "ding-dong"
    }
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
