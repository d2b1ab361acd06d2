// The testimony page's players (templates/staff/_player.html): a click on the thumbnail strip
// takes the video beside it to that frame's moment. No inline scripts (the CSP forbids them);
// delegated, so a player swapped in by htmx works too.
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var strip = e.target.closest && e.target.closest("img.thumbstrip");
    if (!strip) { return; }
    var player = strip.closest(".player");
    var video = player && player.querySelector("video");
    var times = (strip.getAttribute("data-times") || "").split(" ").map(parseFloat);
    if (!video || !times.length) { return; }
    var box = strip.getBoundingClientRect();
    var x = e.clientX - box.left;
    if (getComputedStyle(strip).direction === "rtl") { x = box.width - x; }
    var i = Math.min(times.length - 1, Math.max(0, Math.floor((x / box.width) * times.length)));
    if (!isNaN(times[i])) { video.currentTime = times[i]; video.focus(); }
  });
  // "?t=12.5" (a search result's moment): the page's first video or recording starts there.
  var wanted = parseFloat(new URLSearchParams(location.search).get("t"));
  var first = document.querySelector(".player video, .player audio");
  if (first && !isNaN(wanted) && wanted >= 0) {
    var go = function () { first.currentTime = wanted; };
    if (first.readyState >= 1) { go(); } else { first.addEventListener("loadedmetadata", go, { once: true }); }
  }
})();
