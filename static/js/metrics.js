// Metrics pages: charts live in hidden tabs, so redraw them at their real size when a tab is shown.
document.addEventListener("shown.bs.tab", (event) => {
  const pane = document.querySelector(event.target.dataset.bsTarget);
  if (!pane || !window.echarts) return;
  pane.querySelectorAll("[data-chart]").forEach((element) => {
    const chart = window.echarts.getInstanceByDom(element);
    if (chart) chart.resize();
  });
});

// Choosing a fair sets the period to its cohort: from its first to its last signing (empty when it has none).
document.addEventListener("change", (event) => {
  const select = event.target;
  if (select.id !== "f-event") return;
  const form = select.form;
  const chosen = select.selectedOptions[0];
  if (!form || !chosen || !chosen.value) return;
  form.elements.from.value = chosen.dataset.from || "";
  form.elements.to.value = chosen.dataset.to || "";
});
