// The live desk: asks before the buttons that cannot be undone from the desk (ending the
// coverage, deleting an update), and posts the update form with Ctrl+Enter (Cmd+Enter).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-live-confirm]");
    if (button && !window.confirm(button.getAttribute("data-live-confirm"))) {
      event.preventDefault();
    }
  });
  document.addEventListener("keydown", function (event) {
    var form = event.target.closest && event.target.closest("[data-live-desk-form]");
    if (form && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
})();
