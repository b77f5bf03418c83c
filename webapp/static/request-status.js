// The request page updates itself while the request is not final: it asks the JSON status
// every 2 s, less often as time passes (up to once a minute), and when the status changes it
// fetches the page again and puts its new content in place. Without JavaScript the page is the
// same and a reload shows the news.
document.addEventListener("DOMContentLoaded", () => {
  const live = document.getElementById("request-live");
  if (!live || live.hasAttribute("data-final")) return;
  const announce = document.getElementById("request-announce");
  const url = live.dataset.statusUrl;
  let state = live.dataset.state;
  let delay = 2000;

  const refresh = async (label) => {
    const page = await fetch(window.location.href, { credentials: "same-origin", cache: "no-store" });
    if (!page.ok) return false;
    const html = new DOMParser().parseFromString(await page.text(), "text/html");
    const fresh = html.getElementById("request-live");
    if (!fresh) return false;
    live.replaceChildren(...Array.from(fresh.childNodes, (node) => document.importNode(node, true)));
    live.dataset.state = fresh.dataset.state;
    if (announce) announce.textContent = label;
    return true;
  };

  const poll = async () => {
    try {
      const answer = await fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } });
      if (answer.ok && (answer.headers.get("Content-Type") || "").includes("json")) {
        const status = await answer.json();
        if (status.state !== state && (await refresh(status.label))) {
          state = status.state;
          delay = 2000;
        }
        if (status.final) return;
      }
    } catch (error) {
      // Offline for a moment, or the server restarted: try again later.
    }
    delay = Math.min(delay * 1.5, 60000);
    window.setTimeout(poll, delay);
  };
  window.setTimeout(poll, delay);
});
