// Project board: dragging a card to another stage opens the move form for it in a modal; closing the
// modal without saving puts the card back (the page is reloaded from the server's truth).
(function () {
  const board = document.getElementById("kanban");
  if (!board || !window.Sortable) return;
  const modalElement = document.getElementById("transition-modal");
  const modal = window.bootstrap ? window.bootstrap.Modal.getOrCreateInstance(modalElement) : null;
  let moved = false;

  function openForm(projectId, stage) {
    const url = board.dataset.transitionUrl.replace("/0/", "/" + projectId + "/") +
      "?to=" + encodeURIComponent(stage) + "&next=" + encodeURIComponent(window.location.pathname);
    window.htmx.ajax("GET", url, { target: "#transition-body" }).then(() => modal && modal.show());
  }

  board.querySelectorAll(".kanban-list").forEach((list) => {
    window.Sortable.create(list, {
      group: "stages",
      animation: 150,
      filter: "a, button",
      preventOnFilter: false,
      onAdd: (event) => {
        moved = true;
        openForm(event.item.dataset.project, event.to.dataset.stage);
      },
    });
  });

  if (modalElement) {
    modalElement.addEventListener("hidden.bs.modal", () => {
      if (moved) window.location.reload();
    });
  }
})();
