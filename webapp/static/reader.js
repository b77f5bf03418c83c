// The reader: turning pages, zoom, thumbnails, and asking again for pictures still being prepared.
// Loaded in <head> (not deferred) so the retry listener is there before the first picture fails.
// No inline script or style attribute anywhere: styles are set through the CSSOM only.

// A page rendered for the first time may take longer than the server lets a request wait; it
// then answers 503 and finishes the page meanwhile. Without JavaScript a reload shows it.
const READER_RETRIES = { page: 8, thumbs: 20 };
document.addEventListener(
  "error",
  (event) => {
    const picture = event.target;
    if (!(picture instanceof HTMLImageElement)) return;
    const kind = picture.closest(".reader-page") ? "page" : picture.closest(".thumb-sheet") ? "thumbs" : "";
    if (!kind) return;
    const tries = Number(picture.dataset.tries || 0) + 1;
    if (tries > READER_RETRIES[kind]) return;
    picture.dataset.tries = String(tries);
    setTimeout(() => {
      const again = new URL(picture.src, document.baseURI);
      again.searchParams.set("lagi", String(tries));
      picture.src = again.toString();
    }, Math.min(700 * tries, 4000));
  },
  true, // error events do not bubble: listen while they go down
);

document.addEventListener("DOMContentLoaded", () => {
  const reader = document.querySelector("[data-reader]");
  if (!reader) return;
  const root = document.documentElement;
  const bar = reader.querySelector(".reader-bar");
  const figures = Array.from(reader.querySelectorAll(".reader-page"));
  const input = reader.querySelector("#halaman");
  const tools = reader.querySelector("[data-reader-tools]");
  const shownZoom = reader.querySelector("[data-reader-zoom]");
  const thumbs = reader.querySelector("[data-reader-thumbs]");
  const links = Array.from(reader.querySelectorAll(".thumb-links a"));
  const button = (name) => reader.querySelector(`[data-reader-action="${name}"]`);
  const ZOOMS = [0.25, 0.33, 0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3];
  const STORE = "pustaka-reader-zoom";
  tools.hidden = false;

  // The bar stays at the top: a page jumped to starts below it, however many rows it wraps to.
  const measure = () => root.style.setProperty("--reader-bar", `${Math.ceil(bar.getBoundingClientRect().height)}px`);
  measure();

  // A page turned to stays where it landed while the bar or a picture above it changes size (a
  // page drawn for the first time arrives late, a picture says it cannot be drawn): the
  // browser's scroll anchoring does not look inside the pages' own scroller. Until the reader
  // scrolls on: then the page they scrolled to is theirs.
  let landed = 0;
  let landedAt = 0;
  const land = (number) => {
    figures[number - 1].scrollIntoView({ block: "start" });
    landed = number;
    landedAt = window.scrollY;
  };
  const keep = () => {
    if (!landed) return;
    if (Math.abs(window.scrollY - landedAt) > 1) landed = 0; // scrolled on
    else land(landed);
  };
  new ResizeObserver(() => {
    measure();
    keep();
  }).observe(bar);
  const resized = new ResizeObserver(keep);
  for (const figure of figures) resized.observe(figure);

  // The thumbnails sit beside the pages on a wide screen; on a phone they wait behind their summary.
  if (thumbs && window.matchMedia("(min-width: 60em)").matches) thumbs.open = true;

  const barBottom = () => bar.getBoundingClientRect().bottom;
  const current = () => {
    const line = Math.max(barBottom(), 0) + 8;
    for (const figure of figures) {
      if (figure.getBoundingClientRect().bottom > line + 24) return Number(figure.dataset.page);
    }
    return figures.length;
  };

  const show = (number) => {
    if (input && document.activeElement !== input) input.value = String(number);
    button("prev").disabled = number <= 1;
    button("next").disabled = number >= figures.length;
    for (const link of links) {
      if (Number(link.dataset.page) === number) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
  };

  const go = (number) => {
    const wanted = Math.min(Math.max(number, 1), figures.length);
    if (!figures[wanted - 1]) return;
    land(wanted);
    history.replaceState(null, "", `#hal-${wanted}`);
    show(wanted);
  };

  // Zoom: "fit" (the page's width fits the window) or a scale of the picture's own size.
  let zoom = sessionStorage.getItem(STORE) || "fit";
  if (zoom !== "fit" && !ZOOMS.includes(Number(zoom))) zoom = "fit";
  const scale = () => {
    if (zoom !== "fit") return Number(zoom);
    const picture = figures[current() - 1]?.querySelector("img");
    return picture ? picture.getBoundingClientRect().width / Number(picture.getAttribute("width")) : 1;
  };
  const tell = () => {
    shownZoom.textContent = `${Math.round(scale() * 100)}%`;
  };
  window.addEventListener("resize", tell); // fitting the width, the scale follows the window
  const applyZoom = (keep) => {
    const page = keep ? current() : 0;
    reader.classList.toggle("reader-zoomed", zoom !== "fit");
    for (const figure of figures) {
      const picture = figure.querySelector("img");
      picture.style.width = zoom === "fit" ? "" : `${Math.round(Number(picture.getAttribute("width")) * Number(zoom))}px`;
    }
    tell();
    button("fit").disabled = zoom === "fit";
    button("zoom-in").disabled = zoom !== "fit" && Number(zoom) >= ZOOMS[ZOOMS.length - 1];
    button("zoom-out").disabled = zoom !== "fit" && Number(zoom) <= ZOOMS[0];
    if (zoom === "fit") sessionStorage.removeItem(STORE);
    else sessionStorage.setItem(STORE, String(zoom));
    if (page) go(page); // the page being read stays in view
  };
  const zoomBy = (step) => {
    const now = scale();
    const candidates = step > 0 ? ZOOMS.filter((z) => z > now + 0.01) : ZOOMS.filter((z) => z < now - 0.01).reverse();
    if (candidates.length) zoom = String(candidates[0]);
    applyZoom(true);
  };

  button("prev").addEventListener("click", () => go(current() - 1));
  button("next").addEventListener("click", () => go(current() + 1));
  button("zoom-in").addEventListener("click", () => zoomBy(1));
  button("zoom-out").addEventListener("click", () => zoomBy(-1));
  button("fit").addEventListener("click", () => {
    zoom = "fit";
    applyZoom(true);
  });

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    const actions = { ArrowLeft: () => go(current() - 1), ArrowRight: () => go(current() + 1), "+": () => zoomBy(1), "=": () => zoomBy(1), "-": () => zoomBy(-1) };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });

  let pending = false;
  document.addEventListener("scroll", () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      show(current());
    });
  }, { passive: true });

  const opened = /^#hal-(\d+)$/.exec(location.hash);
  applyZoom(false);
  if (opened) go(Number(opened[1]));
  else show(current());
});
