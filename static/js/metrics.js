// Metrics pages: charts live in hidden tabs, so redraw them at their real size when a tab is shown.
document.addEventListener("shown.bs.tab", (event) => {
  const pane = document.querySelector(event.target.dataset.bsTarget);
  if (!pane || !window.echarts) return;
  pane.querySelectorAll("[data-chart]").forEach((element) => {
    const chart = window.echarts.getInstanceByDom(element);
    if (chart) chart.resize();
  });
});
