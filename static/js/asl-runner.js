/* awskb: run state machines in the browser with the engine of `awskb asl run` (asl.wasm).
   awskb.js loads this script once a page with diagrams is shown. It adds a run panel under
   every diagram (input and Task mocks, Run / Step / Reset, the execution history, each state's
   data flow, highlighting in the diagram) and drives the /playground/ page. The engine itself
   is fetched only when a panel is first used, or at once on the playground.
   Parts: 1 the engine · 2 small helpers · 3 the diagram · 4 the run panel · 5 sharing ·
   6 the playground · 7 start. */
(function () {
  "use strict";

  if (typeof document === "undefined") {
    workerMain();
    return;
  }

  var me = document.currentScript;
  var SCRIPT_URL = me && me.src;
  var ENGINE_URL = me && me.dataset.engine;
  var PLAYGROUND_URL = me && me.dataset.playground;
  /* The editor's bundle (versioned); beside this script when a site's own base.html does not name it. */
  var CODEMIRROR_URL = me && (me.dataset.codemirror || new URL("vendor/codemirror.js", me.src).href);
  /* A loop that never ends stops here: the command line's default budget. */
  var MAX_TRANSITIONS = 10000;
  var TRANSITION_LIMIT = "Simulator.TransitionLimitExceeded";
  var UNSUPPORTED = "Simulator.Unsupported";

  /* 1. The engine: asl.wasm in a Web Worker, so checking and drawing a large definition never
   blocks typing. This same file is the worker's script (see `workerMain` at the end). ---- */
  var engineLoading = null;
  var encoder = new TextEncoder();
  var decoder = new TextDecoder();
  /** What the pages show about the engine: `idle`, `loading` (with `size` in bytes once the
      server said), `ready` or `failed`. */
  var engineState = { state: "idle", size: 0, error: "" };
  var engineWatchers = [];

  function engineChanged(state, size, error) {
    engineState = { state: state, size: size || engineState.size, error: error || "" };
    engineWatchers.forEach(function (watch) { watch(engineState); });
  }

  /** Calls `watch(state)` now and whenever the engine's loading state changes. */
  function watchEngine(watch) {
    engineWatchers.push(watch);
    watch(engineState);
  }

  /** "Loading the engine (1,234 KB)…" */
  function loadingText() {
    var size = engineState.size ? " (" + Math.round(engineState.size / 1024).toLocaleString("en") + " KB)" : "";
    return "Loading the engine" + size + "…";
  }

  /** The engine, loaded once in a worker and shared by every panel: `call(operation,
      request)` returns a promise of the response. */
  function engine() {
    if (engineLoading) return engineLoading;
    engineChanged("loading", 0);
    var worker;
    engineLoading = new Promise(function (resolve, reject) {
      worker = new Worker(SCRIPT_URL);
      var pending = {};
      var sequence = 0;
      var client = {
        call: function (operation, request) {
          return new Promise(function (ok, fail) {
            pending[++sequence] = { ok: ok, fail: fail };
            worker.postMessage({ kind: "call", sequence: sequence, operation: operation, request: JSON.stringify(request) });
          });
        }
      };
      worker.onmessage = function (event) {
        var message = event.data;
        if (message.kind === "size") engineChanged("loading", message.size);
        else if (message.kind === "ready") resolve(client);
        else if (message.kind === "failed") reject(new Error(message.error));
        else if (message.kind === "reply") {
          var waiting = pending[message.sequence];
          delete pending[message.sequence];
          if (message.error) waiting.fail(new Error(message.error));
          else waiting.ok(JSON.parse(message.response));
        }
      };
      worker.onerror = function (event) {
        event.preventDefault();
        reject(new Error(event.message || "the engine's worker did not start"));
      };
      worker.postMessage({ kind: "load", url: new URL(ENGINE_URL, location.href).href });
    });
    engineLoading.then(function () { engineChanged("ready"); }, function (error) {
      if (worker) worker.terminate();
      engineLoading = null;
      engineChanged("failed", 0, error.message);
    });
    return engineLoading;
  }

  /* 2. Small helpers -------------------------------------------------------------------- */
  var uid = 0;

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      var value = attributes[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else if (name === "class") node.className = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function pretty(value) {
    return JSON.stringify(value, null, 2);
  }

  /** JSON text from an event's details, shown indented (AWS carries payloads as text). */
  function prettyText(text) {
    try { return pretty(JSON.parse(text)); } catch (e) { return text; }
  }

  function showError(node, message) {
    node.textContent = message || "";
    node.hidden = !message;
  }

  /**
   * The error names the definition's `ErrorEquals` lists hold: those of the Task `task` first
   * (when the definition is JSON), then the rest. `States.ALL` matches any error but is not one.
   */
  function errorNames(text, task) {
    var own = [];
    try {
      (function walk(states) {
        Object.keys(states || {}).forEach(function (name) {
          var state = states[name] || {};
          if (name === task) {
            (state.Retry || []).concat(state.Catch || []).forEach(function (rule) { own = own.concat(rule.ErrorEquals || []); });
          }
          (state.Branches || []).forEach(function (branch) { walk(branch.States); });
          walk(((state.ItemProcessor || state.Iterator) || {}).States);
        });
      })(JSON.parse(text).States);
    } catch (e) { /* YAML or unfinished JSON: the whole text's lists below */ }
    var all = [];
    var lists = /ErrorEquals["']?\s*:\s*\[([^\]]*)\]/g;
    var match;
    while ((match = lists.exec(text))) {
      match[1].split(",").forEach(function (item) { all.push(item.trim().replace(/^["']|["']$/g, "")); });
    }
    var seen = {};
    return own.concat(all, ["States.TaskFailed", "States.Timeout"]).filter(function (n) {
      if (!n || n === "States.ALL" || seen[n]) return false;
      seen[n] = true;
      return true;
    });
  }

  /** A simulated time since the start: "0 s", "+1.5 s", "+2 min 5 s". */
  function duration(ms) {
    if (ms === 0) return "0 s";
    var seconds = ms / 1000;
    if (seconds < 60) return "+" + (Math.round(seconds * 1000) / 1000) + " s";
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) return "+" + minutes + " min " + Math.round(seconds % 60) + " s";
    return "+" + Math.floor(minutes / 60) + " h " + (minutes % 60) + " min";
  }

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  /* 3. The diagram: each state's status in a run, and the path taken ---------------------
     Status classes (colours in asl.css): asl-succeeded, asl-caught (failed, then handled by a
     Catch), asl-failed; asl-current is the state running now; asl-visited any state entered.
     An icon in the box's corner says the same without colour. */
  var SVG_NS = "http://www.w3.org/2000/svg";
  var STATUSES = ["succeeded", "caught", "failed"];
  var STATUS_WORDS = {
    current: "running now",
    succeeded: "succeeded",
    caught: "failed, then caught",
    failed: "failed"
  };
  /** Icon strokes drawn in a 16 px circle centred on 0,0. */
  var ICONS = {
    succeeded: "M-3.5 0l2.4 2.6 4.6-5.2",
    failed: "M-3-3l6 6M3-3l-6 6",
    caught: "M0-4v4.2M0 3.6v.2",
    current: "M-2.4-3.8v7.6l6.2-3.8z"
  };

  function svgElement(tag, attributes) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attributes).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    return node;
  }

  /** A status icon: a coloured disc with a white mark. */
  function statusIcon(status, x, y) {
    var icon = svgElement("g", { class: "asl-status-icon asl-icon-" + status, transform: "translate(" + x + " " + y + ")", "aria-hidden": "true" });
    icon.appendChild(svgElement("circle", { r: "8" }));
    icon.appendChild(svgElement("path", { d: ICONS[status] }));
    return icon;
  }

  function Diagram(svg) {
    this.svg = svg;
  }

  Diagram.prototype.state = function (name) {
    if (!this.svg || name === null || name === undefined) return null;
    return this.svg.querySelector('g.asl-state[data-state="' + CSS.escape(name) + '"]');
  };

  /** Edges and edge labels matching `selector` (data-from/data-to attributes). */
  Diagram.prototype.edges = function (selector) {
    if (!this.svg) return [];
    return Array.prototype.slice.call(this.svg.querySelectorAll("g.asl-edge" + selector + ", g.asl-edge-label" + selector));
  };

  Diagram.prototype.mark = function (name, className) {
    var group = this.state(name);
    if (!group) return;
    group.classList.add(className);
    if (className === "asl-current") this.icon(group);
  };

  /** Sets `name`'s status (`succeeded`, `caught`, `failed` or null). */
  Diagram.prototype.setStatus = function (name, status) {
    var group = this.state(name);
    if (!group) return;
    STATUSES.forEach(function (s) { group.classList.toggle("asl-" + s, s === status); });
    this.icon(group);
  };

  Diagram.prototype.status = function (name) {
    var group = this.state(name);
    if (!group) return null;
    if (group.classList.contains("asl-current")) return "current";
    for (var i = STATUSES.length - 1; i >= 0; i--) {
      if (group.classList.contains("asl-" + STATUSES[i])) return STATUSES[i];
    }
    return null;
  };

  /** Redraws a state's icon and says its status to assistive technology. */
  Diagram.prototype.icon = function (group) {
    var old = group.querySelector(":scope > .asl-status-icon");
    if (old) old.remove();
    var status = this.status(group.getAttribute("data-state"));
    var label = group.dataset.label;
    if (label) group.setAttribute("aria-label", label + (status ? ", " + STATUS_WORDS[status] : ""));
    if (!status) return;
    var box = group.querySelector(":scope > rect.asl-box");
    group.appendChild(statusIcon(status, box.x.baseVal.value + 2, box.y.baseVal.value + 2));
  };

  /** Marks the edge from `from` to `to`; `from` null is the start marker, `to` null the end. */
  Diagram.prototype.markEdge = function (from, to) {
    var selector = (from === null ? ":not([data-from])" : '[data-from="' + CSS.escape(from) + '"]') +
      (to === null ? ":not([data-to])" : '[data-to="' + CSS.escape(to) + '"]');
    var edges = this.edges(selector);
    edges.forEach(function (edge) { edge.classList.add("asl-taken"); });
    return edges.length > 0;
  };

  Diagram.prototype.hasEdge = function (from, to) {
    return this.edges('[data-from="' + CSS.escape(from) + '"][data-to="' + CSS.escape(to) + '"]').length > 0;
  };

  /** Starts a run: states not reached are drawn neutral from now on. */
  Diagram.prototype.begin = function () {
    if (this.svg) this.svg.classList.add("asl-has-run");
  };

  Diagram.prototype.clear = function () {
    if (!this.svg) return;
    this.svg.classList.remove("asl-has-run");
    ["asl-current", "asl-visited", "asl-succeeded", "asl-caught", "asl-failed", "asl-taken"].forEach(function (name) {
      Array.prototype.forEach.call(this.svg.querySelectorAll("." + name), function (node) {
        node.classList.remove(name);
      });
    }, this);
    Array.prototype.forEach.call(this.svg.querySelectorAll(".asl-progress, .asl-status-icon"), function (node) {
      node.remove();
    });
    Array.prototype.forEach.call(this.svg.querySelectorAll("g.asl-state[data-label]"), function (group) {
      group.setAttribute("aria-label", group.dataset.label);
    });
  };

  Diagram.prototype.clearCurrent = function () {
    if (!this.svg) return;
    Array.prototype.forEach.call(this.svg.querySelectorAll(".asl-current"), function (node) {
      node.classList.remove("asl-current");
      this.icon(node);
    }, this);
  };

  /** Shows `name` as the selected state (a dashed ring around its box). */
  Diagram.prototype.select = function (name) {
    if (!this.svg) return;
    Array.prototype.forEach.call(this.svg.querySelectorAll(".asl-selected"), function (node) {
      node.classList.remove("asl-selected");
      var ring = node.querySelector(":scope > .asl-select-ring");
      if (ring) ring.remove();
    });
    var group = this.state(name);
    if (!group) return;
    group.classList.add("asl-selected");
    var box = group.querySelector(":scope > rect.asl-box");
    var ring = svgElement("rect", {
      class: "asl-select-ring",
      x: box.x.baseVal.value - 4, y: box.y.baseVal.value - 4,
      width: box.width.baseVal.value + 8, height: box.height.baseVal.value + 8, rx: 11
    });
    group.insertBefore(ring, box);
  };

  /** Writes "2 / 3" in the corner of a Map or Parallel container. */
  Diagram.prototype.progress = function (name, text) {
    var group = this.state(name);
    if (!group) return;
    var label = group.querySelector(":scope > .asl-progress");
    if (!label) {
      var box = group.querySelector(":scope > rect.asl-box");
      if (!box) return;
      label = svgElement("text", { class: "asl-progress", "text-anchor": "end" });
      // The bottom right corner: the top holds the container's name and mode.
      label.setAttribute("x", String(box.x.baseVal.value + box.width.baseVal.value - 8));
      label.setAttribute("y", String(box.y.baseVal.value + box.height.baseVal.value - 6));
      group.appendChild(label);
    }
    label.textContent = text;
  };

  /** The Task states' names, in the order the diagram draws them. */
  Diagram.prototype.tasks = function () {
    if (!this.svg) return [];
    return Array.prototype.map.call(this.svg.querySelectorAll("g.asl-state.asl-task[data-state]"), function (g) {
      return g.getAttribute("data-state");
    });
  };

  /** A legend of the run's colours and icons, drawn with the diagram's own styles. */
  function legend() {
    var items = [
      ["succeeded", "Succeeded"],
      ["failed", "Failed"],
      ["caught", "Failed, then caught"],
      ["current", "Running now"]
    ].map(function (entry) {
      var svg = svgElement("svg", { class: "asl-diagram asl-legend-icon", viewBox: "-9 -9 18 18", width: "18", height: "18", "aria-hidden": "true" });
      svg.appendChild(statusIcon(entry[0], 0, 0));
      return element("li", {}, [svg, document.createTextNode(entry[1])]);
    });
    var unreached = svgElement("svg", { class: "asl-diagram asl-has-run asl-legend-icon", viewBox: "0 0 26 16", width: "26", height: "16", "aria-hidden": "true" });
    var g = svgElement("g", { class: "asl-state" });
    g.appendChild(svgElement("rect", { class: "asl-box", x: "1", y: "1", width: "24", height: "14", rx: "4" }));
    unreached.appendChild(g);
    items.push(element("li", {}, [unreached, document.createTextNode("Not reached")]));
    var path = svgElement("svg", { class: "asl-diagram asl-legend-icon", viewBox: "0 0 26 16", width: "26", height: "16", "aria-hidden": "true" });
    var taken = svgElement("g", { class: "asl-edge asl-taken" });
    taken.appendChild(svgElement("path", { d: "M1 8H25" }));
    path.appendChild(taken);
    items.push(element("li", {}, [path, document.createTextNode("Path taken")]));
    var caughtPath = svgElement("svg", { class: "asl-diagram asl-legend-icon", viewBox: "0 0 26 16", width: "26", height: "16", "aria-hidden": "true" });
    var catchEdge = svgElement("g", { class: "asl-edge asl-edge-catch asl-taken" });
    catchEdge.appendChild(svgElement("path", { d: "M1 8H25", "stroke-dasharray": "5 4" }));
    caughtPath.appendChild(catchEdge);
    items.push(element("li", {}, [caughtPath, document.createTextNode("Catch taken")]));
    return element("ul", { class: "asl-legend", "aria-label": "Legend" }, items);
  }

  /* 4. The viewer: zoom, pan, fit and full screen around a figure's diagram ---------------
     The smallest text in a diagram is 11 px at 100%, so the view never zooms out further: a
     large diagram is panned (drag, scroll, arrow keys), never shrunk into unreadable text. */
  var MIN_ZOOM = 1;
  var MAX_ZOOM = 3;
  var ZOOM_STEP = 1.25;

  function Viewer(figure, options) {
    var self = this;
    this.figure = figure;
    this.canvas = figure.querySelector(".asl-canvas");
    this.options = options || {};
    this.zoom = 1;
    this.svg = null;
    function button(label, text, action) {
      var node = element("button", { type: "button", class: "asl-view-button", "aria-label": label, title: label, text: text });
      node.addEventListener("click", action);
      return node;
    }
    this.zoomOutButton = button("Zoom out", "−", function () { self.zoomBy(1 / ZOOM_STEP); });
    this.zoomInButton = button("Zoom in", "+", function () { self.zoomBy(ZOOM_STEP); });
    this.fitButton = button("Fit", "Fit", function () { self.fit(); });
    this.fullButton = button("Full screen", "", function () { self.toggleFullScreen(); });
    // Four corners: an icon every font can show.
    var corners = svgElement("svg", { viewBox: "0 0 16 16", width: "16", height: "16", "aria-hidden": "true", focusable: "false" });
    corners.appendChild(svgElement("path", {
      d: "M1.5 5.5v-4h4M10.5 1.5h4v4M14.5 10.5v4h-4M5.5 14.5h-4v-4",
      fill: "none", stroke: "currentColor", "stroke-width": "1.8", "stroke-linecap": "round", "stroke-linejoin": "round"
    }));
    this.fullButton.appendChild(corners);
    this.fullButton.setAttribute("aria-pressed", "false");
    this.zoomText = element("span", { class: "asl-view-zoom", "aria-live": "polite" });
    this.hint = element("span", { class: "asl-view-hint", text: "Drag to pan · Ctrl+wheel or pinch to zoom" });
    this.bar = element("div", { class: "asl-view-bar", role: "toolbar", "aria-label": "Diagram view" },
      [this.zoomOutButton, this.zoomInButton, this.fitButton, this.fullButton, this.zoomText, this.hint]);
    this.canvas.parentNode.insertBefore(this.bar, this.canvas);
    this.legend = legend();
    this.legend.hidden = true;
    this.canvas.parentNode.insertBefore(this.legend, this.canvas.nextSibling);
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute("role", "group");
    this.canvas.setAttribute("aria-label", "Diagram: arrow keys or drag to pan, + and - to zoom, 0 to fit");
    this.bindPointer();
    this.bindKeys();
    document.addEventListener("fullscreenchange", function () { self.fullScreenChanged(); });
    this.attach(this.canvas.querySelector("svg"));
  }

  /**
   * A state's accessible name: what its box shows, in the order shown (so that a reader who
   * sees "Charge lambda:invoke ↻2" can say those words to a speech tool), then its type:
   * "Charge, lambda:invoke, 2 retries, Task". A name shown wrapped or cut short is followed by
   * the full name in parentheses.
   */
  function stateLabel(group) {
    var name = group.getAttribute("data-state");
    function shown(selector) {
      return Array.prototype.map.call(group.querySelectorAll(selector), function (text) { return text.textContent.trim(); });
    }
    var lines = shown(":scope > text.asl-name").join(" ");
    var parts = [lines === name ? name : lines + " (" + name + ")"];
    var detail = shown(":scope > text.asl-detail")[0];
    if (detail) parts.push(detail.replace(/\s*·\s*/g, ", "));
    var retries = shown(":scope > .asl-retry > text")[0];
    if (retries) parts.push(retries.replace(/\D/g, "") + " retries");
    var type = (group.getAttribute("class").match(/asl-(task|pass|choice|wait|succeed|fail|parallel|map)\b/) || [, ""])[1];
    type = type.charAt(0).toUpperCase() + type.slice(1);
    // Pass, Choice, Map, … show their type as the detail already.
    if (type && (!detail || detail.split(/\W/)[0] !== type)) parts.push(type);
    return parts.join(", ");
  }

  /** Takes over a (new) drawing: its natural size, and its states made focusable. */
  Viewer.prototype.attach = function (svg) {
    this.svg = svg;
    if (!svg) return this.update();
    var box = svg.viewBox.baseVal;
    this.width = box.width;
    this.height = box.height;
    // Its states are controls now, not parts of one image.
    svg.setAttribute("role", "group");
    Array.prototype.forEach.call(svg.querySelectorAll("g.asl-state[data-state]"), function (group) {
      var label = stateLabel(group);
      group.dataset.label = label;
      group.setAttribute("aria-label", label);
      group.setAttribute("role", "button");
      group.setAttribute("tabindex", "0");
    });
    this.update();
    if (!this.shown) {
      // First shown with its start (the top middle) in view.
      this.shown = true;
      this.canvas.scrollLeft = (this.canvas.scrollWidth - this.canvas.clientWidth) / 2;
    }
  };

  Viewer.prototype.update = function () {
    var svg = this.svg;
    this.zoomText.textContent = Math.round(this.zoom * 100) + "%";
    this.zoomOutButton.disabled = !svg || this.zoom <= MIN_ZOOM + 1e-6;
    this.zoomInButton.disabled = !svg || this.zoom >= MAX_ZOOM - 1e-6;
    this.fitButton.disabled = !svg;
    if (!svg) return;
    svg.style.width = this.width * this.zoom + "px";
    svg.style.height = this.height * this.zoom + "px";
  };

  /** Zooms to `zoom`, keeping the diagram's point under (clientX, clientY) where it is. */
  Viewer.prototype.zoomTo = function (zoom, clientX, clientY) {
    if (!this.svg) return;
    zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom));
    var canvas = this.canvas.getBoundingClientRect();
    if (clientX === undefined) {
      clientX = canvas.left + canvas.width / 2;
      clientY = canvas.top + canvas.height / 2;
    }
    var before = this.svg.getBoundingClientRect();
    var x = (clientX - before.left) / this.zoom;
    var y = (clientY - before.top) / this.zoom;
    this.zoom = zoom;
    this.update();
    var after = this.svg.getBoundingClientRect();
    this.canvas.scrollLeft += after.left + x * zoom - clientX;
    this.canvas.scrollTop += after.top + y * zoom - clientY;
  };

  Viewer.prototype.zoomBy = function (factor, clientX, clientY) {
    this.zoomTo(this.zoom * factor, clientX, clientY);
  };

  /** The largest zoom (up to 150%) that shows the whole diagram, but never below 100%. */
  Viewer.prototype.fit = function () {
    if (!this.svg) return;
    var style = getComputedStyle(this.canvas);
    var room = this.canvas.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    var height = (parseFloat(style.maxHeight) || this.canvas.clientHeight) - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    this.zoom = Math.min(1.5, Math.max(MIN_ZOOM, Math.min(room / this.width, height / this.height)));
    this.update();
    // What does not fit is panned to: the start, centred.
    this.canvas.scrollTop = 0;
    this.canvas.scrollLeft = (this.canvas.scrollWidth - this.canvas.clientWidth) / 2;
  };

  /** Brings a state into view (after a click in the history, or a selection in the editor). */
  Viewer.prototype.reveal = function (group) {
    if (!group) return;
    var canvas = this.canvas.getBoundingClientRect();
    var box = group.getBoundingClientRect();
    if (box.left < canvas.left || box.right > canvas.right) {
      this.canvas.scrollLeft += box.left - canvas.left - (canvas.width - box.width) / 2;
    }
    if (box.top < canvas.top || box.bottom > canvas.bottom) {
      this.canvas.scrollTop += box.top - canvas.top - (canvas.height - box.height) / 2;
    }
  };

  Viewer.prototype.toggleFullScreen = function () {
    var self = this;
    if (document.fullscreenElement === this.figure) { document.exitFullscreen(); return; }
    if (this.figure.classList.contains("asl-full")) { this.setFull(false); return; }
    var request = this.figure.requestFullscreen ? this.figure.requestFullscreen() : Promise.reject(new Error("none"));
    // Where the browser refuses, the figure fills the window instead.
    request.catch(function () { self.setFull(true); });
  };

  Viewer.prototype.setFull = function (on) {
    this.figure.classList.toggle("asl-full", on);
    document.documentElement.classList.toggle("asl-full-open", on);
    this.fullScreenChanged();
  };

  Viewer.prototype.fullScreenChanged = function () {
    var on = this.isFull();
    this.fullButton.setAttribute("aria-pressed", on ? "true" : "false");
    this.fullButton.setAttribute("aria-label", on ? "Exit full screen" : "Full screen");
    this.fullButton.title = this.fullButton.getAttribute("aria-label");
  };

  /** Drag to pan with a mouse or pen; pinch with two fingers (one finger scrolls natively);
      Ctrl or ⌘ + wheel (and a trackpad's pinch, which browsers send as such) zooms. */
  Viewer.prototype.bindPointer = function () {
    var self = this;
    var canvas = this.canvas;
    var drag = null;
    var touches = {};
    var pinch = null;
    canvas.addEventListener("wheel", function (event) {
      if (!(event.ctrlKey || event.metaKey) || !self.svg) return;
      event.preventDefault();
      self.zoomBy(Math.exp(-event.deltaY * (event.deltaMode === 1 ? 0.05 : 0.0025)), event.clientX, event.clientY);
    }, { passive: false });
    canvas.addEventListener("pointerdown", function (event) {
      if (event.pointerType === "touch") {
        touches[event.pointerId] = event;
        var ids = Object.keys(touches);
        if (ids.length === 2) {
          var a = touches[ids[0]], b = touches[ids[1]];
          pinch = { distance: Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY), zoom: self.zoom };
        }
        return;
      }
      if (event.button !== 0) return;
      drag = { x: event.clientX, y: event.clientY, left: canvas.scrollLeft, top: canvas.scrollTop, moved: false, id: event.pointerId };
    });
    canvas.addEventListener("pointermove", function (event) {
      if (event.pointerType === "touch") {
        if (!touches[event.pointerId]) return;
        touches[event.pointerId] = event;
        var ids = Object.keys(touches);
        if (pinch && ids.length === 2) {
          var a = touches[ids[0]], b = touches[ids[1]];
          var distance = Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY);
          self.zoomTo(pinch.zoom * distance / pinch.distance, (a.clientX + b.clientX) / 2, (a.clientY + b.clientY) / 2);
        }
        return;
      }
      if (!drag) return;
      var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      if (!drag.moved) {
        drag.moved = true;
        canvas.setPointerCapture(drag.id);
        canvas.classList.add("asl-panning");
      }
      canvas.scrollLeft = drag.left - dx;
      canvas.scrollTop = drag.top - dy;
    });
    function end(event) {
      if (event.pointerType === "touch") {
        delete touches[event.pointerId];
        if (Object.keys(touches).length < 2) pinch = null;
        return;
      }
      if (drag && drag.moved) {
        canvas.classList.remove("asl-panning");
        // The click that ends a drag does not select a state.
        canvas.addEventListener("click", function swallow(click) {
          click.stopPropagation();
          click.preventDefault();
        }, { capture: true, once: true });
        window.setTimeout(function () { drag = null; }, 0);
      }
      drag = null;
    }
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
  };

  /** `+`, `-` and `0` anywhere in the diagram; Enter or Space on a state picks it; the arrow
      keys on a state move to the next one along the edges (elsewhere they pan). */
  Viewer.prototype.bindKeys = function () {
    var self = this;
    this.figure.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      if (!(self.canvas.contains(event.target) || self.bar.contains(event.target))) return;
      if (event.key === "+" || event.key === "=") self.zoomBy(ZOOM_STEP);
      else if (event.key === "-" || event.key === "_") self.zoomBy(1 / ZOOM_STEP);
      else if (event.key === "0") self.fit();
      else if (event.key === "Escape" && self.figure.classList.contains("asl-full")) self.setFull(false);
      else if ((event.key === "Enter" || event.key === " ") && event.target.matches && event.target.matches("g.asl-state[data-state]")) {
        if (self.options.onPick) self.options.onPick(event.target.getAttribute("data-state"));
      } else if (/^Arrow/.test(event.key) && event.target.matches && event.target.matches("g.asl-state[data-state]")) {
        var next = self.neighbour(event.target, event.key);
        if (next) self.focusState(next);
      } else return;
      event.preventDefault();
    });
  };

  /** Focuses a state, panned into the canvas's view and the canvas scrolled into the window. */
  Viewer.prototype.focusState = function (group) {
    group.focus({ preventScroll: true });
    this.reveal(group);
    if (group.scrollIntoView) group.scrollIntoView({ block: "nearest", inline: "nearest" });
  };

  Viewer.prototype.isFull = function () {
    return document.fullscreenElement === this.figure || this.figure.classList.contains("asl-full");
  };

  /**
   * The state an arrow key moves to from the focused `group`, along the diagram's edges: Down
   * follows the first edge out, Up goes back the way the focus came (else the first edge in),
   * Left and Right step through the other states the same state leads to (a Choice's rules, a
   * Catch). Null where there is none.
   */
  Viewer.prototype.neighbour = function (group, key) {
    var svg = this.svg;
    var name = group.getAttribute("data-state");
    function ends(attribute, value, other) {
      var found = [];
      Array.prototype.forEach.call(svg.querySelectorAll("g.asl-edge[" + attribute + '="' + CSS.escape(value) + '"]'), function (edge) {
        var end = edge.getAttribute(other);
        if (end !== null && end !== value && found.indexOf(end) < 0) found.push(end);
      });
      return found;
    }
    function state(target) {
      return target === undefined ? null : svg.querySelector('g.asl-state[data-state="' + CSS.escape(target) + '"]');
    }
    var from = this.cameFrom && this.cameFrom.to === name ? this.cameFrom.from : ends("data-to", name, "data-from")[0];
    var target;
    if (key === "ArrowDown") target = ends("data-from", name, "data-to")[0];
    else if (key === "ArrowUp") target = from;
    else if (from !== undefined && (key === "ArrowLeft" || key === "ArrowRight")) {
      var siblings = ends("data-from", from, "data-to");
      var at = siblings.indexOf(name);
      target = siblings[at + (key === "ArrowRight" ? 1 : -1)];
      if (target !== undefined) {
        this.cameFrom = { from: from, to: target };
        return state(target);
      }
    }
    if (target !== undefined) this.cameFrom = key === "ArrowDown" ? { from: name, to: target } : null;
    return state(target);
  };

  /** Shows the legend (once a run has started). */
  Viewer.prototype.showLegend = function (on) {
    this.legend.hidden = !on;
  };

  /* 4. The run panel ---------------------------------------------------------------------- */
  /** TestState's `inspectionData` fields in the order a state applies them (as `awskb asl
      test-state` prints them), with what each holds. `output` comes from the exit event. */
  var INSPECTION_FIELDS = [
    ["input", "the state's input"],
    ["afterInputPath", "after InputPath"],
    ["afterParameters", "after Parameters: the effective input"],
    ["afterArguments", "after Arguments: the effective input"],
    ["afterItemsPath", "the items (ItemsPath, Items or ItemReader)"],
    ["afterItemSelector", "after ItemSelector: each item's input"],
    ["afterItemBatcher", "after ItemBatcher: the batches"],
    ["result", "the raw result"],
    ["afterResultSelector", "after ResultSelector"],
    ["afterResultPath", "after ResultPath"],
    ["output", "the output: what the next state gets"],
    ["variables", "the variables in scope after Assign"]
  ];

  /**
   * A panel under a diagram. `options`: `figure` (holds `.asl-canvas`), `definition()` (the
   * definition's text), `input` and `mocks` (JSON text to start from), and either
   * `linkToPlayground` (an "Open in playground" link) or `onCopy` (a "Copy link" button).
   */
  function RunPanel(options) {
    this.options = options;
    this.id = "_asl-run-" + (++uid);
    this.execution = null;
    this.busy = false;
    this.valid = true;
    var self = this;
    this.viewer = new Viewer(options.figure, { onPick: function (name) { self.pick(name); } });
    this.diagram = new Diagram(this.viewer.svg);
    this.build();
    this.setMocks(options.mocks || "");
    this.reset();
    if (this.share) this.updateShareLink();
    watchEngine(function () { self.updateButtons(); });
  }

  /**
   * Run and Step work while the definition is valid and the execution has not ended. While the
   * engine loads they are marked unavailable (aria-disabled, so a click that lands as loading
   * starts is kept and done once the engine is ready) and the status says how much is loading.
   */
  RunPanel.prototype.updateButtons = function () {
    var loading = engineState.state === "loading";
    [this.runButton, this.stepButton].forEach(function (button) {
      button.disabled = this.finished || !this.valid;
      if (loading) button.setAttribute("aria-disabled", "true");
      else button.removeAttribute("aria-disabled");
    }, this);
    if (loading) {
      this.status.textContent = loadingText() + (this.queued ? " It starts when the engine is ready." : "");
    } else if (this.showingLoading) {
      this.status.textContent = engineState.state === "failed" ? "The engine could not be loaded: " + engineState.error : "";
    }
    this.showingLoading = loading;
    if (!loading && this.queued) {
      var how = this.queued;
      this.queued = null;
      if (engineState.state === "ready") this.go(how);
    }
  };

  /** A state picked in the diagram (click, Enter or Space). */
  RunPanel.prototype.pick = function (name) {
    this.select(name);
    if (this.options.onSelect) this.options.onSelect(name);
  };

  RunPanel.prototype.build = function () {
    var self = this;
    var id = this.id;
    this.runButton = element("button", { type: "button", class: "button asl-run-go", text: "Run" });
    this.stepButton = element("button", { type: "button", class: "button button-quiet asl-run-step", text: "Step" });
    this.resetButton = element("button", { type: "button", class: "button button-quiet asl-run-reset", text: "Reset" });
    this.status = element("span", { class: "asl-run-status", role: "status", "aria-live": "polite" });
    var bar = element("div", { class: "asl-run-bar" }, [this.runButton, this.stepButton, this.resetButton, this.status]);
    if (this.options.linkToPlayground) {
      // A real link, kept up to date, so that Ctrl-click and middle-click work too.
      this.share = element("a", { class: "asl-run-share", href: PLAYGROUND_URL, text: "Open in playground" });
      this.share.addEventListener("click", function (event) {
        if (self.share.dataset.ready) return;
        event.preventDefault();
        self.updateShareLink().then(function () { location.href = self.share.href; });
      });
      bar.appendChild(this.share);
    } else if (this.options.onCopy) {
      var copy = element("button", { type: "button", class: "button button-quiet asl-run-share", text: "Copy link" });
      copy.addEventListener("click", function () { self.options.onCopy(self); });
      bar.appendChild(copy);
    }

    this.input = element("textarea", {
      id: id + "-input", class: "asl-json asl-run-input", rows: "4", spellcheck: "false",
      "aria-describedby": id + "-input-error"
    });
    this.input.value = this.options.input || "{}";
    this.inputError = element("p", { id: id + "-input-error", class: "asl-field-error", role: "alert", hidden: true });
    this.mockRows = element("div", { class: "asl-mock-rows" });
    this.mocksError = element("p", { id: id + "-mocks-error", class: "asl-field-error", role: "alert", hidden: true });
    var setup = element("details", { class: "asl-run-setup" }, [
      element("summary", { text: "Input and Task results" }),
      element("label", { class: "asl-run-label", for: id + "-input", text: "Execution input (JSON)" }),
      this.input,
      this.inputError,
      element("fieldset", { class: "asl-mocks" }, [
        element("legend", { text: "Task results (mocks)" }),
        this.mockRows,
        this.mocksError
      ])
    ]);

    this.outcome = element("div", { class: "asl-run-outcome", hidden: true });
    this.events = element("tbody");
    var table = element("table", { class: "asl-events" }, [
      element("caption", { text: "Execution history" }),
      element("thead", {}, [element("tr", {}, [
        element("th", { scope: "col", text: "ID" }),
        element("th", { scope: "col", text: "Type" }),
        element("th", { scope: "col", text: "State" }),
        element("th", { scope: "col", text: "Time", title: "Simulated time since the start: it moves only for Waits, Retry intervals and mocked delays" })
      ])]),
      this.events
    ]);
    this.flowTitle = element("h4", { text: "Data flow" });
    this.flow = element("div", { class: "asl-flow-body" }, [
      element("p", { class: "asl-flow-hint", text: "Select a state in the diagram or the history." })
    ]);
    this.results = element("div", { class: "asl-run-results", hidden: true }, [
      element("div", { class: "asl-run-columns" }, [
        element("div", { class: "asl-events-wrap", tabindex: "0", "aria-label": "Execution history" }, [table]),
        element("section", { class: "asl-flow", "aria-live": "polite" }, [this.flowTitle, this.flow])
      ])
    ]);

    this.root = element("div", { class: "asl-run", id: id }, [bar, this.outcome, setup, this.results]);
    var legendList = this.viewer.legend;
    legendList.parentNode.insertBefore(this.root, legendList.nextSibling);

    this.runButton.addEventListener("click", function () { self.go("run"); });
    this.stepButton.addEventListener("click", function () { self.go("step"); });
    this.resetButton.addEventListener("click", function () { self.reset(); });
    // Fetch the engine as soon as a reader shows interest.
    this.root.addEventListener("pointerenter", function () { engine().catch(function () {}); }, { once: true });
    this.root.addEventListener("focusin", function () { engine().catch(function () {}); }, { once: true });
    // Changing the input or a mock starts over (and changes what a link to the playground holds).
    function changed() {
      if (self.execution !== null) self.reset();
      if (self.share) {
        delete self.share.dataset.ready;
        window.clearTimeout(self.shareTimer);
        self.shareTimer = window.setTimeout(function () { self.updateShareLink(); }, 300);
      }
    }
    setup.addEventListener("input", changed);
    setup.addEventListener("change", changed);
    this.bindDiagram();
  };

  /** Points the "Open in playground" link at this definition, input and mocks. */
  RunPanel.prototype.updateShareLink = function () {
    var self = this;
    return encodeShare(shared(this)).then(function (hash) {
      self.share.href = PLAYGROUND_URL + "#" + hash;
      self.share.dataset.ready = "1";
    });
  };

  /** Clicking a state in the diagram (or Enter on it) shows its data flow. */
  RunPanel.prototype.bindDiagram = function () {
    var self = this;
    var svg = this.diagram.svg;
    if (!svg || svg.dataset.aslBound) return;
    svg.dataset.aslBound = "1";
    svg.addEventListener("click", function (event) {
      var group = event.target.closest && event.target.closest("g.asl-state[data-state]");
      if (!group) return;
      event.stopPropagation();
      self.pick(group.getAttribute("data-state"));
    });
    // Escape on a state reached from the history goes back to that row.
    svg.addEventListener("keydown", function (event) {
      var row = self.returnRow;
      if (event.key !== "Escape" || !row || !row.isConnected || self.viewer.isFull()) return;
      event.preventDefault();
      self.returnRow = null;
      row.focus();
    });
  };

  /** Replaces the diagram (the playground redraws it as the definition changes). */
  /** Replaces the diagram; `mocks` (JSON text) replaces the rows too, else they are kept as
      they are while the Task states stay the same (typing elsewhere costs nothing here). */
  RunPanel.prototype.setDiagram = function (svg, mocks) {
    var before = this.diagram.tasks().join("\n");
    var hadDiagram = Boolean(this.diagram.svg);
    this.reset();
    this.viewer.attach(svg);
    this.diagram = new Diagram(svg);
    this.bindDiagram();
    if (mocks !== undefined) this.setMocks(mocks);
    else if (!hadDiagram || this.diagram.tasks().join("\n") !== before) this.setMocks(this.mocksText());
  };

  /** One row per Task: no mock, a return value, an error, or responses per invocation. */
  RunPanel.prototype.setMocks = function (text) {
    var mocks = {};
    try { mocks = text && text.trim() ? JSON.parse(text) : {}; } catch (e) { mocks = {}; }
    if (!mocks || typeof mocks !== "object" || Array.isArray(mocks)) mocks = {};
    // The objects a Distributed Map reads (the mocks' reserved "S3" key) have no row: they are
    // kept as given and sent with every run.
    this.s3Objects = mocks.S3 && typeof mocks.S3 === "object" ? mocks.S3 : null;
    this.mockRows.textContent = "";
    var tasks = this.diagram.tasks();
    if (!this.diagram.svg) {
      this.mockRows.appendChild(element("p", { class: "asl-mock-none", text: "The Task states are listed once the engine has read the definition." }));
    } else if (tasks.length === 0) {
      this.mockRows.appendChild(element("p", { class: "asl-mock-none", text: "This state machine has no Task states." }));
    }
    tasks.forEach(function (name, index) {
      this.mockRows.appendChild(this.mockRow(name, mocks[name], index));
    }, this);
  };

  RunPanel.prototype.mockRow = function (name, mock, index) {
    var id = this.id + "-mock-" + index;
    var mode = "none";
    var value = "";
    var error = "";
    var cause = "";
    if (mock && typeof mock === "object") {
      if ("Return" in mock && Object.keys(mock).length === 1) {
        mode = "return";
        value = pretty(mock.Return);
      } else if ("Throw" in mock && Object.keys(mock).length === 1) {
        mode = "throw";
        error = (mock.Throw && mock.Throw.Error) || "";
        cause = (mock.Throw && mock.Throw.Cause) || "";
      } else {
        mode = "sequence";
        value = pretty(mock);
      }
    }
    var select = element("select", { id: id + "-mode", class: "asl-mock-mode" }, [
      ["none", "No mock: returns its input"],
      ["return", "Returns a value"],
      ["throw", "Fails with an error"],
      ["sequence", "Per invocation (JSON)"]
    ].map(function (option) {
      return element("option", { value: option[0], text: option[1] });
    }));
    select.value = mode;
    var valueField = element("textarea", {
      class: "asl-json asl-mock-value", rows: "3", spellcheck: "false",
      "aria-label": name + ": returned value or responses (JSON)"
    });
    valueField.value = value;
    // The errors that matter are the ones the definition's Retry and Catch name (read again
    // whenever the field is shown or focused: the definition may have changed).
    var definition = this.options.definition;
    var names = element("datalist", { id: id + "-errors" });
    function offerNames() {
      names.textContent = "";
      errorNames(definition(), name).forEach(function (n) { names.appendChild(element("option", { value: n })); });
    }
    var errorField = element("input", {
      class: "asl-mock-error", type: "text", list: id + "-errors", placeholder: "Error name, e.g. States.TaskFailed",
      "aria-label": name + ": error name", spellcheck: "false", autocomplete: "off"
    });
    errorField.value = error;
    var causeField = element("input", { class: "asl-mock-cause", type: "text", placeholder: "Cause (optional)", "aria-label": name + ": cause", spellcheck: "false" });
    causeField.value = cause;
    var problem = element("p", { class: "asl-field-error", role: "alert", hidden: true });
    var row = element("div", { class: "asl-mock", "data-task": name }, [
      element("label", { class: "asl-mock-name", for: id + "-mode", text: name }),
      select, valueField, errorField, names, causeField, problem
    ]);
    var previous = mode;
    function sync() {
      valueField.hidden = !(select.value === "return" || select.value === "sequence");
      errorField.hidden = causeField.hidden = select.value !== "throw";
      if (select.value === "throw") offerNames();
      if (select.value === "throw" && !errorField.value) errorField.value = "States.TaskFailed";
      if (select.value === "sequence" && previous !== "sequence") {
        // Per invocation starts from what the row answered so far, as invocation 0.
        var first = { Return: {} };
        if (previous === "return") {
          try { first = { Return: JSON.parse(valueField.value) }; } catch (e) { first = { Return: {} }; }
        } else if (previous === "throw") {
          first = { Throw: { Error: errorField.value.trim() || "States.TaskFailed" } };
          if (causeField.value) first.Throw.Cause = causeField.value;
        }
        valueField.value = pretty({ "0": first, "1": { Return: {} } });
      }
      previous = select.value;
    }
    select.addEventListener("change", sync);
    errorField.addEventListener("focus", offerNames);
    sync();
    return row;
  };

  /**
   * The mocks the rows describe, as an object; a row whose JSON does not parse gets its
   * message and makes this return null.
   */
  RunPanel.prototype.mocks = function () {
    var mocks = this.s3Objects ? { S3: this.s3Objects } : {};
    var ok = true;
    Array.prototype.forEach.call(this.mockRows.querySelectorAll(".asl-mock"), function (row) {
      var name = row.getAttribute("data-task");
      var mode = row.querySelector(".asl-mock-mode").value;
      var problem = row.querySelector(".asl-field-error");
      showError(problem, "");
      if (mode === "throw") {
        var thrown = { Error: row.querySelector(".asl-mock-error").value.trim() };
        var cause = row.querySelector(".asl-mock-cause").value;
        if (cause) thrown.Cause = cause;
        mocks[name] = { Throw: thrown };
      } else if (mode === "return" || mode === "sequence") {
        var text = row.querySelector(".asl-mock-value").value;
        try {
          var value = JSON.parse(text);
          mocks[name] = mode === "return" ? { Return: value } : value;
        } catch (e) {
          ok = false;
          showError(problem, name + ": not valid JSON (" + e.message + ")");
        }
      }
    });
    return ok ? mocks : null;
  };

  /** The rows as mocks JSON text (invalid rows left out), to keep them across redraws. */
  RunPanel.prototype.mocksText = function () {
    var mocks = this.mocks();
    return mocks ? JSON.stringify(mocks) : "";
  };

  RunPanel.prototype.setBusy = function (busy) {
    this.busy = busy;
    this.root.classList.toggle("asl-busy", busy);
  };

  /** Starts the execution if needed, then takes one step or runs to the end. */
  RunPanel.prototype.go = function (how) {
    var self = this;
    if (this.busy || this.finished) return;
    if (engineState.state !== "ready") {
      // Kept until the engine is ready (updateButtons starts it then).
      this.queued = how;
      engine().catch(function () {});
      this.updateButtons();
      return;
    }
    var generation = this.generation;
    this.setBusy(true);
    var asl;
    engine().then(function (loaded) {
      asl = loaded;
      if (generation !== self.generation) return false; // reset while the engine loaded
      return self.execution === null ? self.start(asl, generation) : true;
    }).then(function (started) {
      if (!started || generation !== self.generation) return null;
      return asl.call(how, { id: self.execution });
    }).then(function (response) {
      if (response && generation === self.generation) self.apply(response);
    }).catch(function (error) {
      self.status.textContent = "Cannot run: " + error.message;
    }).then(function () {
      self.setBusy(false);
    });
  };

  /** Starts an execution; resolves to whether it started. */
  RunPanel.prototype.start = function (asl, generation) {
    var self = this;
    showError(this.inputError, "");
    showError(this.mocksError, "");
    var mocks = this.mocks();
    if (mocks === null) {
      this.status.textContent = "Fix the Task results first.";
      this.openSetup();
      return false;
    }
    return asl.call("start", {
      definition: this.options.definition(),
      input: this.input.value,
      mocks: JSON.stringify(mocks),
      maxTransitions: MAX_TRANSITIONS
    }).then(function (started) {
      if (generation !== self.generation) {
        if (started.ok) asl.call("drop", { id: started.id });
        return false;
      }
      return self.started(started);
    });
  };

  RunPanel.prototype.started = function (started) {
    if (!started.ok) {
      var where = started.line ? " (line " + started.line + ", column " + started.column + ")" : "";
      if (started.field === "input") {
        showError(this.inputError, started.error + where);
        this.openSetup();
        this.input.focus();
      } else if (started.field === "mocks") {
        showError(this.mocksError, started.error + where);
        this.openSetup();
      }
      this.status.textContent = started.field === "definition"
        ? "Fix the definition's errors to run it." : "Not started: " + started.error;
      return false;
    }
    this.execution = started.id;
    this.results.hidden = false;
    this.diagram.begin();
    this.viewer.showLegend(true);
    return true;
  };

  RunPanel.prototype.openSetup = function () {
    this.root.querySelector(".asl-run-setup").open = true;
  };

  /** Shows what a step or run did: history rows, highlighting, progress and the outcome. */
  RunPanel.prototype.apply = function (response) {
    if (!response.ok) {
      this.status.textContent = "Cannot run: " + response.error;
      return;
    }
    response.events.forEach(this.record, this);
    this.diagram.clearCurrent();
    response.position.forEach(function (level) {
      this.diagram.mark(level.state, "asl-current");
      if (level.child) {
        var group = this.diagram.state(level.state);
        var word = group && group.classList.contains("asl-map") ? "iteration" : "branch";
        this.diagram.progress(level.state, word + " " + (level.child.current + 1) + " / " + level.child.count);
      }
    }, this);
    this.position = response.position;
    if (response.outcome) this.finish(response.outcome);
    else {
      var innermost = response.position[response.position.length - 1];
      this.status.textContent = plural(this.steps, "event") + (innermost ? " · next: " + innermost.state : "");
    }
    if (this.selected !== null) this.showFlow(this.selected);
  };

  /** One history event: a row, and what it means for the diagram. */
  RunPanel.prototype.record = function (event) {
    this.history.push(event);
    this.steps = this.history.length;
    var state = event.state || null;
    var type = event.type;
    // The simulator's clock moves only for Waits, Retry intervals and mocked delays, so the
    // time is written where it moved and left blank where it did not.
    var time = Date.parse(event.timestamp);
    if (this.startedAt === null) this.startedAt = time;
    var moved = this.lastTime === undefined || time !== this.lastTime;
    this.lastTime = time;
    var row = element("tr", { class: /Failed$|TimedOut$/.test(type) ? "asl-event-failed" : null }, [
      element("td", { text: String(event.id) }),
      element("td", { class: "asl-event-type", text: type }),
      element("td", { class: "asl-event-state", text: state || "" }),
      element("td", { class: "asl-event-time", text: moved ? duration(time - this.startedAt) : "" })
    ]);
    row.dataset.id = String(event.id);
    if (state !== null) {
      row.tabIndex = 0;
      row.dataset.state = state;
    }
    this.events.appendChild(row);

    var d = this.diagram;
    if (/StateEntered$/.test(type) && state !== null) {
      d.mark(state, "asl-visited");
      this.open.push(state);
      // The edge in: from the latest exited state that has one, else from a start marker.
      var from = null;
      for (var i = this.exited.length - 1; i >= 0; i--) {
        if (d.hasEdge(this.exited[i], state)) { from = this.exited[i]; break; }
      }
      d.markEdge(from, state);
      if (type === "FailStateEntered") d.setStatus(state, "failed");
    } else if (/StateExited$/.test(type) && state !== null) {
      var at = this.open.lastIndexOf(state);
      if (at >= 0) this.open.splice(at, 1);
      this.exited.push(state);
      var caught = (event.dataFlow || []).some(function (s) { return s.step === "Error"; });
      if (caught) d.setStatus(state, "caught");
      else {
        d.setStatus(state, "succeeded"); // perhaps after a retry
        d.markEdge(state, null);
      }
    } else if (/^(MapState|ParallelState)Failed$/.test(type) && state !== null) {
      // The states still running inside the container failed with it.
      var inside = this.open.splice(this.open.lastIndexOf(state) + 1);
      inside.forEach(function (name) {
        d.setStatus(name, "failed");
        this.failures[name] = { error: "", cause: "It failed, and its branch or iteration failed with it." };
      }, this);
      d.setStatus(state, "failed");
    } else if (/^Task.*(Failed|TimedOut)$/.test(type) && state !== null) {
      d.setStatus(state, "failed");
      var failed = event.taskFailedEventDetails || event.taskTimedOutEventDetails || {};
      this.failures[state] = { error: failed.error || "", cause: failed.cause || "" };
    } else if (type === "ExecutionFailed" || type === "ExecutionTimedOut") {
      var last = this.open[this.open.length - 1];
      if (last !== undefined) {
        d.setStatus(last, "failed");
        var ended = event.executionFailedEventDetails || event.executionTimedOutEventDetails || {};
        this.failures[last] = { error: ended.error || "", cause: ended.cause || "" };
      }
    }
    if (/^Map(State|Iteration)|^ParallelState/.test(type)) this.progressDone(event);
  };

  /** Keeps the container's label once it finished. */
  RunPanel.prototype.progressDone = function (event) {
    if (event.type === "MapStateStarted") {
      this.mapLength = this.mapLength || {};
      this.mapLength[event.state] = event.mapStateStartedEventDetails.length;
    }
    if (event.type === "MapStateSucceeded" && this.mapLength) {
      var n = this.mapLength[event.state] || 0;
      this.diagram.progress(event.state, plural(n, "iteration") + " done");
    }
    if (event.type === "ParallelStateSucceeded") this.diagram.progress(event.state, "all branches done");
  };

  RunPanel.prototype.finish = function (outcome) {
    this.finished = true;
    var hadFocus = document.activeElement === this.runButton || document.activeElement === this.stepButton;
    this.runButton.disabled = this.stepButton.disabled = true;
    // A disabled button drops the keyboard focus; Reset is what comes next.
    if (hadFocus) this.resetButton.focus();
    var status = outcome.status;
    var body = [];
    if (status === "SUCCEEDED") {
      this.status.textContent = "Succeeded · " + plural(this.steps, "event");
      body.push(element("p", { class: "asl-outcome-title", text: "Execution succeeded. Output:" }));
      body.push(element("pre", { class: "asl-json-view", text: pretty(outcome.output) }));
    } else if (outcome.error === TRANSITION_LIMIT) {
      this.status.textContent = "Stopped";
      body.push(element("p", {
        class: "asl-outcome-title",
        text: "Stopped after " + MAX_TRANSITIONS.toLocaleString("en") + " state transitions, the simulator's limit: a loop may never end."
      }));
    } else if (outcome.error === UNSUPPORTED) {
      this.status.textContent = "Not simulated";
      body.push(element("p", { class: "asl-outcome-title", text: "The simulator cannot run this state machine yet." }));
      if (outcome.cause) body.push(element("p", { text: outcome.cause }));
    } else {
      this.status.textContent = (status === "TIMED_OUT" ? "Timed out" : "Failed") + " · " + plural(this.steps, "event");
      body.push(element("p", { class: "asl-outcome-title", text: "Execution " + (status === "TIMED_OUT" ? "timed out" : "failed") + ": " + (outcome.error || "") }));
      if (outcome.cause) body.push(element("pre", { class: "asl-json-view", text: outcome.cause }));
    }
    this.outcome.textContent = "";
    this.outcome.className = "asl-run-outcome asl-outcome-" + status.toLowerCase().replace("_", "-");
    body.forEach(function (node) { this.outcome.appendChild(node); }, this);
    this.outcome.hidden = false;
    // The outcome sits under the buttons; a long page scrolls just enough to show it.
    if (this.outcome.scrollIntoView) this.outcome.scrollIntoView({ block: "nearest" });
  };

  /**
   * Shows the data flow of one visit of `state`: the visit that holds history event `at`, or
   * the latest one. Its history rows are highlighted.
   */
  RunPanel.prototype.select = function (state, at) {
    this.selected = state;
    this.selectedAt = at === undefined ? null : at;
    this.diagram.select(state);
    this.viewer.reveal(this.diagram.state(state));
    this.showFlow(state);
  };

  /** The entered and exited events of the visit of `state` holding event `at` (or the last). */
  RunPanel.prototype.visit = function (state, at) {
    var entered = null;
    var exited = null;
    this.history.forEach(function (event) {
      if (event.state !== state) return;
      if (/StateEntered$/.test(event.type) && (at === null || event.id <= at)) {
        entered = event;
        exited = null;
      } else if (/StateExited$/.test(event.type) && entered && !exited) {
        exited = event;
      }
    });
    return { entered: entered, exited: exited };
  };

  /**
   * The visit's data flow with TestState's field names and values (the engine computes them as
   * `awskb asl test-state --inspection-level DEBUG` does): its status, and for a caught error
   * the error and cause, then each `inspectionData` field, the output and the variables.
   */
  RunPanel.prototype.showFlow = function (state) {
    var visit = this.visit(state, this.selectedAt);
    var last = visit.exited ? visit.exited.id : Infinity;
    Array.prototype.forEach.call(this.events.querySelectorAll("tr"), function (row) {
      var id = Number(row.dataset.id);
      row.classList.toggle("asl-event-selected", row.dataset.state === state && visit.entered !== null &&
        id >= visit.entered.id && id <= last);
    });
    this.flowTitle.textContent = "Data flow: " + state;
    this.flow.textContent = "";
    var list = element("dl", { class: "asl-flow-steps" });
    var previous = null;
    /** One field: its TestState name, what it holds, and its value (JSON text, or plain). A
        value the field left as it was is folded under "same as …". */
    function add(field, what, value, json) {
      var shown = json ? prettyText(value) : value;
      // The payload passes from field to field; the variables are not part of that chain.
      var chain = json && field !== "variables";
      var same = chain && previous !== null && shown === previous.text ? previous.field : null;
      if (chain) previous = { field: same || field, text: shown };
      var view = element(json ? "pre" : "p", { class: json ? "asl-json-view" : "asl-flow-text", text: shown });
      list.appendChild(element("dt", {}, [
        element("code", { text: field }),
        what ? element("span", { class: "asl-flow-what", text: what }) : null
      ]));
      list.appendChild(element("dd", {}, [
        same ? element("details", { class: "asl-flow-same" }, [element("summary", { text: "same as " + same }), view]) : view
      ]));
    }
    function note(text) {
      list.appendChild(element("p", { class: "asl-flow-hint", text: text }));
    }
    if (visit.exited) {
      var flow = visit.exited.dataFlow || [];
      var caught = flow.filter(function (s) { return s.step === "Error"; })[0];
      add("status", caught ? "a Catch took the error" : "", caught ? "CAUGHT_ERROR" : "SUCCEEDED", false);
      if (caught) {
        if (caught.value.Error) add("error", "", caught.value.Error, false);
        if (caught.value.Cause) add("cause", "", caught.value.Cause, false);
      }
      var data = visit.exited.inspectionData || {};
      var details = visit.exited.stateExitedEventDetails || {};
      INSPECTION_FIELDS.forEach(function (field) {
        var value = field[0] === "output" ? details.output : data[field[0]];
        if (value !== undefined) add(field[0], field[1], value, true);
      });
    } else if (visit.entered) {
      var failure = this.failures[state];
      if (failure) {
        add("status", this.finished ? "" : "to be retried or caught", "FAILED", false);
        add("error", "", failure.error || "(no error name)", false);
        if (failure.cause) add("cause", "", failure.cause, false);
      }
      add("input", INSPECTION_FIELDS[0][1], (visit.entered.stateEnteredEventDetails || {}).input, true);
      if (!failure) note(this.finished ? "The execution ended before this state finished." : "The state has not finished yet.");
    } else {
      note("This state has not run.");
    }
    this.flow.appendChild(list);
  };

  /**
   * Moves the keyboard focus to `state` in the diagram (a history row was chosen), panned into
   * the canvas and scrolled into the window; Escape there goes back to `row`.
   */
  RunPanel.prototype.focusState = function (state, row) {
    var group = this.diagram.state(state);
    if (!group) return;
    this.returnRow = row || null;
    this.viewer.focusState(group);
  };

  RunPanel.prototype.reset = function () {
    var id = this.execution;
    this.execution = null;
    this.generation = (this.generation || 0) + 1;
    if (id !== null) engine().then(function (asl) { return asl.call("drop", { id: id }); }).catch(function () {});
    this.history = [];
    this.open = [];
    this.exited = [];
    this.steps = 0;
    this.startedAt = null;
    this.selected = null;
    this.selectedAt = null;
    this.failures = {};
    this.finished = false;
    this.position = [];
    this.mapLength = {};
    this.lastTime = undefined;
    this.queued = null;
    this.updateButtons();
    this.viewer.showLegend(false);
    this.events.textContent = "";
    this.outcome.hidden = true;
    this.results.hidden = true;
    this.flowTitle.textContent = "Data flow";
    this.flow.textContent = "";
    this.flow.appendChild(element("p", { class: "asl-flow-hint", text: "Select a state in the diagram or the history." }));
    this.status.textContent = "";
    this.diagram.clear();
  };

  RunPanel.prototype.bindHistory = function () {
    var self = this;
    function pick(event) {
      var row = event.target.closest("tr[data-state]");
      if (!row) return;
      self.select(row.dataset.state, Number(row.dataset.id));
      self.focusState(row.dataset.state, row);
    }
    this.events.addEventListener("click", pick);
    this.events.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        pick(event);
      }
    });
  };

  /* 5. Sharing: a definition, input and mocks in the address (#asl=…) ------------------- */
  function toBase64Url(bytes) {
    var text = "";
    for (var i = 0; i < bytes.length; i += 0x8000) {
      text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function fromBase64Url(text) {
    var binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function pipe(bytes, stream) {
    return new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer()
      .then(function (buffer) { return new Uint8Array(buffer); });
  }

  /** `#asl=` + deflated JSON in base64url (`#asl-raw=` where the browser cannot deflate). */
  function encodeShare(shared) {
    var bytes = encoder.encode(JSON.stringify(shared));
    if (!window.CompressionStream) return Promise.resolve("asl-raw=" + toBase64Url(bytes));
    return pipe(bytes, new CompressionStream("deflate-raw")).then(function (packed) {
      return "asl=" + toBase64Url(packed);
    });
  }

  /** The shared setup in `hash`, null when it holds none; rejects when it is damaged. */
  function decodeShare(hash) {
    var match = /^#(asl|asl-raw)=([A-Za-z0-9_-]*)$/.exec(hash);
    if (!match) return Promise.resolve(null);
    return Promise.resolve().then(function () {
      var bytes = fromBase64Url(match[2]);
      return match[1] === "asl-raw" ? bytes : pipe(bytes, new DecompressionStream("deflate-raw"));
    }).then(function (raw) {
      var shared = JSON.parse(decoder.decode(raw));
      if (typeof shared.definition !== "string") throw new Error("no definition");
      return shared;
    });
  }

  function shared(panel) {
    return { definition: panel.options.definition(), input: panel.input.value, mocks: panel.mocksText() };
  }

  /* 7. The definition editor: CodeMirror 6 (static/js/vendor/codemirror.js, bundled from npm
     by web/build.mjs), or the plain text area until it has loaded or when it cannot. ------- */
  var codeMirrorLoading = null;

  function loadCodeMirror() {
    if (!codeMirrorLoading) {
      codeMirrorLoading = new Promise(function (resolve, reject) {
        if (window.awskbCodeMirror) { resolve(window.awskbCodeMirror); return; }
        var script = document.createElement("script");
        script.src = CODEMIRROR_URL;
        script.onload = function () { resolve(window.awskbCodeMirror); };
        script.onerror = function () { reject(new Error("the editor could not be loaded")); };
        document.head.appendChild(script);
      });
    }
    return codeMirrorLoading;
  }

  /** Whether `text` is YAML rather than JSON: JSON starts with `{` (after blanks and nothing else). */
  function isYaml(text) {
    return !/^\s*(\{|$)/.test(text);
  }

  /**
   * Where state `name` is defined in `text`: the offsets of its key and of the end of its body,
   * or null. JSON: the `"name": {` whose object holds a "Type"; YAML: the `name:` line and the
   * lines indented below it.
   */
  function stateRange(text, name) {
    var match;
    if (!isYaml(text)) {
      var key = new RegExp('"' + literal(name).replace(/"/g, '\\\\"') + '"\\s*:\\s*\\{', "g");
      while ((match = key.exec(text))) {
        var end = closingBrace(text, match.index + match[0].length - 1);
        if (end > 0 && /"Type"\s*:/.test(text.slice(match.index, end))) return { from: match.index, to: end + 1 };
      }
      return null;
    }
    var keyLine = new RegExp("^([ \\t]*)([\"']?)" + literal(name) + "\\2[ \\t]*:[ \\t]*(#.*)?$", "gm");
    while ((match = keyLine.exec(text))) {
      var indent = match[1].length;
      var last = match.index + match[0].length;
      var pos = last + 1;
      // The body: the following lines indented deeper (blank and comment lines skipped).
      while (pos <= text.length) {
        var lineEnd = text.indexOf("\n", pos);
        if (lineEnd < 0) lineEnd = text.length;
        var lineText = text.slice(pos, lineEnd);
        if (!/^\s*(#.*)?$/.test(lineText)) {
          if (/^[ \t]*/.exec(lineText)[0].length <= indent) break;
          last = lineEnd;
        }
        pos = lineEnd + 1;
      }
      if (/\bType\s*:/.test(text.slice(match.index, last))) return { from: match.index, to: last };
    }
    return null;
  }

  /** `text` as a regular expression that matches it literally. */
  function literal(text) {
    return text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
  }

  /** The offset of the `}` closing the `{` at `open` (strings skipped), or -1. */
  function closingBrace(text, open) {
    var depth = 0;
    for (var i = open; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c === 34) { // a string, which never spans lines (an unclosed one ends at the line's end)
        for (i++; i < text.length && text.charCodeAt(i) !== 34 && text.charCodeAt(i) !== 10; i++) {
          if (text.charCodeAt(i) === 92) i++;
        }
      } else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) { if (--depth === 0) return i; }
    }
    return -1;
  }

  /**
   * The editor of the playground. `options`: `onChange()` after each edit, `onCursor(offset)`
   * when the reader moves the cursor, `states()` the state names for completion, `fields(type)`
   * the fields a state type accepts.
   */
  function Editor(textarea, options) {
    var self = this;
    this.textarea = textarea;
    this.options = options;
    this.view = null;
    this.diagnostics = [];
    textarea.addEventListener("input", function () { if (!self.view) options.onChange(); });
    loadCodeMirror().then(function (cm) { self.upgrade(cm); }, function () { /* the text area stays */ });
  }

  Editor.prototype.value = function () {
    return this.view ? this.view.state.doc.toString() : this.textarea.value;
  };

  Editor.prototype.setValue = function (text) {
    if (!this.view) { this.textarea.value = text; return; }
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  };

  /** Selects `from`..`to` and scrolls it to the middle of the editor; `focus` moves the focus. */
  Editor.prototype.select = function (from, to, focus) {
    if (!this.view) {
      if (focus) this.textarea.focus();
      this.textarea.setSelectionRange(from, to);
      return;
    }
    var cm = this.cm;
    var length = this.view.state.doc.length;
    from = Math.min(from, length);
    to = Math.min(Math.max(to, from), length);
    this.quiet = true;
    this.view.dispatch({
      selection: cm.EditorSelection.range(from, to),
      effects: cm.EditorView.scrollIntoView(from, { y: "center" })
    });
    this.quiet = false;
    if (focus) this.view.focus();
  };

  /** Shows the engine's diagnostics as underlines, gutter marks and hover messages. */
  Editor.prototype.setDiagnostics = function (found) {
    this.diagnostics = found;
    if (!this.view) return;
    var length = this.view.state.doc.length;
    var marks = found.map(function (d) {
      var from = Math.min(d.start.offset, length);
      var to = Math.min(Math.max(d.end.offset, from), length);
      return {
        from: from, to: to, severity: d.severity, source: d.code,
        message: d.message + (d.help ? "\n" + d.help : "")
      };
    });
    this.view.dispatch(this.cm.setDiagnostics(this.view.state, marks));
  };

  Editor.prototype.upgrade = function (cm) {
    var self = this;
    var options = this.options;
    this.cm = cm;
    var language = new cm.Compartment();
    var yaml = isYaml(this.textarea.value);
    var highlight = cm.HighlightStyle.define([
      { tag: cm.tags.propertyName, class: "asl-code-key" },
      { tag: cm.tags.string, class: "asl-code-string" },
      { tag: [cm.tags.number, cm.tags.bool, cm.tags.null], class: "asl-code-literal" },
      { tag: [cm.tags.comment, cm.tags.meta], class: "asl-code-comment" },
      { tag: [cm.tags.punctuation, cm.tags.separator, cm.tags.squareBracket, cm.tags.brace], class: "asl-code-punctuation" }
    ]);
    var holder = element("div", { class: "asl-editor" });
    this.textarea.parentNode.insertBefore(holder, this.textarea);
    this.view = new cm.EditorView({
      parent: holder,
      state: cm.EditorState.create({
        doc: this.textarea.value,
        extensions: [
          cm.lineNumbers(),
          cm.highlightActiveLineGutter(),
          cm.foldGutter(),
          cm.lintGutter(),
          cm.history(),
          cm.drawSelection(),
          cm.indentOnInput(),
          cm.bracketMatching(),
          cm.closeBrackets(),
          cm.highlightActiveLine(),
          cm.highlightSelectionMatches(),
          cm.syntaxHighlighting(highlight),
          language.of(yaml ? cm.yaml() : cm.json()),
          cm.autocompletion({ override: [function (context) { return self.complete(context); }] }),
          cm.keymap.of([].concat(cm.closeBracketsKeymap, cm.defaultKeymap, cm.searchKeymap, cm.historyKeymap,
            cm.foldKeymap, cm.completionKeymap, [cm.indentWithTab])),
          cm.EditorView.contentAttributes.of({
            // In the Tab order by its own attribute: axe-core then counts the editor as the
            // focusable content of its scrolling box (`scrollable-region-focusable`).
            tabindex: "0",
            "aria-label": "Definition (JSON or YAML)",
            "aria-describedby": this.textarea.getAttribute("aria-describedby") || ""
          }),
          cm.EditorView.updateListener.of(function (update) {
            if (update.docChanged) {
              var nowYaml = isYaml(update.state.doc.toString());
              if (nowYaml !== yaml) {
                yaml = nowYaml;
                window.setTimeout(function () {
                  self.view.dispatch({ effects: language.reconfigure(yaml ? cm.yaml() : cm.json()) });
                }, 0);
              }
              self.textarea.value = update.state.doc.toString();
              options.onChange();
            }
            if (update.selectionSet && !self.quiet && !update.docChanged) {
              options.onCursor(update.state.selection.main.head);
            }
          })
        ]
      })
    });
    this.textarea.hidden = true;
    // The label names the editor now.
    var label = document.querySelector('label[for="' + this.textarea.id + '"]');
    if (label) label.addEventListener("click", function () { self.view.focus(); });
    this.setDiagnostics(this.diagnostics);
  };

  /** Completion: state names after Next, Default and StartAt; the fields a state's type accepts. */
  Editor.prototype.complete = function (context) {
    var line = context.state.doc.lineAt(context.pos);
    var before = line.text.slice(0, context.pos - line.from);
    var target = /(?:^|[\s{,])"?(Next|Default|StartAt)"?\s*:\s*("?)([^"\s,}]*)$/.exec(before);
    if (target) {
      var quote = target[2];
      var json = !isYaml(context.state.doc.toString());
      // A closing quote typed (or closed automatically) after the cursor is replaced too.
      var after = context.state.sliceDoc(context.pos, context.pos + 1) === '"' && quote ? 1 : 0;
      return {
        from: context.pos - target[3].length - quote.length,
        to: context.pos + after,
        options: this.options.states().map(function (name) {
          return { label: json ? '"' + name + '"' : name, displayLabel: name, type: "variable", detail: "state" };
        }),
        validFor: /^"?[^"]*"?$/
      };
    }
    var key = /(^\s*|[{,]\s*)("?)([A-Za-z]*)$/.exec(before);
    if (!key || (!context.explicit && key[3] === "" && key[2] === "")) return null;
    var text = context.state.doc.toString();
    var type = this.stateTypeAt(text, context.pos);
    var fields = type ? this.options.fields(type) : [];
    if (!fields.length) return null;
    var yamlText = isYaml(text);
    var closing = key[2] && context.state.sliceDoc(context.pos, context.pos + 1) === '"' ? 1 : 0;
    return {
      from: context.pos - key[3].length - key[2].length,
      to: context.pos + closing,
      options: fields.map(function (field) {
        return {
          label: yamlText ? field.name + ": " : '"' + field.name + '": ',
          displayLabel: field.name,
          type: "property",
          detail: field.languages === "both" ? type : type + " · " + field.languages
        };
      }),
      validFor: /^"?[A-Za-z]*$/
    };
  };

  /** The `Type` of the innermost state whose definition holds `offset`. */
  Editor.prototype.stateTypeAt = function (text, offset) {
    var name = innermostState(text, this.options.states(), offset);
    if (name === null) return null;
    var range = stateRange(text, name);
    var type = /"?Type"?\s*:\s*"?(\w+)/.exec(text.slice(range.from, range.to));
    return type ? type[1] : null;
  };

  /** The innermost state of `names` whose definition in `text` holds `offset`, or null. */
  function innermostState(text, names, offset) {
    var best = null;
    var size = Infinity;
    names.forEach(function (name) {
      var range = stateRange(text, name);
      if (range && range.from <= offset && offset <= range.to && range.to - range.from < size) {
        best = name;
        size = range.to - range.from;
      }
    });
    return best;
  }

  /* 8. The playground --------------------------------------------------------------------- */
  function Playground(root) {
    var self = this;
    this.root = root;
    this.diagnostics = root.querySelector(".asl-diagnostics");
    this.summary = root.querySelector(".asl-diagnostics-summary");
    this.figure = root.querySelector(".asl-figure");
    this.canvas = this.figure.querySelector(".asl-canvas");
    this.shareStatus = root.querySelector(".asl-share-status");
    this.timer = 0;
    this.updates = 0;
    this.rendered = null;
    this.names = [];
    this.fieldTables = null;
    this.pendingMocks = root.dataset.mocks || "";
    this.editor = new Editor(root.querySelector(".asl-definition"), {
      onChange: function () { self.edited(); },
      onCursor: function (offset) { self.cursorMoved(offset); },
      states: function () { return self.names; },
      fields: function (type) { return (self.fieldTables && self.fieldTables[type]) || []; }
    });
    this.panel = new RunPanel({
      figure: this.figure,
      definition: function () { return self.editor.value(); },
      input: root.dataset.input || "{}",
      mocks: "",
      onCopy: function (panel) { self.share(panel); },
      onSelect: function (name) { self.showInEditor(name); }
    });
    this.panel.valid = false;
    this.panel.updateButtons();
    this.panel.bindHistory();
    this.panel.openSetup();
    watchEngine(function (state) {
      if (state.state === "loading") self.setSummary(loadingText() + " The definition is checked once it is ready.", "");
      else if (state.state === "failed") self.setSummary("The engine could not be loaded: " + state.error, "error");
    });
    // A link pasted into this tab changes only the fragment.
    window.addEventListener("hashchange", function () { self.load(); });
    engine().then(function (asl) { return asl.call("fields", {}); }).then(function (response) {
      if (response.ok) self.fieldTables = response.types;
    }).catch(function () { /* an engine without field tables completes state names only */ });
    this.load();
  }

  Playground.prototype.edited = function () {
    // A run of the old definition no longer matches the text.
    if (this.panel.execution !== null) this.panel.reset();
    this.notice = "";
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () { self.update(); }, 150);
  };

  /** Selects the definition of the state picked in the diagram. */
  Playground.prototype.showInEditor = function (name) {
    var range = stateRange(this.editor.value(), name);
    if (range) this.editor.select(range.from, range.to, false);
  };

  /** Selects, in the diagram, the state whose definition holds the cursor. */
  Playground.prototype.cursorMoved = function (offset) {
    var self = this;
    window.clearTimeout(this.cursorTimer);
    this.cursorTimer = window.setTimeout(function () {
      var name = innermostState(self.editor.value(), self.names, offset);
      if (name !== null && name !== self.panel.selected) self.panel.select(name);
    }, 120);
  };

  /** Loads the setup a link holds (`#asl=…`), if any, then checks and draws. */
  Playground.prototype.load = function () {
    var self = this;
    this.notice = "";
    decodeShare(location.hash).then(function (loaded) {
      if (!loaded) return;
      self.panel.reset();
      self.editor.setValue(loaded.definition);
      self.panel.input.value = loaded.input || "{}";
      self.pendingMocks = loaded.mocks || "";
      self.rendered = null;
    }).catch(function () {
      self.notice = "The shared link is damaged; showing the definition that was here instead. ";
    }).then(function () {
      self.update();
    });
  };

  Playground.prototype.setSummary = function (text, kind) {
    this.summary.textContent = (this.notice || "") + text;
    this.summary.className = "asl-diagnostics-summary" + (kind ? " asl-summary-" + kind : "");
  };

  /** Validates and draws the definition as it is now, in the engine's worker. */
  Playground.prototype.update = function () {
    var self = this;
    var text = this.editor.value();
    var generation = ++this.updates;
    engine().then(function (asl) {
      return asl.call("render", { definition: text, id: "_asl-playground" });
    }).then(function (response) {
      if (generation !== self.updates) return; // a newer edit follows
      if (!response.ok) throw new Error(response.error);
      self.showDiagnostics(response.diagnostics);
      self.figure.classList.toggle("asl-stale", !response.valid);
      if (response.valid && response.svg !== self.rendered) {
        self.rendered = response.svg;
        var mocks = self.pendingMocks;
        self.pendingMocks = undefined;
        self.canvas.innerHTML = response.svg;
        var svg = self.canvas.querySelector("svg");
        self.names = Array.prototype.map.call(svg.querySelectorAll("g.asl-state[data-state]"), function (g) {
          return g.getAttribute("data-state");
        });
        self.panel.setDiagram(svg, mocks);
      }
      self.panel.valid = response.valid;
      self.panel.updateButtons();
    }).catch(function (error) {
      self.setSummary("The engine could not be loaded: " + error.message, "error");
    });
  };

  Playground.prototype.showDiagnostics = function (found) {
    var self = this;
    this.editor.setDiagnostics(found);
    this.diagnostics.textContent = "";
    var errors = found.filter(function (d) { return d.severity === "error"; }).length;
    var warnings = found.length - errors;
    if (found.length === 0) this.setSummary("Valid: no problems found.", "ok");
    else {
      this.setSummary(
        (errors ? plural(errors, "error") : "") + (errors && warnings ? ", " : "") + (warnings ? plural(warnings, "warning") : ""),
        errors ? "error" : "warning"
      );
    }
    found.forEach(function (d) {
      var at = element("button", {
        type: "button", class: "asl-diagnostic-at", text: d.start.line + ":" + d.start.column,
        "aria-label": "Go to line " + d.start.line + ", column " + d.start.column
      });
      at.addEventListener("click", function () {
        self.editor.select(d.start.offset, Math.max(d.end.offset, d.start.offset), true);
      });
      var item = element("li", { class: "asl-diagnostic asl-diagnostic-" + d.severity }, [
        at,
        element("code", { class: "asl-diagnostic-code", text: d.code }),
        element("span", { class: "asl-diagnostic-message", text: d.message }),
        d.help ? element("span", { class: "asl-diagnostic-help", text: d.help }) : null
      ]);
      self.diagnostics.appendChild(item);
    });
  };

  Playground.prototype.share = function (panel) {
    var self = this;
    encodeShare(shared(panel)).then(function (hash) {
      history.replaceState(null, "", "#" + hash);
      var url = location.href;
      var copied = navigator.clipboard && window.isSecureContext
        ? navigator.clipboard.writeText(url) : Promise.reject(new Error("no clipboard"));
      return copied.then(function () {
        self.shareStatus.textContent = "Link copied.";
      }, function () {
        self.shareStatus.textContent = "The address bar now holds the link.";
      });
    });
  };

  /* 9. Start ------------------------------------------------------------------------------ */

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".content .asl-figure"), function (figure) {
      var source = figure.querySelector(".asl-source code");
      if (!source || !figure.querySelector(".asl-canvas svg")) return;
      var definition = source.textContent;
      var panel = new RunPanel({
        figure: figure,
        definition: function () { return definition; },
        input: figure.dataset.input,
        mocks: figure.dataset.mocks,
        linkToPlayground: Boolean(PLAYGROUND_URL)
      });
      panel.bindHistory();
      figure.classList.add("asl-runnable");
    });
    var playground = document.querySelector("[data-asl-playground-page]");
    if (playground) new Playground(playground);
  }

  if (ENGINE_URL) init();

  /* 10. The worker: loads asl.wasm and answers calls (its C ABI: JSON text in and out). ---- */
  function workerMain() {
    var encoder = new TextEncoder();
    var decoder = new TextDecoder();
    var module = null;
    var exports = null;

    function load(url) {
      return fetch(url).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status + " for " + url);
        var size = Number(response.headers.get("content-length")) || 0;
        if (size) self.postMessage({ kind: "size", size: size });
        return response.arrayBuffer();
      }).then(function (bytes) {
        return WebAssembly.compile(bytes);
      }).then(function (compiled) {
        module = compiled;
        return fresh();
      });
    }

    function fresh() {
      return WebAssembly.instantiate(module, {}).then(function (instance) { exports = instance.exports; });
    }

    function call(operation, text) {
      var bytes = encoder.encode(text);
      var pointer = exports.asl_alloc(bytes.length);
      new Uint8Array(exports.memory.buffer, pointer, bytes.length).set(bytes);
      var out = exports["asl_" + operation](pointer, bytes.length);
      return decoder.decode(new Uint8Array(exports.memory.buffer, out, exports.asl_response_len()));
    }

    var ready = null;
    self.onmessage = function (event) {
      var message = event.data;
      if (message.kind === "load") {
        ready = load(message.url);
        ready.then(function () { self.postMessage({ kind: "ready" }); }, function (error) {
          self.postMessage({ kind: "failed", error: error.message });
        });
        return;
      }
      ready.then(function () {
        if (typeof exports["asl_" + message.operation] !== "function") {
          // An engine older than this script (the `fields` operation came later).
          self.postMessage({ kind: "reply", sequence: message.sequence, error: "the engine has no operation " + message.operation });
          return;
        }
        try {
          self.postMessage({ kind: "reply", sequence: message.sequence, response: call(message.operation, message.request) });
        } catch (trap) {
          // A bug in the engine aborts it: a fresh instance answers the next call.
          ready = fresh();
          self.postMessage({
            kind: "reply", sequence: message.sequence,
            error: "the engine stopped unexpectedly (" + trap.message + "); press Reset to try again"
          });
        }
      });
    };
  }
})();
