// The softcopy request form: show the pages field only while "some pages" is chosen.
// Without JavaScript both stay visible and the server ignores pages for a whole copy.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector(".request-form");
  const pages = form && form.querySelector("#pages");
  if (!pages) return;
  const field = pages.closest(".field");
  const update = () => {
    const chosen = form.querySelector("input[name=scope]:checked");
    field.hidden = !chosen || chosen.value !== "pages";
  };
  form.querySelectorAll("input[name=scope]").forEach((radio) => radio.addEventListener("change", update));
  update();
});
