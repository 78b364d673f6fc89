// Keeps the notice's "12 days 4 hours left" up to date. Optional: the server already
// rendered the text, which stays right (as of the page load) without JavaScript.
// Counts from the server's clock at render time (data-now), not the browser's.
(function () {
  "use strict";
  var element = document.getElementById("countdown");
  var words = document.getElementById("countdown-words");
  if (!element || !words || !element.dataset.deadline || !element.dataset.now) {
    return;
  }
  words = JSON.parse(words.textContent);
  var remainingAtLoad = Date.parse(element.dataset.deadline) - Date.parse(element.dataset.now);
  var loadedAt = Date.now();
  var persian = (document.documentElement.lang || "").indexOf("fa") === 0;

  function number(count) {
    var text = String(count);
    return persian ? text.replace(/[0-9]/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; }) : text;
  }

  function unit(name, count) {
    // English and Persian (plural=(n > 1)): the first form for 1, the second otherwise.
    return words[name][count > 1 ? 1 : 0].replace("%(count)s", number(count));
  }

  function render() {
    var left = remainingAtLoad - (Date.now() - loadedAt);
    if (left <= 0) {
      element.textContent = words.closed;
      return false;
    }
    var minutes = Math.floor(left / 60000);
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    minutes = minutes % 60;
    var parts;
    if (days) {
      parts = [unit("day", days)];
      if (hours) { parts.push(unit("hour", hours)); }
    } else if (hours) {
      parts = [unit("hour", hours)];
      if (minutes) { parts.push(unit("minute", minutes)); }
    } else {
      parts = [unit("minute", Math.max(minutes, 1))];
    }
    element.textContent = words.left.replace("%(time)s", parts.join(" "));
    return true;
  }

  var timer = window.setInterval(function () {
    if (!render()) { window.clearInterval(timer); }
  }, 15000);
})();
