// The scan form's publication picker: words typed into the field fetch matching titles from the
// catalogue; picking one puts its number in the field and names it below. Without JavaScript
// the field takes a number or a catalogue address.
(function () {
  "use strict";
  var input = document.getElementById("publication");
  var list = document.getElementById("publication-choices");
  var picked = document.getElementById("publication-picked");
  if (!input || !list || !picked) return;
  var titles = {};
  var timer = null;

  function show() {
    var title = titles[input.value.trim()];
    picked.textContent = title ? title : "";
  }

  function fetchChoices() {
    var words = input.value.trim();
    if (words.length < 2 || /^#?\d+$/.test(words)) { show(); return; }
    fetch(input.dataset.pickerUrl + "?q=" + encodeURIComponent(words), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (found) {
        list.textContent = "";
        found.forEach(function (item) {
          titles[String(item.id)] = item.title;
          var option = document.createElement("option");
          option.value = String(item.id);
          option.label = item.title;
          option.textContent = item.title;
          list.appendChild(option);
        });
      })
      .catch(function () { /* the field still takes a number */ });
  }

  input.addEventListener("input", function () {
    show();
    clearTimeout(timer);
    timer = setTimeout(fetchChoices, 250);
  });
  // Words typed before this script ran (a slow page) fetch their choices now, not at the next key.
  if (input.value.trim()) fetchChoices(); else show();
})();
