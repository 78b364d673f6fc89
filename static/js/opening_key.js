// "My opening key": make, re-wrap or replace the member's key in this browser.
// The passphrase inputs have no name: only the key file (its private key
// encrypted under the passphrase, by PanjereSealing) is ever posted.
(function () {
  "use strict";
  var sealing = window.PanjereSealing;
  var wordsElement = document.getElementById("opening-key-words");
  if (!sealing || !wordsElement || !window.crypto || !window.crypto.subtle) return;
  var words = JSON.parse(wordsElement.textContent);

  function passphrase(form, which) {
    var input = form.querySelector('[data-passphrase="' + which + '"]');
    return input ? input.value : "";
  }

  function say(form, text) {
    form.querySelector(".opening-key-status").textContent = text;
  }

  document.querySelectorAll("[data-needs-script]").forEach(function (element) {
    element.hidden = false;
  });

  document.querySelectorAll("form.opening-key-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var upload = form.querySelector('input[type="file"]');
      if (upload && upload.files.length) return; // a file made by `panjere key create`
      event.preventDefault();
      var button = form.querySelector('button[type="submit"]');
      var fresh = passphrase(form, "new");
      if (fresh !== passphrase(form, "confirm")) {
        say(form, words.mismatch);
        form.querySelector('[data-passphrase="confirm"]').focus();
        return;
      }
      button.disabled = true;
      say(form, words.working);
      var made;
      if (form.dataset.action === "rewrap") {
        var current = JSON.parse(document.getElementById("opening-key-file").textContent);
        made = sealing.changePassphrase(current, passphrase(form, "old"), fresh);
      } else {
        made = sealing.createMemberKey(fresh);
      }
      made.then(
        function (result) {
          form.querySelectorAll("[data-passphrase]").forEach(function (input) {
            input.value = "";
          });
          form.querySelector('[name="key_file"]').value = result.keyFileText;
          say(form, words.sending + " " + result.fingerprint);
          form.submit();
        },
        function (error) {
          button.disabled = false;
          say(form, words[error.name] || words.failed);
        }
      );
    });
  });
})();
