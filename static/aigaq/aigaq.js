// Small behaviours without inline scripts (the Content-Security-Policy forbids them).
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el && el.matches && el.matches("[data-autosubmit]")) { el.form.submit(); }
  });
  // "Print" buttons (person and testimony pages): the browser's print dialog, which uses
  // the print stylesheet in aigaq.css (no menus, buttons, forms or history on paper).
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-print]");
    if (btn) { e.preventDefault(); window.print(); }
  });
  // "/" focuses the page's main search box, as in many tools volunteers know.
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)) {
      var box = document.querySelector("[data-search-box]");
      if (box) { e.preventDefault(); box.focus(); }
    }
  });
  // Buttons that add another row to a formset: clone the hidden template row.
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-add-row]");
    if (!btn) { return; }
    e.preventDefault();
    var prefix = btn.getAttribute("data-add-row");
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var tpl = document.getElementById(prefix + "-empty");
    if (!total || !tpl) { return; }
    var index = parseInt(total.value, 10);
    var html = tpl.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    tpl.parentNode.insertBefore(row, tpl);
    total.value = String(index + 1);
    var first = row.querySelector("input, select, textarea");
    if (first) { first.focus(); }
  });
  // Pickers: a search box whose htmx results are buttons carrying data-pick (the record's id).
  // Keyboard: type, then Enter takes the first result, or ArrowDown/ArrowUp walk the results.
  function pickerOf(el) { return el && el.closest ? el.closest("[data-picker]") : null; }
  function pickerValue(box) { return box.querySelector("input[type=hidden]"); }
  function pick(btn) {
    var box = pickerOf(btn);
    if (!box) { return; }
    var value = pickerValue(box);
    value.value = btn.getAttribute("data-pick");
    // A form that follows its fields (the new-person form's look-alikes) hears the choice.
    value.dispatchEvent(new Event("change", { bubbles: true }));
    var query = box.querySelector("[data-picker-query]");
    query.value = btn.getAttribute("data-pick-label");
    box.querySelector(".picker-results").innerHTML = "";
    query.focus();
  }
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-pick]");
    if (btn) { e.preventDefault(); pick(btn); }
  });
  document.addEventListener("input", function (e) {
    var el = e.target;
    if (el && el.matches && el.matches("[data-picker-query]")) { pickerValue(pickerOf(el)).value = ""; }
  });
  document.addEventListener("keydown", function (e) {
    var el = e.target;
    var box = pickerOf(el);
    if (!box) { return; }
    var results = box.querySelector(".picker-results");
    var buttons = Array.prototype.slice.call(results.querySelectorAll("[data-pick]"));
    var query = box.querySelector("[data-picker-query]");
    if (e.key === "Escape") { results.innerHTML = ""; query.focus(); return; }
    if (el === query) {
      if (e.key === "ArrowDown" && buttons.length) { e.preventDefault(); buttons[0].focus(); }
      else if (e.key === "Enter" && buttons.length) { e.preventDefault(); pick(buttons[0]); }
      return;
    }
    var i = buttons.indexOf(el);
    if (i < 0) { return; }
    if (e.key === "ArrowDown" && i < buttons.length - 1) { e.preventDefault(); buttons[i + 1].focus(); }
    else if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? buttons[i - 1] : query).focus(); }
  });
  // "Copy" buttons (a message to a family): the text of the element named by data-copy goes
  // to the clipboard; the button says so. Nothing is sent anywhere.
  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-copy]");
    if (!btn) { return; }
    var field = document.getElementById(btn.getAttribute("data-copy"));
    if (!field) { return; }
    var done = function () { btn.textContent = btn.getAttribute("data-copied") || btn.textContent; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value || field.textContent).then(done, function () {
        field.select(); document.execCommand("copy"); done();
      });
    } else { field.select(); document.execCommand("copy"); done(); }
  });
})();
