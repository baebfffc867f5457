// Plans and receivables: small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // The decomposition form: show the weight inputs only for the levels split "by weights".
  function syncWeights(form) {
    form.querySelectorAll("[data-when]").forEach(function (block) {
      var parts = block.getAttribute("data-when").split("=");
      var checked = form.querySelector('input[name="' + parts[0] + '"]:checked');
      block.hidden = !checked || checked.value !== parts[1];
    });
  }

  function init(root) {
    root.querySelectorAll("form.decompose-form").forEach(function (form) {
      syncWeights(form);
      form.addEventListener("change", function () { syncWeights(form); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
