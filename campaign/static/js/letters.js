// Template editor enhancement: a click on a merge field beside the editor inserts it at the cursor.
// Without JavaScript the list is still there to read and copy from.
(function () {
  "use strict";
  var body = document.getElementById("body");
  if (!body) { return; }
  document.querySelectorAll("[data-merge-field]").forEach(function (code) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "secondary outline insert-field";
    button.textContent = code.textContent;
    button.setAttribute("aria-label", code.getAttribute("data-insert-label"));
    button.addEventListener("click", function () {
      var text = "{{ " + code.getAttribute("data-merge-field") + " }}";
      var start = body.selectionStart, end = body.selectionEnd;
      body.setRangeText(text, start, end, "end");
      body.focus();
    });
    code.replaceWith(button);
  });
})();
