// Runs static/public/static_search.js under Node with a minimal page around it: the data files
// it asks for are read from the folder given (argv[3]). Prints the keys of each name of the
// JSON list in argv[4] as JSON (one list of keys per name, the parts' keys flattened).
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const [, , scriptPath, dataDir, namesPath] = process.argv;
const context = {
  console,
  URLSearchParams,
  Promise,
  window: {},
  document: {
    currentScript: null,
    readyState: "complete",
    querySelector: () => null,
    getElementById: () => null,
    addEventListener: () => {},
    createElement: () => ({}),
    head: {
      appendChild(el) {
        const file = path.join(dataDir, el.src.replace(/^search\//, ""));
        setTimeout(() => {
          try {
            vm.runInContext(fs.readFileSync(file, "utf8"), context);
            el.onload();
          } catch (e) {
            el.onerror(e);
          }
        }, 0);
      },
    },
  },
};
context.window.location = { search: "" };
vm.createContext(context);
vm.runInContext("var window = this.window; var document = this.document;", context);
vm.runInContext(fs.readFileSync(scriptPath, "utf8"), context);
context.aigaqData = context.window.aigaqData;
const names = JSON.parse(fs.readFileSync(namesPath, "utf8"));
(async () => {
  const out = [];
  for (const name of names) {
    const perPart = await context.window.aigaqStaticSearch.queryKeys(name);
    out.push([].concat(...perPart));
  }
  process.stdout.write(JSON.stringify(out));
})();
