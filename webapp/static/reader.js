// The reader: ask again for a page picture the server was still preparing.
// A page rendered for the first time may take longer than the server lets a request wait; it
// then answers 503 and finishes the page meanwhile. Without JavaScript a reload shows it.
const READER_RETRIES = 8;
document.addEventListener(
  "error",
  (event) => {
    const picture = event.target;
    if (!(picture instanceof HTMLImageElement) || !picture.closest(".reader-page")) return;
    const tries = Number(picture.dataset.tries || 0) + 1;
    if (tries > READER_RETRIES) return;
    picture.dataset.tries = String(tries);
    setTimeout(() => {
      const again = new URL(picture.src, document.baseURI);
      again.searchParams.set("lagi", String(tries));
      picture.src = again.toString();
    }, 700 * tries);
  },
  true, // error events do not bubble: listen while they go down
);
