// The softcopy request form: show the pages field only while "some pages" is chosen.
// A hidden pages box is also disabled, so it is not sent with a whole-publication request;
// what was typed stays in it for when "some pages" is chosen again. Without JavaScript both
// stay visible, and the server refuses pages typed with "the whole publication".
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector(".request-form");
  const pages = form && form.querySelector("#pages");
  if (!pages) return;
  const field = pages.closest(".field");
  // A page sent back with a problem on the pages box keeps it in view until the scope changes.
  let keepShown = field.classList.contains("field-invalid");
  const update = () => {
    const chosen = form.querySelector("input[name=scope]:checked");
    const wanted = keepShown || (chosen && chosen.value === "pages");
    field.hidden = !wanted;
    pages.disabled = !wanted;
  };
  form.querySelectorAll("input[name=scope]").forEach((radio) =>
    radio.addEventListener("change", () => {
      keepShown = false;
      update();
    }),
  );
  update();
});
