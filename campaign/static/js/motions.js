// Motion page: selecting text in the numbered full text fills the "Von Zeile"/"Bis Zeile" fields of the
// provision form. Only an enhancement: without JavaScript the fields are simply typed in.
(function () {
  "use strict";
  var text = document.querySelector("[data-numbered-text]");
  var from = document.getElementById("line_from");
  var to = document.getElementById("line_to");
  var status = document.getElementById("selection-status");
  if (!text || !from || !to) {
    return;
  }

  function lineOf(node) {
    var element = node && (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement);
    var item = element && element.closest("li[data-line]");
    return item && text.contains(item) ? Number(item.getAttribute("data-line")) : null;
  }

  function takeSelection() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) {
      return;
    }
    var range = selection.getRangeAt(0);
    var first = lineOf(range.startContainer);
    var last = lineOf(range.endContainer);
    // A selection that ends at the very start of the next line does not include that line.
    if (last !== null && range.endOffset === 0 && last > first) {
      last -= 1;
    }
    if (first === null || last === null) {
      return;
    }
    from.value = String(Math.min(first, last));
    to.value = String(Math.max(first, last));
    if (status) {
      status.textContent = (status.getAttribute("data-message") || "")
        .replace("{from}", from.value)
        .replace("{to}", to.value);
    }
  }

  text.addEventListener("mouseup", takeSelection);
  text.addEventListener("keyup", takeSelection);
})();
