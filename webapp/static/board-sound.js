// The board's sound: for every call it has not heard yet (a new call, or a recall), a chime, then
// the call said as short clips joined in order ("nomor antrean", "P", "dua belas", "silakan ke",
// "loket", "satu"; the addresses come with each call in the board's data). The clips are made
// once on the server by an offline synthesizer, or recorded by the office; they are loaded as
// soon as a call is on the board, so saying it waits for nothing. A call that arrives while
// another is being said waits its turn: none is cut. Browsers allow sound only after a tap, a
// click or a key, so the board offers "Aktifkan suara" until then (a kiosk browser started with
// --autoplay-policy=no-user-gesture-required needs none). Whether calls are said, and the
// volume, are this board's own choice, kept in localStorage. The board's script
// (counter-board.js) hands each answer it gets to `window.pustakaBoardSound.hear`.
(function () {
  "use strict";

  var board = document.getElementById("board");
  var button = document.getElementById("sound");
  var controls = document.getElementById("sound-controls");
  var voiceBox = document.getElementById("voice-on");
  var slider = document.getElementById("volume");
  var AudioContext = window.AudioContext || window.webkitAudioContext;
  if (!board || !button || !controls || !AudioContext || !window.Audio) {
    return;
  }

  var CHIME_MS = 1700; // the "ding-dong" before the words
  var GAP_MS = 700; // between two calls
  var CLIP_LIMIT_MS = 8000; // a clip that neither ends nor fails by then is given up

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
        /* a private window keeps nothing: the board starts with the defaults again */
      }
    },
  };
  var stored = parseFloat(store.get("volume"));
  var volume = isNaN(stored) ? 0.8 : Math.min(1, Math.max(0, stored));
  var voiceOn = store.get("voice") !== "off";
  var audio = null;
  var loaded = {}; // clip address -> its Audio element, loaded ahead
  var waiting = []; // calls to say, oldest first: each a list of clip addresses
  var busy = false;
  var heard = {}; // ticket code -> how many of its calls the board has heard
  var day = board.dataset.day;

  // -- the controls --------------------------------------------------------------------------
  function running() {
    return audio !== null && audio.state === "running";
  }

  function drawButton() {
    var on = running();
    button.textContent = on ? button.dataset.on : button.dataset.off;
    button.classList.toggle("sound-on", on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
  }

  function enable() {
    if (!audio) {
      audio = new AudioContext();
    }
    var resumed = audio.resume();
    if (resumed && resumed.then) {
      resumed.then(drawButton, drawButton);
    }
    drawButton();
  }

  controls.hidden = false;
  voiceBox.checked = voiceOn;
  slider.value = String(Math.round(volume * 100));
  voiceBox.addEventListener("change", function () {
    voiceOn = voiceBox.checked;
    store.set("voice", voiceOn ? "on" : "off");
  });
  slider.addEventListener("input", function () {
    volume = (parseInt(slider.value, 10) || 0) / 100;
    store.set("volume", String(volume));
  });
  button.addEventListener("click", enable);
  // Any first gesture on the board turns the sound on, as the button does.
  ["click", "keydown", "touchend"].forEach(function (kind) {
    document.addEventListener(kind, function first() {
      enable();
      document.removeEventListener(kind, first);
    });
  });
  try {
    audio = new AudioContext(); // a browser that allows sound without a gesture runs it at once
  } catch (e) {
    audio = null;
  }
  drawButton();

  // -- the chime and the clips ---------------------------------------------------------------
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

  function chime() {
    var now = audio.currentTime;
    tone(880, now, 0.9); // ding
    tone(659.25, now + 0.6, 1.2); // dong
  }

  function clip(address) {
    if (!loaded[address]) {
      var element = new window.Audio();
      element.preload = "auto";
      element.src = address;
      loaded[address] = element;
    }
    return loaded[address];
  }

  function playClips(addresses, done) {
    var index = 0;
    function next() {
      if (index >= addresses.length) {
        done();
        return;
      }
      var element = clip(addresses[index]);
      index += 1;
      var over = false;
      var limit = null;
      function finish() {
        if (over) {
          return;
        }
        over = true;
        window.clearTimeout(limit);
        element.removeEventListener("ended", finish);
        element.removeEventListener("error", finish);
        next();
      }
      element.addEventListener("ended", finish);
      element.addEventListener("error", finish);
      limit = window.setTimeout(finish, CLIP_LIMIT_MS);
      element.volume = volume;
      try {
        element.currentTime = 0;
      } catch (e) {
        /* not loaded yet: it starts at the beginning anyway */
      }
      var playing = element.play();
      if (playing && playing.catch) {
        playing.catch(finish); // refused or unplayable: the next clip, not silence for ever
      }
    }
    next();
  }

  function sayNext() {
    var addresses = waiting.shift();
    if (addresses === undefined) {
      busy = false;
      return;
    }
    busy = true;
    var after = function () {
      window.setTimeout(sayNext, GAP_MS);
    };
    if (!running()) {
      after(); // the sound went off meanwhile: nothing to play
      return;
    }
    chime();
    window.setTimeout(function () {
      if (voiceOn && running() && addresses.length) {
        playClips(addresses, after);
      } else {
        after();
      }
    }, CHIME_MS);
  }

  // -- the calls -----------------------------------------------------------------------------
  function calls(data) {
    var found = [];
    (data.services || []).forEach(function (service) {
      (service.calls || []).forEach(function (call) {
        found.push(call);
      });
    });
    return found;
  }

  function remember(data) {
    calls(data).forEach(function (call) {
      heard[call.code] = Math.max(heard[call.code] || 0, call.calls);
    });
  }

  // Take an answer of the board's data: queue the calls not heard yet; tell whether there were any.
  function hear(data) {
    if (data.day !== day) {
      day = data.day; // a new day numbers its tickets afresh: nothing of the day before is news
      heard = {};
      remember(data);
      return false;
    }
    var fresh = calls(data).filter(function (call) {
      return (heard[call.code] || 0) < call.calls;
    });
    fresh.sort(function (a, b) {
      return a.at < b.at ? -1 : a.at > b.at ? 1 : 0;
    });
    remember(data);
    calls(data).forEach(function (call) {
      if (voiceOn) {
        (call.clips || []).forEach(clip); // loaded before they are needed: a recall is said at once
      }
    });
    if (running()) {
      fresh.forEach(function (call) {
        waiting.push(call.clips || []);
      });
      if (!busy && waiting.length) {
        sayNext();
      }
    }
    return fresh.length > 0;
  }

  try {
    remember({ services: [{ calls: JSON.parse(board.dataset.calls || "[]") }] }); // on the page as drawn
  } catch (e) {
    /* none known: every call of the first answer is news */
  }
  window.pustakaBoardSound = {
    hear: hear,
    idle: function () {
      return !busy; // nothing being said, nothing waiting
    },
  };
})();
