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
