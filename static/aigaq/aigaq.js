// Small behaviours without inline scripts (the Content-Security-Policy forbids them).
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el && el.matches && el.matches("[data-autosubmit]")) { el.form.submit(); }
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
})();
