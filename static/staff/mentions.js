// The mentions page (staff/transcripts.py, transcript_mentions): words selected with the mouse
// in a segment's text fill the "Link words" form (segment, words, their character offsets), and
// the search box starts with those words. Without JavaScript the same form is filled by hand.
(function () {
  "use strict";
  var page = document.querySelector("[data-mentions]");
  if (!page) { return; }
  var form = page.querySelector("[data-testid=mention-search]");
  if (!form) { return; }
  function offset(container, node, at) {
    // Characters of `container`'s text before position `at` of `node`.
    var range = document.createRange();
    range.selectNodeContents(container);
    range.setEnd(node, at);
    return range.toString().length;
  }
  document.addEventListener("mouseup", function () {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) { return; }
    var range = sel.getRangeAt(0);
    var text = range.commonAncestorContainer;
    var box = (text.nodeType === 1 ? text : text.parentElement).closest("[data-segment]");
    if (!box) { return; }
    var start = offset(box, range.startContainer, range.startOffset);
    var end = offset(box, range.endContainer, range.endOffset);
    var whole = box.textContent;
    while (start < end && /\s/.test(whole.charAt(start))) { start++; }
    while (end > start && /\s/.test(whole.charAt(end - 1))) { end--; }
    if (end <= start) { return; }
    form.querySelector("[data-mention-segment]").value = box.getAttribute("data-segment");
    form.querySelector("[data-mention-words]").value = whole.slice(start, end);
    form.querySelector("[data-mention-start]").value = String(start);
    form.querySelector("[data-mention-end]").value = String(end);
    form.querySelector("[data-testid=mention-query]").value = whole.slice(start, end);
  });
  // Typing the words by hand: the offsets of an earlier selection no longer hold.
  form.querySelector("[data-mention-words]").addEventListener("input", function () {
    form.querySelector("[data-mention-start]").value = "";
    form.querySelector("[data-mention-end]").value = "";
  });
})();
