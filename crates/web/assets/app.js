// zhikong: progressive enhancement only; every page works without script.
document.addEventListener("DOMContentLoaded", () => {
  // Put the cursor where the user types first (login, search).
  const first = document.querySelector("#username, .filters input[type=search]");
  if (first && !first.value) first.focus();
});
