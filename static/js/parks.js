// Park pages and the matching fragments: confirm before deleting a chain, and let the suggested-park
// card choose its park in the form around it (no inline script: the CSP forbids it). The project form
// has a select `park_id` of park ids (labels "name（CODE）"); other forms may have a field `park` taking the code.
function chooseOption(field, parkId, code) {
  const options = Array.from(field.options);
  const option = options.find((o) => parkId && o.value === parkId)
    || options.find((o) => o.value === code || o.text.trim().endsWith(`（${code}）`));
  if (!option) return false;
  field.value = option.value;
  return true;
}

function selectPark(button) {
  const code = button.dataset.selectPark;
  const parkId = button.dataset.parkId || "";
  const form = button.closest("form")
    || document.querySelector("form [name=park_id], form [name=park]")?.form;
  const field = form && (form.querySelector("[name=park_id]") || form.querySelector("[name=park]"));
  if (!field) return;
  if (field.tagName === "SELECT") {
    if (!chooseOption(field, parkId, code)) return;
  } else {
    field.value = field.name === "park_id" ? parkId : code;
  }
  field.dispatchEvent(new Event("change", { bubbles: true }));
  button.classList.replace("btn-outline-primary", "btn-primary");
  button.setAttribute("aria-pressed", "true");
}

document.addEventListener("click", (event) => {
  const confirmButton = event.target.closest("[data-confirm]");
  if (confirmButton && !window.confirm(confirmButton.dataset.confirm)) {
    event.preventDefault();
    return;
  }
  const button = event.target.closest("[data-select-park]");
  if (button) selectPark(button);
});
