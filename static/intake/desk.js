// The intake desk: pick relatives from the search, send a selected card to a room with one
// key, and keep the selection across the board's 3-second refresh. No inline scripts (CSP).
(function () {
  "use strict";
  var selected = null; // data-visit of the card the volunteer selected on the board

  function chosenBox() { return document.getElementById("relatives-chosen"); }

  // Move a picked search result into the "chosen" list so a new search does not drop it.
  function pick(input) {
    var box = chosenBox();
    if (!box || !input) { return; }
    if (box.querySelector('input[value="' + input.value + '"]')) { input.closest("li").remove(); return; }
    var label = input.closest("label");
    label.className = "chip";
    input.checked = true;
    input.removeAttribute("data-relative-pick");
    box.appendChild(label);
    var q = document.querySelector("[data-relative-search]");
    if (q) { q.value = ""; q.focus(); }
    var results = document.getElementById("relative-results");
    if (results) { results.innerHTML = ""; }
  }

  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el && el.matches && el.matches("[data-relative-pick]")) { pick(el); }
    if (el && el.matches && el.matches("[data-remember]")) {
      try { window.localStorage.setItem(el.getAttribute("data-remember"), el.value); } catch (err) { /* private mode */ }
    }
  });

  document.addEventListener("keydown", function (e) {
    var el = document.activeElement;
    // Enter in the relative search picks the first result (when there is one) instead of
    // registering; an empty search lets Enter register as everywhere else.
    if (e.key === "Enter" && el && el.matches && el.matches("[data-relative-search]") && el.value.trim()) {
      var first = document.querySelector("#relative-results [data-relative-pick]");
      e.preventDefault();
      if (first) { pick(first); }
      return;
    }
    // Enter registers from any field of the desk form, selects and checkboxes included
    // (browsers do not submit a form on Enter in a select).
    if (e.key === "Enter" && el && el.form && el.form.id === "register-form" &&
        /^(SELECT|INPUT)$/.test(el.tagName) && (el.tagName === "SELECT" || el.type === "checkbox")) {
      e.preventDefault();
      if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); }
      return;
    }
    // 1..9 on a selected waiting card sends the visitor to that room.
    if (/^[1-9]$/.test(e.key) && el && el.closest) {
      var card = el.closest(".visit-card.waiting");
      if (!card || e.ctrlKey || e.metaKey || e.altKey) { return; }
      var btn = card.querySelector('[data-room-key="' + e.key + '"]');
      if (btn) { e.preventDefault(); btn.click(); }
    }
  });

  document.addEventListener("focusin", function (e) {
    var card = e.target.closest && e.target.closest(".visit-card");
    if (card) { selected = card.getAttribute("data-visit"); }
  });
  document.addEventListener("click", function (e) {
    var card = e.target.closest && e.target.closest(".visit-card");
    if (card && e.target === card) { card.focus(); }
  });

  // After the board is refreshed, give focus back to the card that had it (if still there).
  document.addEventListener("htmx:afterSwap", function (e) {
    if (!e.target || e.target.id !== "board" || !selected) { return; }
    var active = document.activeElement;
    if (active && active !== document.body && !e.target.contains(active)) { return; }
    var card = e.target.querySelector('.visit-card[data-visit="' + selected + '"]');
    if (card) { card.focus({ preventScroll: true }); }
  });

  // Remember the interviewer chosen for assignments on this computer.
  document.addEventListener("DOMContentLoaded", function () {
    var sel = document.querySelector("[data-remember]");
    if (!sel) { return; }
    try {
      var v = window.localStorage.getItem(sel.getAttribute("data-remember"));
      if (v && sel.querySelector('option[value="' + v + '"]')) { sel.value = v; }
    } catch (err) { /* private mode */ }
  });
})();
