/* Search in the static edition of the public site, with no server (aigaq public build).
 *
 * The page's search form sends the visitor to entries/index.html?q=...; there this script
 * computes the query's per-part match keys the way aigaq.names.keys does (t: folded stem,
 * p: phonetic codes), loads the index shards that hold them (search/<kind>/<xy>.js) and shows
 * the entries whose names share a key with every word of the query. Every table it uses
 * (transliteration, folding, suffixes, equivalent names) comes from the Python code through
 * search/tables.js; names in Chinese characters through search/han.js. The data files are
 * scripts, not fetched JSON, because a page opened from a folder (file://) may load scripts
 * but not fetch files. Hand-written, no library; no inline script, so the site's
 * Content-Security-Policy holds.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var root = (script && script.getAttribute("data-root")) || "";
  var loaded = {};
  var waiting = {};
  var T = null;

  // A data file of the search index by its name (search/<name>.js).
  function load(name) {
    return loadFrom(name, root + "search/" + name + ".js");
  }

  // A data file at `url`, whose script calls aigaqData(name, ...).
  function loadFrom(name, url) {
    if (loaded[name] !== undefined) return Promise.resolve(loaded[name]);
    if (!waiting[name]) {
      waiting[name] = new Promise(function (resolve) {
        var el = document.createElement("script");
        el.src = url;
        el.onload = function () {
          if (loaded[name] === undefined) loaded[name] = null;
          resolve(loaded[name]);
        };
        el.onerror = function () {
          loaded[name] = null;
          resolve(null);
        };
        document.head.appendChild(el);
      });
    }
    return waiting[name];
  }

  // Each data file calls this with its name and its contents.
  window.aigaqData = function (name, data) {
    loaded[name] = data;
  };

  // ------------------------------------------------------------ aigaq.names, per part

  var LETTER = /[\p{L}\p{Mc}]/u;
  var MARK = /\p{M}/u;
  var INVISIBLE = /[\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u;
  var WORDCH = "[\\p{L}\\p{N}_]";
  var LONE_HYPHEN = new RegExp("(?<!" + WORDCH + ")-|-(?!" + WORDCH + ")", "gu");

  function action(ch) {
    if (T.apostrophes.indexOf(ch) >= 0) return "'";
    if (ch === "-" || ch === "\u2010" || ch === "\u2011") return "-";
    if (ch === "\u0640") return "";
    if (LETTER.test(ch)) return ch;
    if (MARK.test(ch)) return "";
    if (INVISIBLE.test(ch)) return "";
    return " ";
  }

  function normalize(text) {
    if (!text) return "";
    var s = text.normalize("NFKC").toLowerCase();
    var out = "";
    for (var ch of s) out += action(ch);
    if (out.indexOf("'") >= 0) {
      out = out.replace(/(?<=[a-z\u00e0-\u024f])'/g, "\u0000").replace(/'/g, "");
      out = out.replace(/\u0000/g, "'");
    }
    if (out.indexOf("-") >= 0) out = out.replace(LONE_HYPHEN, " ");
    return out.split(/\s+/).filter(Boolean).join(" ");
  }

  function truncate(s) {
    if (Array.from(s).length <= T.maxNameChars) return s;
    var head = Array.from(s).slice(0, T.maxNameChars).join("");
    var space = head.lastIndexOf(" ");
    return space > 0 ? head.slice(0, space) : head;
  }

  function charScript(ch) {
    var cp = ch.codePointAt(0);
    for (var i = 0; i < T.ranges.length; i++) {
      var r = T.ranges[i];
      if (cp < r[0]) break;
      if (cp <= r[1]) return r[2];
    }
    return "other";
  }

  function wordScript(word) {
    var seen = {};
    var n = 0;
    for (var ch of word) {
      if (/\p{L}/u.test(ch)) {
        var s = charScript(ch);
        if (!seen[s]) { seen[s] = true; n++; }
      }
    }
    if (n === 0) return "other";
    if (n === 1) return Object.keys(seen)[0];
    return "mixed";
  }

  function mapChars(word, table, keep) {
    var out = "";
    for (var ch of word) {
      var v = table[ch];
      out += v !== undefined ? v : (keep ? ch : "");
    }
    return out;
  }

  function romanizeCyrillic(word) {
    word = word.replace(/цз|чж|дж/g, function (m) { return T.cyrillicDigraphs[m]; });
    return mapChars(word, T.cyrillic, true);
  }

  function romanizeArabic(word) {
    return mapChars(word, T.arabic, false);
  }

  function isAscii(s) {
    return /^[\x00-\x7f]*$/.test(s);
  }

  function romanizeLatin(word) {
    if (word.indexOf("'") >= 0) {
      word = word.replace(/[a-z]'/g, function (m) {
        var v = T.apostropheDigraphs[m];
        return v !== undefined ? v : m[0];
      });
      word = word.replace(/'/g, "");
    }
    if (isAscii(word)) return word;
    var out = "";
    for (var ch of word) {
      if (isAscii(ch)) { out += ch; continue; }
      var v = T.latin[ch];
      if (v !== undefined) { out += v; continue; }
      out += ch.normalize("NFKD").replace(/[^A-Za-z]/g, "");
    }
    return out;
  }

  function repairMixed(word) {
    var cyr = 0, lat = 0;
    for (var ch of word) {
      if (ch >= "\u0400" && ch <= "\u052f") cyr++;
      else if (/^[A-Za-z]$/.test(ch)) lat++;
    }
    return mapChars(word, cyr >= lat ? T.toCyrillic : T.toLatin, true);
  }

  function romanizeWord(word, script) {
    if (script === "latin") return romanizeLatin(word);
    if (script === "cyrillic") return romanizeCyrillic(word);
    if (script === "arabic") return romanizeArabic(word);
    if (script === "mixed") {
      var r = repairMixed(word);
      if (/[\u0400-\u052f]/.test(r)) return romanizeLatin(romanizeCyrillic(r));
      if (/[\u0600-\u06ff]/.test(r)) return romanizeLatin(romanizeArabic(r));
      return romanizeLatin(r);
    }
    return word;
  }

  function collapse(s) {
    return s.replace(/([a-z])\1+/g, "$1");
  }

  function fold(rough) {
    var folded = rough.replace(new RegExp(T.foldPattern, "g"), function (m) { return T.fold[m]; });
    if (folded.indexOf("ie") === 0) folded = folded.slice(1);
    return folded; // not collapsed: _stem_forms collapses itself
  }

  function splitSuffix(folded) {
    for (var i = 0; i < T.suffixes.length; i++) {
      var suffix = T.suffixes[i][0];
      if (folded.endsWith(suffix) && folded.length - suffix.length >= T.minStem) {
        return [folded.slice(0, folded.length - suffix.length), suffix];
      }
    }
    return [folded, ""];
  }

  function stemForms(raw) {
    var split = splitSuffix(raw);
    var stem = collapse(split[0]);
    var suffix = split[1];
    var folded = suffix ? stem + collapse(suffix) : stem;
    if (T.russianE.indexOf(suffix) >= 0 || stem.endsWith("bai")) stem = stem.replace(/(?<=[aeou])i$/, "");
    var toCode = stem;
    if (toCode.length >= 6 && /(?<=[^aeiou])a$/.test(toCode)) toCode = toCode.slice(0, -1);
    return { folded: folded, stem: stem, toCode: toCode };
  }

  function translate(s, table) {
    var out = "";
    for (var ch of s) out += table[ch] !== undefined ? table[ch] : ch;
    return out;
  }

  function phonetic(folded, hard, loose) {
    var values = hard ? T.hardValues : T.softValues;
    var code = folded.replace(/sh|ch|ng|ts|nm|(?<!^)h/g, function (m) { return values[m]; });
    code = translate(code, T.phoneticLetters);
    if (loose) code = translate(code, T.looseLetters);
    code = code.replace(/(?<=[au])i(?=[aui])/g, "");
    return collapse(code);
  }

  function equivalentOf(code) {
    var eq = T.equivalents;
    if (Object.prototype.hasOwnProperty.call(eq, code)) return eq[code];
    for (var i = 0; i < T.compoundTails.length; i++) {
      var tail = T.compoundTails[i];
      if (!code.endsWith(tail)) continue;
      var head = code.slice(0, code.length - tail.length);
      var candidates = [head, head + tail[0]];
      for (var j = 0; j < 2; j++) {
        var c = candidates[j];
        if (c.length >= T.minCompoundHead && Object.prototype.hasOwnProperty.call(eq, c)) {
          return collapse(eq[c] + tail);
        }
      }
    }
    return null;
  }

  function makePart(rough) {
    var f = stemForms(fold(rough));
    var toCodes = [f.toCode];
    var abd = f.toCode.replace(new RegExp(T.abd), "abdu");
    if (abd !== f.toCode) toCodes.unshift(abd);
    var loose = [];
    toCodes.forEach(function (text) {
      var hards = text.slice(1).indexOf("h") >= 0 ? [false, true] : [false];
      hards.forEach(function (hard) {
        var code = phonetic(text, hard, true);
        if (loose.indexOf(code) < 0) loose.push(code);
      });
    });
    for (var i = 0; i < loose.length; i++) {
      var canonical = equivalentOf(loose[i]);
      if (canonical !== null) {
        loose = [canonical].concat(loose.filter(function (c) { return c !== canonical; }));
        break;
      }
    }
    return { folded: f.folded, stem: f.stem, loose: loose };
  }

  // The parts of a name, as aigaq.names.parts.parse reads them (Chinese words from han.js).
  function parse(text, han) {
    var words = truncate(normalize(text)).split(" ").filter(Boolean);
    var scripts = words.map(wordScript);
    var hanCount = scripts.filter(function (s) { return s === "han"; }).length;
    var parts = [];
    for (var i = 0; i < words.length && parts.length < T.maxParts; i++) {
      var word = words[i], script = scripts[i];
      if (script === "han") {
        var known = han && (hanCount > 1 ? han.among : han.alone)[word];
        (known || []).forEach(function (p) {
          parts.push({ folded: p[0], stem: p[0], loose: p[1] });
        });
        continue;
      }
      if (script === "other" && !/\p{L}/u.test(word)) continue;
      var rough = romanizeWord(word.replace(/-/g, ""), script);
      if (!rough) continue;
      var part = makePart(rough);
      part.rough = rough;
      if (!part.folded) continue;
      if (T.detached.indexOf(part.folded) >= 0 && parts.length) {
        var previous = parts.pop();
        var suffix = part.folded === "ulu" ? "uulu" : part.folded;
        part = makePart(previous.folded + suffix);
        part.rough = previous.folded + suffix;
      }
      parts.push(part);
    }
    return parts.slice(0, T.maxParts);
  }

  function partKeys(part) {
    var keys = [];
    if (part.stem.length >= T.minPartKey) keys.push("t:" + part.stem);
    part.loose.slice(0, T.maxCodesPerPart).forEach(function (code) {
      if (code.length >= T.minPartKey && keys.indexOf("p:" + code) < 0) keys.push("p:" + code);
    });
    return keys;
  }

  function shardOf(key) {
    var body = key.slice(2);
    var head = body.slice(0, 2);
    while (head.length < 2) head += "_";
    return key[0] + "/" + head;
  }

  function tablesReady() {
    return load("tables").then(function (t) { T = t; return t; });
  }

  function pinyinShard(folded) {
    var head = folded.slice(0, 2);
    while (head.length < 2) head += "_";
    return "y/" + head;
  }

  // The query read as the pinyin of a Turkic name (Maimaiti Tuerxun = Memet Tursun), as
  // aigaq.names.parts.turkic_variant reads it: only when every part is a pinyin word of the
  // table (search/y/<xy>.js: the pinyin spellings of the Chinese words of the public names
  // and their folded forms, as written, each with its Turkic reading's part, or null when it
  // reads alike). One
  // part (or null) per part of the query; null when the query is not so read.
  function turkicReading(parts, needsHan) {
    if (needsHan || !parts.length) return Promise.resolve(null);
    var shards = [];
    if (parts.some(function (p) { return !p.rough; })) return Promise.resolve(null);
    parts.forEach(function (p) {
      var name = pinyinShard(p.rough);
      if (shards.indexOf(name) < 0) shards.push(name);
    });
    var held = T.pinyinShards || [];
    if (shards.some(function (n) { return held.indexOf(n) < 0; })) return Promise.resolve(null);
    return Promise.all(shards.map(function (n) { return load(n); })).then(function () {
      var out = [];
      var found = false;
      for (var i = 0; i < parts.length; i++) {
        var shard = loaded[pinyinShard(parts[i].rough)];
        if (!shard || !Object.prototype.hasOwnProperty.call(shard, parts[i].rough)) return null;
        var reading = shard[parts[i].rough];
        out.push(reading ? { folded: reading[0], stem: reading[0], loose: reading[1] } : null);
        if (reading) found = true;
      }
      return found ? out : null;
    });
  }

  // The query's keys, one list per part (used by the tests and by search()): a query in
  // pinyin with those of its Turkic reading too.
  function queryKeys(text) {
    var needsHan = /[\u3400-\u9fff\uf900-\ufaff]/.test(text);
    var parts;
    return tablesReady().then(function () {
      return needsHan ? load("han") : null;
    }).then(function (han) {
      parts = parse(text, han);
      return turkicReading(parts, needsHan);
    }).then(function (turkic) {
      return parts.map(function (part, i) {
        var keys = partKeys(part);
        if (turkic && turkic[i]) {
          partKeys(turkic[i]).forEach(function (k) { if (keys.indexOf(k) < 0) keys.push(k); });
        }
        return keys;
      }).filter(function (k) { return k.length; });
    });
  }

  function search(text) {
    return queryKeys(text).then(function (perPart) {
      var shards = {};
      perPart.forEach(function (keys) { keys.forEach(function (k) { shards[shardOf(k)] = true; }); });
      // Only the shards the edition holds (tables.js lists them): no request for one that
      // no name has.
      var names = Object.keys(shards).filter(function (n) {
        return !T.shards || T.shards.indexOf(n) >= 0;
      });
      return Promise.all(names.map(function (n) { return load(n); })).then(function () {
        var score = {};
        perPart.forEach(function (keys) {
          var hit = {};
          keys.forEach(function (k) {
            var shard = loaded[shardOf(k)];
            (shard && shard[k.slice(2)] || []).forEach(function (n) { hit[n] = true; });
          });
          Object.keys(hit).forEach(function (n) { score[n] = (score[n] || 0) + 1; });
        });
        var best = 0;
        Object.keys(score).forEach(function (n) { best = Math.max(best, score[n]); });
        var found = Object.keys(score).filter(function (n) { return score[n] === best; })
          .map(Number).sort(function (a, b) { return b - a; });
        return { numbers: found, all: best === perPart.length && best > 0 };
      });
    });
  }

  function entryNames(numbers) {
    var files = {};
    numbers.forEach(function (n) { files["e/" + Math.floor(n / 1000)] = true; });
    return Promise.all(Object.keys(files).map(load)).then(function () {
      return numbers.map(function (n) {
        var file = loaded["e/" + Math.floor(n / 1000)] || {};
        return [n, file[String(n)]];
      }).filter(function (row) { return row[1] !== undefined; });
    });
  }

  // ------------------------------------------------------------ the page

  var LIMIT = 100;

  function text(key) {
    return (script && script.getAttribute("data-" + key)) || "";
  }

  function entryHref(n) {
    return root + (script.getAttribute("data-lang") || "en") + "/entries/" + n + "/index.html";
  }

  function show(q) {
    var main = document.getElementById("main");
    var form = document.querySelector('form[role="search"]');
    if (!main || !form) return;
    var input = form.querySelector("input[name=q]");
    if (input) input.value = q;
    var box = document.createElement("section");
    box.className = "static-results";
    box.setAttribute("aria-live", "polite");
    var status = document.createElement("p");
    status.className = "count";
    status.textContent = text("searching");
    box.appendChild(status);
    form.parentNode.insertBefore(box, form.nextSibling);
    // The page's own list (every entry) gives way to the answer.
    Array.prototype.forEach.call(main.querySelectorAll("ul.cards, nav.pages, p.count, p.none, p.empty, ul.chosen"), function (el) {
      if (!box.contains(el)) el.hidden = true;
    });
    var direct = q.replace(/^#/, "").trim();
    var lookup = /^\d{1,9}$/.test(direct)
      ? entryNames([Number(direct)]).then(function (rows) { return { rows: rows, all: true }; })
      : search(q).then(function (r) {
        return entryNames(r.numbers.slice(0, LIMIT)).then(function (rows) {
          return { rows: rows, all: r.all, total: r.numbers.length };
        });
      });
    lookup.then(function (r) {
      if (!r.rows.length) { status.textContent = text("none"); return; }
      status.textContent = (r.all ? text("found") : text("close")).replace("%s", String(r.total || r.rows.length));
      var list = document.createElement("ul");
      list.className = "cards";
      r.rows.forEach(function (row) {
        var li = document.createElement("li");
        li.className = "card";
        var a = document.createElement("a");
        a.href = entryHref(row[0]);
        var no = document.createElement("span");
        no.className = "no";
        no.textContent = "#" + row[0];
        var name = document.createElement("span");
        name.className = "name";
        name.textContent = row[1];
        a.appendChild(no);
        a.appendChild(document.createTextNode(" "));
        a.appendChild(name);
        li.appendChild(a);
        list.appendChild(li);
      });
      box.appendChild(list);
    }, function () { status.textContent = text("none"); });
  }

  window.aigaqStaticSearch = { queryKeys: queryKeys, search: search, normalize: function (s) {
    return tablesReady().then(function () { return normalize(s); });
  } };

  // ------------------------------------------------------------ subtitles from a folder

  // A page opened from a folder (file://) may not load a <track>'s WebVTT file, so the build
  // also writes each one's cues as a script (files/subtitles/<n>/<lang>.js: [start, end,
  // text] in seconds); here they become the video's text tracks, in the <track>s' order, the
  // default one shown. Served over HTTP, the <track>s load themselves and nothing is done.
  var SUBTITLES = /files\/subtitles\/(\d+)\/([A-Za-z_]+)\.vtt$/;

  function subtitles() {
    if (window.location.protocol !== "file:" || typeof VTTCue === "undefined") return;
    Array.prototype.forEach.call(document.querySelectorAll("video"), function (video) {
      Array.prototype.forEach.call(video.querySelectorAll("track"), function (el) {
        var src = el.getAttribute("src") || "";
        var found = SUBTITLES.exec(src);
        if (!found) return;
        var shown = el.hasAttribute("default");
        var track = video.addTextTrack(el.kind || "subtitles", el.label, el.srclang);
        video.removeChild(el);
        loadFrom("subtitles/" + found[1] + "/" + found[2], src.replace(/\.vtt$/, ".js")).then(
          function (cues) {
            (cues || []).forEach(function (c) { track.addCue(new VTTCue(c[0], c[1], c[2])); });
            track.mode = shown ? "showing" : "disabled";
          }
        );
      });
    });
  }

  function start() {
    subtitles();
    // The list's filters need the server: a folder or mirror cannot apply them.
    if (document.querySelectorAll) {
      Array.prototype.forEach.call(document.querySelectorAll("details.facets"), function (el) {
        el.hidden = true;
      });
    }
    var q = new URLSearchParams(window.location.search).get("q");
    if (q && q.trim() && document.querySelector('form[role="search"]')) show(q.trim().slice(0, 300));
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
