// The header's menu on a phone: one row (the name and a Menu button) until the button opens it.
// Without script the whole menu shows, as on a wide screen. Loaded in <head>: the "js" class is
// set before the header is drawn, so a phone never sees the open menu flash by.
document.documentElement.classList.add("js");
document.addEventListener("click", (event) => {
  const toggle = event.target.closest(".menu-toggle");
  if (!toggle) return;
  const menu = document.getElementById(toggle.getAttribute("aria-controls"));
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", String(open));
  menu.classList.toggle("open", open);
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const toggle = document.querySelector('.menu-toggle[aria-expanded="true"]');
  if (!toggle) return;
  toggle.setAttribute("aria-expanded", "false");
  document.getElementById(toggle.getAttribute("aria-controls")).classList.remove("open");
  toggle.focus();
});
