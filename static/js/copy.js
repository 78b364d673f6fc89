// Copy buttons beside long codes (OCIDs, SHA-256 hashes): an element with data-copy="Copy"
// gets a button that puts its text on the clipboard, and says data-copied="Copied" once done;
// data-copy-name ("SHA-256") tells a screen reader which code the button copies.
// Optional: without JavaScript (or a clipboard) the code is there, wrapped, to select by hand.
(function () {
  "use strict";
  if (!navigator.clipboard || !navigator.clipboard.writeText) {
    return;
  }
  document.querySelectorAll("[data-copy]").forEach(function (code) {
    var button = document.createElement("button");
    var label = code.dataset.copy;
    button.type = "button";
    button.className = "btn btn-outline-secondary btn-sm copy-button ms-1";
    button.textContent = label;
    if (code.dataset.copyName) {
      button.setAttribute("aria-label", label + ": " + code.dataset.copyName);
    }
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(code.textContent.trim()).then(function () {
        button.textContent = code.dataset.copied;
        status.textContent = code.dataset.copied;
        setTimeout(function () {
          button.textContent = label;
    if (code.dataset.copyName) {
      button.setAttribute("aria-label", label + ": " + code.dataset.copyName);
    }
          status.textContent = "";
        }, 2000);
      });
    });
    code.after(button, status);
  });
})();
