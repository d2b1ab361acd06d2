// The transcript editor and the translator's page (templates/staff/transcripts/): keyboard
// shortcuts for the video beside the segments. Hand-written, no framework; the pages work
// without it (each segment is a plain form). The shortcuts are listed on the page and in
// docs/translation.md, "Using the editor". Ctrl+T is the browser's (a new tab), so the
// current time goes in with Ctrl+K (start) and Ctrl+J (end).
(function () {
  "use strict";
  var root = document.querySelector("[data-transcript-editor]");
  if (!root) { return; }
  var video = root.querySelector("video, audio");
  var pendingNext = null;

  function pad(n, width) { n = String(n); while (n.length < width) { n = "0" + n; } return n; }
  function fmt(seconds) {
    var ms = Math.max(0, Math.round(seconds * 1000));
    var h = Math.floor(ms / 3600000), m = Math.floor(ms / 60000) % 60;
    var s = Math.floor(ms / 1000) % 60;
    return pad(h, 2) + ":" + pad(m, 2) + ":" + pad(s, 2) + "." + pad(ms % 1000, 3);
  }
  function seek(seconds) {
    if (!video) { return; }
    var d = video.duration;
    video.currentTime = Math.max(0, isNaN(d) ? seconds : Math.min(seconds, d));
  }
  function rows() { return Array.prototype.slice.call(root.querySelectorAll("li.segment")); }
  function rowOf(el) { return el && el.closest ? el.closest("li.segment") : null; }
  function formOf(el) { return el && el.closest ? el.closest("form.segment-form") : null; }
  function textOf(row) { return row && row.querySelector("textarea"); }
  function focusRow(row, jump) {
    var box = textOf(row);
    if (!box) { return; }
    box.focus();
    if (jump && video) { seek(parseInt(row.getAttribute("data-start"), 10) / 1000); }
  }
  function newText() { return root.querySelector("[data-new-text]"); }
  function setTime(form, which, active) {
    if (!video || !form) { return; }
    var box = active && active.matches && active.matches("[data-time]") ? active
      : form.querySelector("[data-time=" + which + "]");
    if (box && !box.readOnly) { box.value = fmt(video.currentTime); box.dispatchEvent(new Event("input", { bubbles: true })); }
  }
  function next(row) {
    var all = rows(), i = all.indexOf(row);
    return i >= 0 && i < all.length - 1 ? all[i + 1] : null;
  }
  function previous(row) {
    var all = rows(), i = all.indexOf(row);
    return i > 0 ? all[i - 1] : null;
  }

  // A click on a segment's number (or Enter on it: it is a button) plays from its start.
  root.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-seek]");
    if (!btn || !video) { return; }
    e.preventDefault();
    seek(parseInt(btn.getAttribute("data-seek"), 10) / 1000);
  });

  document.addEventListener("keydown", function (e) {
    if (!e.ctrlKey || e.altKey || e.metaKey) { return; }
    var active = document.activeElement;
    var form = formOf(active);
    var row = rowOf(active);
    var key = e.key;
    if (key === " " || e.code === "Space") {
      if (!video) { return; }
      e.preventDefault();
      if (video.paused) { video.play(); } else { video.pause(); }
    } else if (key === "ArrowLeft" || key === "ArrowRight") {
      if (!video) { return; }
      e.preventDefault();
      seek(video.currentTime + (key === "ArrowLeft" ? -5 : 5));
    } else if (key === "k" || key === "K" || key === "j" || key === "J") {
      if (!form) { return; }
      e.preventDefault();
      setTime(form, key.toLowerCase() === "k" ? "start" : "end", active);
    } else if (key === "Enter") {
      if (!form) { return; }
      e.preventDefault();
      var save = form.querySelector("[data-save]");
      if (!save) { return; }
      pendingNext = row ? row.id : null;
      save.click();
    } else if ((key === "b" || key === "B") && row) {
      var split = form && form.querySelector("[data-split]");
      if (!split) { return; }
      e.preventDefault();
      if (video) { form.querySelector("[name=at]").value = fmt(video.currentTime); }
      var box = textOf(row);
      if (active === box) { form.querySelector("[name=at_char]").value = String(box.selectionStart); }
      split.click();
    } else if ((key === "g" || key === "G") && row) {
      var join = form && form.querySelector("[data-join]");
      if (!join) { return; }
      e.preventDefault();
      join.click();
    } else if (key === "ArrowDown" || key === "ArrowUp") {
      var target = key === "ArrowDown" ? (row ? next(row) : rows()[0]) : (row ? previous(row) : null);
      if (target) { e.preventDefault(); focusRow(target, true); }
      else if (key === "ArrowDown" && newText()) { e.preventDefault(); newText().focus(); }
    }
  });

  // After a segment was saved (htmx swapped its row): on to the next one, or the new one.
  document.body.addEventListener("htmx:afterSettle", function () {
    if (!pendingNext) { return; }
    var row = document.getElementById(pendingNext);
    pendingNext = null;
    if (!row || row.querySelector("[role=alert]")) { if (row) { focusRow(row, false); } return; }
    var following = next(row);
    if (following) { focusRow(following, false); } else if (newText()) { newText().focus(); }
  });

  // The segment being played is marked.
  if (video) {
    video.addEventListener("timeupdate", function () {
      var t = video.currentTime * 1000;
      rows().forEach(function (r) {
        var inside = t >= parseInt(r.getAttribute("data-start"), 10) && t < parseInt(r.getAttribute("data-end"), 10);
        r.classList.toggle("current", inside);
      });
    });
  }
  // Back after adding a segment: straight on typing the next. (After the page has loaded:
  // the browser's own scroll to the #fragment would otherwise take the focus away again.)
  function resume() {
    if (location.hash === "#new-segment" && newText()) { newText().focus(); }
    else if (/^#seg-\d+$/.test(location.hash)) {
      var wanted = document.getElementById(location.hash.slice(1));
      if (wanted) { focusRow(wanted, false); }
    }
  }
  if (document.readyState === "complete") { resume(); }
  else { window.addEventListener("load", function () { setTimeout(resume, 0); }); }
})();
