// A form that creates or decides something is sent once: while the page sends
// it, its buttons are disabled, so a double click does not send it twice.
// Progressive enhancement: without this script the server's one-time form token
// (core.formtokens) still makes a second submission do nothing. A form marked
// data-submit-repeatable (e.g. one that downloads a file) is left alone.
(function () {
  "use strict";

  var BUTTONS = "button[type=submit], button:not([type]), input[type=submit]";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") return;
    if ("submitRepeatable" in form.dataset) return;
    if (form.dataset.sending === "true") {
      event.preventDefault();
      return;
    }
    // After the other handlers (one may cancel the submission) and after the
    // browser has read the clicked button's name and value.
    window.setTimeout(function () {
      if (event.defaultPrevented) return;
      form.dataset.sending = "true";
      form.setAttribute("aria-busy", "true");
      form.querySelectorAll(BUTTONS).forEach(function (button) {
        if (button.disabled) return;
        button.disabled = true;
        button.dataset.disabledWhileSending = "true";
      });
    }, 0);
  });

  // Back on the page through the browser's history (its cached copy): the
  // form may be sent again, and the server decides whether it acts.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    document.querySelectorAll("form[data-sending]").forEach(function (form) {
      delete form.dataset.sending;
      form.removeAttribute("aria-busy");
      form.querySelectorAll("[data-disabled-while-sending]").forEach(function (button) {
        button.disabled = false;
        delete button.dataset.disabledWhileSending;
      });
    });
  });
})();
