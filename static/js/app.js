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
// Thematic coding: keyboard shortcuts for the review queue. They act only
// on the passage that has focus (WCAG 2.1.4), and only press the page's
// own buttons, which work without this script.
(function () {
  "use strict";
  var passages = Array.prototype.slice.call(document.querySelectorAll("[data-passage]"));
  if (!passages.length) { return; }
  var hint = document.querySelector("[data-keys-hint]");
  if (hint) { hint.hidden = false; }
  var first = function (p) { return p && p.querySelector("button"); };
  // Back from a decision at #p-ID: continue with that passage's next
  // waiting suggestion, or the next passage.
  if (location.hash.indexOf("#p-") === 0) {
    var at = document.getElementById(location.hash.slice(1));
    var i = passages.indexOf(at);
    if (at) {
      var target = at.querySelector("[data-key=a]") || first(passages[i + 1]) || first(at);
      if (target) { target.focus(); }
    }
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) { return; }
    var t = e.target;
    if (!t || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName) || t.isContentEditable) { return; }
    var p = t.closest && t.closest("[data-passage]");
    if (!p) { return; }
    var i = passages.indexOf(p), b = null;
    switch (e.key) {
      case "a": b = p.querySelector("[data-key=a]"); break;
      case "r": b = p.querySelector("[data-key=r]"); break;
      case "u": b = document.getElementById("undo-button"); break;
      case "j": b = first(passages[i + 1]); if (b) { e.preventDefault(); b.focus(); } return;
      case "k": b = first(passages[i - 1]); if (b) { e.preventDefault(); b.focus(); } return;
      default: return;
    }
    if (b) { e.preventDefault(); b.click(); }
  });
})();
