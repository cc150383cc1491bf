// Page behaviour without inline script (the CSP forbids it): CSRF header for htmx requests,
// and charts drawn from JSON kept in <script type="application/json"> blocks next to them.
// A form answered with 422 comes back re-rendered with its errors beside the fields: htmx must swap it in like a
// success (by default it leaves 4xx answers unswapped, and the officer would believe the form was saved).
if (window.htmx) window.htmx.config.responseHandling.unshift({code: "422", swap: true});

// Focus the first field marked invalid, so the keyboard (and a screen reader) lands on what needs fixing.
function focusFirstError(root) {
  const invalid = (root || document).querySelector(".is-invalid");
  if (invalid && typeof invalid.focus === "function") invalid.focus();
}

document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector('meta[name="csrf-token"]');
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});

function drawCharts(root) {
  if (!window.echarts) return;
  root.querySelectorAll("[data-chart]").forEach((element) => {
    const source = document.getElementById(element.dataset.chart);
    if (!source || element.dataset.drawn) return;
    const chart = window.echarts.init(element);
    const option = JSON.parse(source.textContent);
    chart.setOption(option);
    if (element.dataset.clickable) {
      chart.on("click", (params) => {
        const url = params.data && params.data.url;
        if (url) window.location.href = url;
      });
    }
    element.dataset.drawn = "1";
    window.addEventListener("resize", () => chart.resize());
  });
}

document.addEventListener("DOMContentLoaded", () => {
  drawCharts(document);
  focusFirstError(document);
});
document.addEventListener("htmx:afterSettle", (event) => {
  if (event.detail.xhr && event.detail.xhr.status === 422) focusFirstError(document);
});
document.addEventListener("htmx:afterSwap", (event) => drawCharts(event.target));

// Company fields that suggest companies as one types (templates/_macros/company_field.html): ↑/↓ move through
// the suggestions, Enter picks one (its name into the field, its id into the form's hidden id field), Escape
// closes them; a click picks too.
function suggestionsOf(input) {
  const box = document.getElementById(input.getAttribute("aria-controls"));
  return box ? Array.from(box.querySelectorAll("[role=option]")) : [];
}

function closeSuggestions(input) {
  const box = document.getElementById(input.getAttribute("aria-controls"));
  if (box) box.replaceChildren();
  input.setAttribute("aria-expanded", "false");
  input.removeAttribute("aria-activedescendant");
}

function pickSuggestion(input, option) {
  if (option.tagName === "A") {
    window.open(option.href, "_blank", "noopener");
    return;
  }
  input.value = option.dataset.suggestName;
  const idField = input.dataset.suggest && document.getElementById(input.dataset.suggest);
  if (idField) idField.value = option.dataset.suggestValue;
  closeSuggestions(input);
  input.focus();
}

document.addEventListener("keydown", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.hasAttribute("data-suggest")) return;
  const options = suggestionsOf(input);
  if (!options.length) return;
  let index = options.findIndex((option) => option.getAttribute("aria-selected") === "true");
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    index = event.key === "ArrowDown" ? Math.min(index + 1, options.length - 1) : Math.max(index - 1, 0);
    options.forEach((option, i) => {
      option.setAttribute("aria-selected", String(i === index));
      option.classList.toggle("active", i === index);
    });
    input.setAttribute("aria-activedescendant", options[index].id);
  } else if (event.key === "Enter" && index >= 0) {
    event.preventDefault();  // picks the company instead of submitting the form
    pickSuggestion(input, options[index]);
  } else if (event.key === "Escape") {
    closeSuggestions(input);
  }
});

document.addEventListener("click", (event) => {
  const option = event.target.closest && event.target.closest(".company-suggestions [role=option]");
  if (!option) return;
  const input = document.querySelector(`[aria-controls="${option.closest(".company-suggestions").id}"]`);
  if (!input) return;
  event.preventDefault();
  pickSuggestion(input, option);
});

document.addEventListener("htmx:afterSwap", (event) => {
  const box = event.detail.target;
  if (!box || !box.classList || !box.classList.contains("company-suggestions")) return;
  const input = document.querySelector(`[aria-controls="${box.id}"]`);
  if (input) input.setAttribute("aria-expanded", String(box.querySelectorAll("[role=option]").length > 0));
});
