// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Character counters for textareas with data-maxlength.
  document.querySelectorAll("textarea[data-maxlength]").forEach(function (el) {
    var max = parseInt(el.getAttribute("data-maxlength"), 10);
    var hint = document.getElementById(el.id + "-count");
    if (!hint || !max) { return; }
    var update = function () {
      var left = max - el.value.length;
      hint.textContent = left >= 0 ? "You have " + left + " characters remaining" : "You have " + (-left) + " characters too many";
      hint.classList.toggle("cs-error-message", left < 0);
    };
    el.addEventListener("input", update);
    update();
  });
  // Exit this page: Shift pressed three times leaves to a neutral site.
  var exit = document.querySelector("[data-exit-this-page]");
  if (exit) {
    var presses = 0, timer = null;
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Shift") { return; }
      presses++;
      clearTimeout(timer);
      timer = setTimeout(function () { presses = 0; }, 2000);
      if (presses >= 3) { window.location.href = exit.getAttribute("href"); }
    });
  }
  // Move focus to the error summary so screen readers announce it.
  var summary = document.querySelector(".cs-error-summary");
  if (summary) { summary.focus(); }
})();
