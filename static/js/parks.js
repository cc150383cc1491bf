// Park pages and the matching fragments: confirm before deleting a chain, and let the suggested-park
// card fill the form field named `park` with its park code (no inline script: the CSP forbids it).
document.addEventListener("click", (event) => {
  const confirmButton = event.target.closest("[data-confirm]");
  if (confirmButton && !window.confirm(confirmButton.dataset.confirm)) {
    event.preventDefault();
    return;
  }
  const select = event.target.closest("[data-select-park]");
  if (!select) return;
  const form = select.closest("form") || document.querySelector("form [name=park]")?.form;
  const field = form && form.querySelector("[name=park]");
  if (!field) return;
  field.value = select.dataset.selectPark;
  field.dispatchEvent(new Event("change", { bubbles: true }));
  select.classList.replace("btn-outline-primary", "btn-primary");
});
