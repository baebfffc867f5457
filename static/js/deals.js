/* Deals pages: drag a kanban card to move it, ask for the reason when it is lost, open
   and close the board's deal panel. Everything else is plain htmx attributes. */
(function () {
  "use strict";

  // Bad input (400) and refusals (403) come back as fragments with the message in them:
  // swap them in instead of dropping them.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "40[03]", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
  ];

  var dragged = null;

  function kanbanValues(extra) {
    var board = document.getElementById("kanban");
    var values = { view: "kanban", filters: board ? board.dataset.filters : "" };
    return Object.assign(values, extra);
  }

  function move(card, stage, reason) {
    htmx.ajax("POST", card.dataset.moveUrl, {
      target: "#kanban",
      swap: "outerHTML",
      values: kanbanValues({ stage: stage, lost_reason: reason || "" }),
    });
  }

  function askLostReason(card) {
    var dialog = document.getElementById("lost-dialog");
    if (!dialog) return;
    var form = dialog.querySelector("form");
    form.action = card.dataset.moveUrl;
    dialog.querySelector("[data-lost-title]").textContent = card.dataset.title;
    dialog.querySelectorAll(".field-error").forEach(function (el) { el.remove(); });
    form.elements.lost_reason.value = "";
    dialog.showModal();
    form.elements.lost_reason.focus();
  }

  function openPendingDialogs(root) {
    (root || document).querySelectorAll("dialog[data-open]").forEach(function (dialog) {
      if (!dialog.open) dialog.showModal();
      var input = dialog.querySelector("input[type=text]");
      if (input) input.focus();
    });
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest("[data-deal]");
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.deal);
    card.classList.add("dragging");
    document.body.classList.add("is-dragging");
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    document.body.classList.remove("is-dragging");
    document.querySelectorAll(".drop-over").forEach(function (el) { el.classList.remove("drop-over"); });
  });

  document.addEventListener("dragover", function (event) {
    var zone = dragged && event.target.closest && event.target.closest("[data-drop-stage]");
    if (!zone) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    document.querySelectorAll(".drop-over").forEach(function (el) { if (el !== zone) el.classList.remove("drop-over"); });
    zone.classList.add("drop-over");
  });

  document.addEventListener("drop", function (event) {
    var zone = dragged && event.target.closest && event.target.closest("[data-drop-stage]");
    if (!zone) return;
    event.preventDefault();
    var card = dragged;
    zone.classList.remove("drop-over");
    if (zone.dataset.dropStage === card.dataset.stage) return;
    if (zone.dataset.kind === "lost") {
      askLostReason(card);
    } else if (zone.dataset.confirm && !window.confirm(zone.dataset.confirm + "\n" + card.dataset.title)) {
      return;
    } else {
      move(card, zone.dataset.dropStage);
    }
  });

  document.addEventListener("click", function (event) {
    var lost = event.target.closest("[data-lost]");
    if (lost) {
      event.preventDefault();
      askLostReason(lost.closest("[data-deal]"));
      return;
    }
    var close = event.target.closest("[data-close-dialog]");
    if (close) {
      close.closest("dialog").close();
      return;
    }
    if (event.target.closest("[data-close-panel]")) {
      document.getElementById("board-panel").innerHTML = "";
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("lost-form") || !form.action) return;
    event.preventDefault();
    var card = { dataset: { moveUrl: form.action } };
    var dialog = form.closest("dialog");
    var values = { stage: form.elements.stage.value, reason: form.elements.lost_reason.value };
    dialog.close();
    move(card, values.stage, values.reason);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var panel = document.getElementById("board-panel");
    if (panel && panel.innerHTML.trim()) panel.innerHTML = "";
  });

  // The deal page: the lost-reason field only matters when moving to a lost stage.
  function toggleLostReason(select) {
    var form = select.closest("form");
    var lostStages = (form.dataset.lostStages || "").split(",");
    var field = form.querySelector("[data-lost-reason]");
    if (field) field.hidden = lostStages.indexOf(select.value) === -1;
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-move-stage]")) toggleLostReason(event.target);
    var auto = event.target.closest("form[data-autosubmit]");
    if (auto) auto.submit();
  });

  function init(root) {
    (root || document).querySelectorAll("[data-move-stage]").forEach(toggleLostReason);
    openPendingDialogs(root);
  }

  document.addEventListener("htmx:afterSettle", function () { init(document); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
})();
