// Web Push on a visitor's status page: "Tell me on this phone" subscribes this browser with its
// push service (the office's public key) and hands the subscription to the office; "Stop" undoes
// it. The offer stays hidden where the browser has no service workers or Push API, so a visitor
// is never shown a button that cannot work: they keep the page open, as before.
(function () {
  "use strict";

  var offer = document.querySelector("[data-push-offer]");
  if (!offer || !("serviceWorker" in navigator) || !("PushManager" in window) || !window.Notification) return;
  var on = offer.querySelector("[data-push-on]");
  var off = offer.querySelector("[data-push-off]");
  var said = offer.querySelector("[data-push-said]");

  function keyBytes(text) {
    var padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  // An error whose words are the office's own (in the visitor's language), not the browser's.
  function saidByOffice(message) {
    var error = new Error(message);
    error.office = true;
    return error;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": offer.dataset.csrf },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) throw saidByOffice(answer.error || offer.dataset.failed);
        return answer.message;
      });
    });
  }

  function show(subscribed, message) {
    on.hidden = subscribed;
    off.hidden = !subscribed;
    if (message !== undefined) said.textContent = message;
  }

  function registration() {
    return navigator.serviceWorker.register(offer.dataset.worker, { scope: "/" }).then(function () {
      return navigator.serviceWorker.ready;
    });
  }

  on.addEventListener("click", function () {
    on.disabled = true;
    Notification.requestPermission()
      .then(function (permission) {
        if (permission !== "granted") throw saidByOffice(offer.dataset.denied);
        return registration();
      })
      .then(function (ready) {
        return ready.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(offer.dataset.key) });
      })
      .then(function (subscription) {
        return post(offer.dataset.subscribe, subscription.toJSON());
      })
      .then(function (message) {
        show(true, message);
      })
      .catch(function (error) {
        show(false, error && error.office ? error.message : offer.dataset.failed);
      })
      .then(function () {
        on.disabled = false;
      });
  });

  off.addEventListener("click", function () {
    navigator.serviceWorker.ready
      .then(function (ready) {
        return ready.pushManager.getSubscription();
      })
      .then(function (subscription) {
        if (!subscription) return show(false, "");
        var endpoint = subscription.endpoint;
        return subscription.unsubscribe().then(function () {
          return post(offer.dataset.unsubscribe, { endpoint: endpoint });
        }).then(function (message) {
          show(false, message);
        });
      })
      .catch(function () {
        show(false, offer.dataset.failed);
      });
  });

  offer.hidden = false;
  // A browser already subscribed (the page opened again) is offered "Stop" instead.
  if (Notification.permission === "granted") {
    navigator.serviceWorker.getRegistration("/").then(function (found) {
      return found ? found.pushManager.getSubscription() : null;
    }).then(function (subscription) {
      if (subscription) show(true);
    }).catch(function () {});
  }
})();
