// Template editor enhancement: each placeholder beside the editor becomes a button that inserts it at the
// cursor of the text field last used (subject or body; the body if neither was). Without JavaScript the list
// stays a list to read and copy from.
(function () {
  "use strict";
  var body = document.getElementById("body");
  if (!body) { return; }
  var subject = document.getElementById("subject");
  var target = body;
  [body, subject].forEach(function (field) {
    if (field) { field.addEventListener("focus", function () { target = field; }); }
  });
  document.querySelectorAll("[data-insert]").forEach(function (code) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary outline insert-field";
    button.textContent = code.textContent;
    button.setAttribute("aria-label", code.getAttribute("data-insert-label"));
    button.addEventListener("click", function () {
      var text = code.getAttribute("data-insert");
      if (target === subject) { text = text.replace(/\s*\n\s*/g, " "); }
      target.setRangeText(text, target.selectionStart, target.selectionEnd, "end");
      target.focus();
    });
    code.replaceWith(button);
  });
})();
