// The redaction editor (templates/staff/redaction.html): rectangles drawn on a canvas over the
// video, each hidden between a start and an end time, blurred or blacked out. The regions live
// in the hidden input "regions" (JSON, fractions of the frame and seconds) that the form posts;
// the server checks them again. Suggestions from the detectors are drawn dashed until a person
// accepts (they become regions) or rejects them.
(function () {
  "use strict";
  var video = document.getElementById("video");
  var canvas = document.getElementById("overlay");
  if (!video || !canvas) return;
  var ctx = canvas.getContext("2d");
  var regionsInput = document.getElementById("regions");
  var suggestionsInput = document.getElementById("suggestions");
  var durationInput = document.getElementById("duration");
  var list = document.getElementById("region-list");
  var suggestionList = document.getElementById("suggestion-list");
  var suggestionBox = document.getElementById("suggestion-box");
  var noRegions = document.getElementById("no-regions");
  var nowLabel = document.getElementById("now");
  var preview = document.getElementById("preview");
  var L = JSON.parse(document.getElementById("redaction-labels").textContent);
  var DEFAULT_LENGTH = 5;

  function parse(input) {
    try { var v = JSON.parse(input.value || "[]"); return Array.isArray(v) ? v : []; }
    catch (e) { return []; }
  }
  var regions = parse(regionsInput);
  var suggestions = parse(suggestionsInput);
  var selected = -1;
  var drag = null;

  function duration() { return isFinite(video.duration) ? video.duration : 0; }
  function round(v, n) { var f = Math.pow(10, n); return Math.round(v * f) / f; }
  function clock(t) {
    t = Math.max(0, t || 0);
    var m = Math.floor(t / 60), s = t - m * 60;
    return m + ":" + (s < 10 ? "0" : "") + s.toFixed(1);
  }

  function save() {
    regionsInput.value = JSON.stringify(regions);
    suggestionsInput.value = JSON.stringify(suggestions);
    if (duration()) durationInput.value = String(duration());
  }

  // The canvas covers the picture itself (the video keeps its proportions inside its box).
  function picture() {
    var w = video.clientWidth, h = video.clientHeight;
    var vw = video.videoWidth || 16, vh = video.videoHeight || 9;
    var scale = Math.min(w / vw, h / vh);
    var pw = vw * scale, ph = vh * scale;
    return { x: (w - pw) / 2, y: (h - ph) / 2, w: pw, h: ph, scale: scale };
  }

  function resize() {
    // one canvas pixel per CSS pixel, its top left corner the video's
    canvas.width = canvas.clientWidth;
    canvas.height = canvas.clientHeight;
    draw();
  }

  function active(r, t) { return t >= r.start && t <= r.end; }

  function rect(r, p) {
    return [p.x + r.x * p.w, p.y + r.y * p.h, r.w * p.w, r.h * p.h];
  }

  function draw() {
    var p = picture(), t = video.currentTime;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    regions.forEach(function (r, i) {
      var on = active(r, t), b = rect(r, p);
      if (on && preview.checked) {
        if (r.effect === "black") {
          ctx.fillStyle = "#000";
          ctx.fillRect(b[0], b[1], b[2], b[3]);
        } else if (video.videoWidth) {
          ctx.save();
          ctx.filter = "blur(" + Math.max(4, Math.round(Math.min(b[2], b[3]) / 8)) + "px)";
          ctx.beginPath(); ctx.rect(b[0], b[1], b[2], b[3]); ctx.clip();
          ctx.drawImage(video, r.x * video.videoWidth, r.y * video.videoHeight,
            r.w * video.videoWidth, r.h * video.videoHeight, b[0], b[1], b[2], b[3]);
          ctx.restore();
        }
      }
      ctx.setLineDash([]);
      ctx.lineWidth = i === selected ? 3 : 2;
      ctx.strokeStyle = on ? "#e0a800" : "rgba(224,168,0,0.45)";
      ctx.strokeRect(b[0], b[1], b[2], b[3]);
      ctx.fillStyle = "#e0a800";
      ctx.font = "bold 14px sans-serif";
      ctx.fillText(String(i + 1), b[0] + 4, b[1] + 16);
    });
    suggestions.forEach(function (s) {
      var b = rect(s, p);
      ctx.setLineDash([6, 4]);
      ctx.lineWidth = 2;
      ctx.strokeStyle = active(s, t) ? "#2b7bd6" : "rgba(43,123,214,0.4)";
      ctx.strokeRect(b[0], b[1], b[2], b[3]);
    });
    if (drag && drag.moved) {
      ctx.setLineDash([]);
      ctx.strokeStyle = "#e0a800";
      ctx.lineWidth = 2;
      ctx.strokeRect(drag.x0, drag.y0, drag.x1 - drag.x0, drag.y1 - drag.y0);
    }
    nowLabel.textContent = clock(t);
  }

  function button(text, handler, extra) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    if (extra) b.className = extra;
    b.addEventListener("click", handler);
    return b;
  }

  function timeField(r, key, label) {
    var wrap = document.createElement("label");
    wrap.className = "inline-label";
    wrap.append(label + " ");
    var input = document.createElement("input");
    input.type = "number";
    input.step = "0.1";
    input.min = "0";
    input.value = String(r[key]);
    input.name = "region-" + key;
    input.addEventListener("change", function () {
      var v = parseFloat(input.value);
      if (isFinite(v)) { r[key] = round(v, 2); save(); draw(); }
    });
    wrap.append(input);
    return wrap;
  }

  function render() {
    list.textContent = "";
    regions.forEach(function (r, i) {
      var li = document.createElement("li");
      li.className = i === selected ? "selected" : "";
      li.append(timeField(r, "start", L.from), timeField(r, "end", L.until));
      var effect = document.createElement("select");
      effect.name = "region-effect";
      ["blur", "black"].forEach(function (e) {
        var o = document.createElement("option");
        o.value = e; o.textContent = L[e]; o.selected = r.effect === e;
        effect.append(o);
      });
      effect.addEventListener("change", function () { r.effect = effect.value; save(); draw(); });
      li.append(" ", effect, " ",
        button(L.fromHere, function () { r.start = round(video.currentTime, 2); save(); render(); }),
        button(L.untilHere, function () { r.end = round(video.currentTime, 2); save(); render(); }),
        button(L.seek, function () { video.currentTime = r.start; selected = i; render(); }, "link"),
        button(L.remove, function () { regions.splice(i, 1); selected = -1; save(); render(); }, "link"));
      list.append(li);
    });
    noRegions.hidden = regions.length > 0;
    suggestionList.textContent = "";
    suggestions.forEach(function (s, i) {
      var li = document.createElement("li");
      li.append((L[s.source] || s.source) + " · " + clock(s.start) + "–" + clock(s.end) + " ");
      li.append(
        button(L.seek, function () { video.currentTime = s.start; }, "link"),
        button(L.accept, function () {
          regions.push({ x: s.x, y: s.y, w: s.w, h: s.h, start: s.start, end: s.end, effect: s.effect || "blur" });
          suggestions.splice(i, 1); save(); render();
        }),
        button(L.reject, function () { suggestions.splice(i, 1); save(); render(); }, "link"));
      suggestionList.append(li);
    });
    suggestionBox.hidden = suggestions.length === 0;
    draw();
  }

  function point(ev) {
    var box = canvas.getBoundingClientRect();
    return { x: ev.clientX - box.left, y: ev.clientY - box.top };
  }

  canvas.addEventListener("pointerdown", function (ev) {
    var q = point(ev);
    drag = { x0: q.x, y0: q.y, x1: q.x, y1: q.y, moved: false };
    canvas.setPointerCapture(ev.pointerId);
    video.pause();
  });
  canvas.addEventListener("pointermove", function (ev) {
    if (!drag) return;
    var q = point(ev);
    drag.x1 = q.x; drag.y1 = q.y;
    drag.moved = Math.abs(drag.x1 - drag.x0) > 4 && Math.abs(drag.y1 - drag.y0) > 4;
    draw();
  });
  canvas.addEventListener("pointerup", function () {
    if (!drag) return;
    var d = drag;
    drag = null;
    if (!d.moved) { draw(); return; }
    var p = picture();
    var x0 = Math.max(0, Math.min(d.x0, d.x1) - p.x) / p.w;
    var y0 = Math.max(0, Math.min(d.y0, d.y1) - p.y) / p.h;
    var x1 = Math.min(p.w, Math.max(d.x0, d.x1) - p.x) / p.w;
    var y1 = Math.min(p.h, Math.max(d.y0, d.y1) - p.y) / p.h;
    if (x1 <= x0 || y1 <= y0) { draw(); return; }
    var t = round(video.currentTime, 2);
    var end = duration() ? Math.min(duration(), t + DEFAULT_LENGTH) : t + DEFAULT_LENGTH;
    regions.push({ x: round(x0, 4), y: round(y0, 4), w: round(x1 - x0, 4), h: round(y1 - y0, 4),
      start: t, end: round(end, 2), effect: "blur" });
    selected = regions.length - 1;
    save();
    render();
  });

  video.addEventListener("loadedmetadata", function () { save(); resize(); });
  video.addEventListener("timeupdate", draw);
  video.addEventListener("seeked", draw);
  preview.addEventListener("change", draw);
  window.addEventListener("resize", resize);
  // While playing, redraw every frame so the blur follows the picture.
  function loop() { if (!video.paused && !video.ended) draw(); window.requestAnimationFrame(loop); }
  window.requestAnimationFrame(loop);
  resize();
  render();
})();
