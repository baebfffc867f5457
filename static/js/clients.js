// Client pages: confirmation before destructive buttons, and the quick activity form
// showing "direction" only for calls and e-mails.
(function () {
  "use strict";

  document.addEventListener(
    "submit",
    function (event) {
      var button = event.submitter;
      var message = (button && button.dataset.confirm) || event.target.dataset.confirm;
      if (message && !window.confirm(message)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  var WITH_DIRECTION = ["call", "email"];

  function syncDirection(form) {
    var kind = form.querySelector("[name=kind]");
    var direction = form.querySelector("[name=direction]");
    if (!kind || !direction) return;
    var label = direction.closest("label") || direction.closest(".field");
    if (label) label.hidden = WITH_DIRECTION.indexOf(kind.value) === -1;
  }

  function initForms(root) {
    root.querySelectorAll("form.activity-form").forEach(syncDirection);
  }

  document.addEventListener("change", function (event) {
    if (event.target.name === "kind") {
      var form = event.target.closest("form.activity-form");
      if (form) syncDirection(form);
    }
  });
  // Filter forms send only the filters in use, so the address bar stays readable.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "get" || !event.detail.elt.closest("form.filters")) return;
    var formData = event.detail.formData;
    if (!formData) return;
    Array.from(formData.keys()).forEach(function (key) {
      if (formData.getAll(key).every(function (value) { return value === ""; })) formData.delete(key);
    });
  });

  document.addEventListener("DOMContentLoaded", function () { initForms(document); });
  document.addEventListener("htmx:afterSwap", function (event) { initForms(event.target); });
})();
