/* A minimal tus 1.0.0 client (aigaq/staff/uploads.py is the server): 5 MB chunks sent with
   PATCH; after a failure it asks the server (HEAD) how many bytes arrived and goes on from
   there; the upload's address is remembered in localStorage, so even a reloaded page resumes
   the same file. Once every byte is in, it follows the background job that adds the file to
   the archive (the Aigaq-Job header of the last answer) until it has finished. Hand-written:
   tus-js-client is only on npm, and Aigaq has no npm build. */
(function () {
  "use strict";
  var CHUNK = 5 * 1024 * 1024;
  var WAITS = [1000, 3000, 5000, 10000, 20000, 30000];

  function b64(text) {
    var bytes = new TextEncoder().encode(text);
    var bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin);
  }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }
  function size(n) {
    var units = ["B", "KB", "MB", "GB"], i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return n.toFixed(i ? 1 : 0) + " " + units[i];
  }

  function Uploader(form) {
    this.form = form;
    this.csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    this.bar = form.querySelector("progress");
    this.status = form.querySelector("[role=status]");
  }
  Uploader.prototype.headers = function (extra) {
    var h = { "Tus-Resumable": "1.0.0", "X-CSRFToken": this.csrf };
    for (var k in extra) h[k] = extra[k];
    return h;
  };
  Uploader.prototype.say = function (text) { this.status.textContent = text; };
  Uploader.prototype.fail = function (response) {
    var self = this;
    return response.text().then(function (text) {
      throw new Error(self.form.dataset.msgFailed + " " + (text || response.status));
    });
  };
  Uploader.prototype.create = function (file, kind) {
    var self = this, d = this.form.dataset;
    var meta = "filename " + b64(file.name) + ",testimony " + b64(d.testimony) + ",kind " + b64(kind);
    return fetch(d.endpoint, {
      method: "POST", credentials: "same-origin",
      headers: this.headers({ "Upload-Length": String(file.size), "Upload-Metadata": meta })
    }).then(function (r) { return r.status === 201 ? r.headers.get("Location") : self.fail(r); });
  };
  Uploader.prototype.offset = function (url) {
    return fetch(url, { method: "HEAD", credentials: "same-origin", headers: this.headers({}) })
      .then(function (r) { return r.ok ? Number(r.headers.get("Upload-Offset")) : null; });
  };
  Uploader.prototype.progress = function (done, total) {
    this.bar.hidden = false;
    this.bar.value = total ? Math.floor((100 * done) / total) : 0;
    this.say(fmt(this.form.dataset.msgUploading, { done: size(done), total: size(total) }));
  };
  Uploader.prototype.run = async function (file, kind) {
    var key = "aigaq-tus:" + this.form.dataset.testimony + ":" + file.name + ":" + file.size + ":" + file.lastModified;
    var url = localStorage.getItem(key);
    var offset = url ? await this.offset(url).catch(function () { return null; }) : null;
    if (offset === null) {
      url = await this.create(file, kind);
      localStorage.setItem(key, url);
      offset = 0;
    }
    var failures = 0, job = null;
    while (offset < file.size) {
      this.progress(offset, file.size);
      var response = null;
      try {
        response = await fetch(url, {
          method: "PATCH", credentials: "same-origin",
          headers: this.headers({ "Upload-Offset": String(offset), "Content-Type": "application/offset+octet-stream" }),
          body: file.slice(offset, offset + CHUNK)
        });
      } catch (e) { response = null; }
      if (response && response.status === 204) {
        offset = Number(response.headers.get("Upload-Offset"));
        job = response.headers.get("Aigaq-Job") || job;
        failures = 0;
        continue;
      }
      if (response && [400, 403, 404, 413, 415, 422].indexOf(response.status) >= 0) {
        localStorage.removeItem(key);
        return this.fail(response);
      }
      // A dropped connection, a conflict or a server hiccup: ask where to resume.
      this.say(this.form.dataset.msgRetrying);
      await sleep(WAITS[Math.min(failures, WAITS.length - 1)]);
      failures++;
      var known = await this.offset(url).catch(function () { return null; });
      if (known !== null) offset = known;
    }
    localStorage.removeItem(key);
    this.progress(file.size, file.size);
    if (job) await this.follow(job);
    this.say(this.form.dataset.msgDone);
  };
  /* The last byte is in: the server adds the file to the archive in a background job. Follow
     the job's status fragment (the one its page polls) until it has finished, showing its
     state and step as the server words them; a failure shows the job's own sentence. */
  Uploader.prototype.follow = async function (url) {
    var self = this;
    function text(doc, selector) {
      var node = doc.querySelector(selector);
      return node ? node.textContent.trim() : "";
    }
    for (;;) {
      var response = await fetch(url, { credentials: "same-origin" }).catch(function () { return null; });
      if (response && response.ok) {
        var doc = new DOMParser().parseFromString(await response.text(), "text/html");
        var box = doc.querySelector("[data-testid=job-status]");
        var state = box ? box.dataset.status : "";
        if (state === "done") return;
        if (state === "failed") {
          throw new Error(self.form.dataset.msgFailed + " " + text(doc, "[data-testid=job-error]"));
        }
        self.bar.removeAttribute("value");  // busy, with no measure
        self.say([text(doc, "[data-testid=job-state]"), text(doc, "[data-testid=job-step]"),
                  text(doc, ".muted")].filter(Boolean).join(" · "));
      } else if (response && [403, 404].indexOf(response.status) >= 0) {
        return self.fail(response);
      }
      await sleep(1000);
    }
  };

  function start(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = form.querySelector("input[type=file]");
      var up = new Uploader(form);
      if (!input.files.length) { up.say(form.dataset.msgChoose); return; }
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      up.run(input.files[0], form.querySelector("select[name=kind]").value)
        .then(function () { window.location.reload(); })
        .catch(function (e) { up.say(e.message); })
        .finally(function () { button.disabled = false; });
    });
  }
  document.querySelectorAll("form[data-tus-upload]").forEach(start);
})();
