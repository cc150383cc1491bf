// Page behaviour without inline script (the CSP forbids it): CSRF header for htmx requests,
// and charts drawn from JSON kept in <script type="application/json"> blocks next to them.
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

document.addEventListener("DOMContentLoaded", () => drawCharts(document));
document.addEventListener("htmx:afterSwap", (event) => drawCharts(event.target));
