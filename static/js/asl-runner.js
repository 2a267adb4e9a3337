/* awskb: run state machines in the browser with the engine of `awskb asl run` (asl.wasm).
   awskb.js loads this script once a page with diagrams is shown. It adds a run panel under
   every diagram (input and Task mocks, Run / Step / Reset, the execution history, each state's
   data flow, highlighting in the diagram) and drives the /playground/ page. The engine itself
   is fetched only when a panel is first used, or at once on the playground.
   Parts: 1 the engine · 2 small helpers · 3 the diagram · 4 the run panel · 5 sharing ·
   6 the playground · 7 start. */
(function () {
  "use strict";

  var me = document.currentScript;
  var ENGINE_URL = me && me.dataset.engine;
  var PLAYGROUND_URL = me && me.dataset.playground;
  /* A loop that never ends stops here: the command line's default budget. */
  var MAX_TRANSITIONS = 10000;
  var TRANSITION_LIMIT = "Simulator.TransitionLimitExceeded";
  var UNSUPPORTED = "Simulator.Unsupported";

  /* 1. The engine: asl.wasm's C ABI, JSON in and out ---------------------------------- */
  var engineLoading = null;
  var encoder = new TextEncoder();
  var decoder = new TextDecoder();

  function instantiate() {
    var imports = {};
    function viaBuffer() {
      return fetch(ENGINE_URL).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status + " for " + ENGINE_URL);
        return response.arrayBuffer();
      }).then(function (bytes) { return WebAssembly.instantiate(bytes, imports); });
    }
    if (!WebAssembly.instantiateStreaming) return viaBuffer().then(function (r) { return r.instance; });
    // Streaming needs the server to send application/wasm; any other type falls back.
    return WebAssembly.instantiateStreaming(fetch(ENGINE_URL), imports)
      .catch(viaBuffer)
      .then(function (r) { return r.instance; });
  }

  /** The engine, loaded once and shared by every panel. */
  function engine() {
    if (!engineLoading) {
      engineLoading = instantiate().then(function (instance) { return new Engine(instance.exports); });
      engineLoading.catch(function () { engineLoading = null; });
    }
    return engineLoading;
  }

  function Engine(exports) {
    this.exports = exports;
  }

  /** Calls an operation (`validate`, `render`, `start`, `step`, `run`, `drop`). */
  Engine.prototype.call = function (operation, request) {
    var x = this.exports;
    var bytes = encoder.encode(JSON.stringify(request));
    var pointer = x.asl_alloc(bytes.length);
    new Uint8Array(x.memory.buffer, pointer, bytes.length).set(bytes);
    var out;
    try {
      out = x["asl_" + operation](pointer, bytes.length);
    } catch (trap) {
      // A bug in the engine aborts it; the next call loads a fresh one.
      engineLoading = null;
      throw new Error("the engine stopped unexpectedly (" + trap.message + "); press Reset to try again");
    }
    var length = x.asl_response_len();
    return JSON.parse(decoder.decode(new Uint8Array(x.memory.buffer, out, length)));
  };

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

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  /* 3. The diagram: highlighting states and the path taken ----------------------------- */
  function Diagram(svg) {
    this.svg = svg;
  }

  Diagram.prototype.state = function (name) {
    if (!this.svg || name === null || name === undefined) return null;
    return this.svg.querySelector('g.asl-state[data-state="' + CSS.escape(name) + '"]');
  };

  Diagram.prototype.edges = function (selector) {
    return this.svg ? Array.prototype.slice.call(this.svg.querySelectorAll("g.asl-edge" + selector)) : [];
  };

  Diagram.prototype.mark = function (name, className, on) {
    var group = this.state(name);
    if (group) group.classList.toggle(className, on !== false);
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

  Diagram.prototype.clear = function () {
    if (!this.svg) return;
    ["asl-current", "asl-visited", "asl-failed", "asl-taken", "asl-selected"].forEach(function (name) {
      Array.prototype.forEach.call(this.svg.querySelectorAll("." + name), function (node) {
        node.classList.remove(name);
      });
    }, this);
    Array.prototype.forEach.call(this.svg.querySelectorAll(".asl-progress"), function (node) {
      node.remove();
    });
  };

  Diagram.prototype.clearCurrent = function () {
    if (!this.svg) return;
    Array.prototype.forEach.call(this.svg.querySelectorAll(".asl-current"), function (node) {
      node.classList.remove("asl-current");
    });
  };

  /** Writes "2 / 3" in the corner of a Map or Parallel container. */
  Diagram.prototype.progress = function (name, text) {
    var group = this.state(name);
    if (!group) return;
    var label = group.querySelector(":scope > .asl-progress");
    if (!label) {
      var box = group.querySelector(":scope > rect.asl-box");
      if (!box) return;
      label = document.createElementNS("http://www.w3.org/2000/svg", "text");
      label.setAttribute("class", "asl-progress");
      label.setAttribute("text-anchor", "end");
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

  /* 4. The run panel ---------------------------------------------------------------------- */
  var STEP_NAMES = {
    Input: "Input",
    InputPath: "After InputPath",
    Parameters: "Effective input (Parameters)",
    Arguments: "Effective input (Arguments)",
    ItemsPath: "After ItemsPath",
    Items: "Items",
    ItemSelector: "After ItemSelector",
    Result: "Result",
    ResultSelector: "After ResultSelector",
    Error: "Error caught",
    ResultPath: "After ResultPath",
    OutputPath: "After OutputPath"
  };

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
    this.diagram = new Diagram(options.figure.querySelector(".asl-canvas svg"));
    this.build();
    this.setMocks(options.mocks || "");
    this.reset();
    if (this.share) this.updateShareLink();
  }

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
      element("thead", {}, [element("tr", {}, ["ID", "Type", "State", "Elapsed"].map(function (h) {
        return element("th", { scope: "col", text: h });
      }))]),
      this.events
    ]);
    this.flowTitle = element("h4", { text: "Data flow" });
    this.flow = element("div", { class: "asl-flow-body" }, [
      element("p", { class: "asl-flow-hint", text: "Select a state in the diagram or the history." })
    ]);
    this.results = element("div", { class: "asl-run-results", hidden: true }, [
      this.outcome,
      element("div", { class: "asl-run-columns" }, [
        element("div", { class: "asl-events-wrap", tabindex: "0", "aria-label": "Execution history" }, [table]),
        element("section", { class: "asl-flow", "aria-live": "polite" }, [this.flowTitle, this.flow])
      ])
    ]);

    this.root = element("div", { class: "asl-run", id: id }, [bar, setup, this.results]);
    var canvas = this.options.figure.querySelector(".asl-canvas");
    canvas.parentNode.insertBefore(this.root, canvas.nextSibling);

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

  /**
   * Clicking a state in the diagram shows its data flow. The diagram is an image to assistive
   * technology, so the keyboard path is the history table, whose rows do the same.
   */
  RunPanel.prototype.bindDiagram = function () {
    var self = this;
    var svg = this.diagram.svg;
    if (!svg || svg.dataset.aslBound) return;
    svg.dataset.aslBound = "1";
    svg.addEventListener("click", function (event) {
      var group = event.target.closest && event.target.closest("g.asl-state[data-state]");
      if (!group) return;
      event.stopPropagation();
      self.select(group.getAttribute("data-state"));
    });
  };

  /** Replaces the diagram (the playground redraws it as the definition changes). */
  RunPanel.prototype.setDiagram = function (svg) {
    this.reset();
    this.diagram = new Diagram(svg);
    this.bindDiagram();
    this.setMocks(this.mocksText());
  };

  /** One row per Task: no mock, a return value, an error, or responses per invocation. */
  RunPanel.prototype.setMocks = function (text) {
    var mocks = {};
    try { mocks = text && text.trim() ? JSON.parse(text) : {}; } catch (e) { mocks = {}; }
    if (!mocks || typeof mocks !== "object" || Array.isArray(mocks)) mocks = {};
    this.mockRows.textContent = "";
    var tasks = this.diagram.tasks();
    if (tasks.length === 0) {
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
    var errorField = element("input", { class: "asl-mock-error", type: "text", placeholder: "Error name, e.g. States.TaskFailed", "aria-label": name + ": error name", spellcheck: "false" });
    errorField.value = error;
    var causeField = element("input", { class: "asl-mock-cause", type: "text", placeholder: "Cause (optional)", "aria-label": name + ": cause", spellcheck: "false" });
    causeField.value = cause;
    var problem = element("p", { class: "asl-field-error", role: "alert", hidden: true });
    var row = element("div", { class: "asl-mock", "data-task": name }, [
      element("label", { class: "asl-mock-name", for: id + "-mode", text: name }),
      select, valueField, errorField, causeField, problem
    ]);
    function sync() {
      valueField.hidden = !(select.value === "return" || select.value === "sequence");
      errorField.hidden = causeField.hidden = select.value !== "throw";
      if (select.value === "throw" && !errorField.value) errorField.value = "States.TaskFailed";
    }
    select.addEventListener("change", sync);
    sync();
    return row;
  };

  /**
   * The mocks the rows describe, as an object; a row whose JSON does not parse gets its
   * message and makes this return null.
   */
  RunPanel.prototype.mocks = function () {
    var mocks = {};
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
    var generation = this.generation;
    this.setBusy(true);
    if (this.execution === null) this.status.textContent = "Loading the engine…";
    engine().then(function (asl) {
      if (generation !== self.generation) return; // reset while the engine loaded
      if (self.execution === null && !self.start(asl)) return;
      self.apply(asl.call(how, { id: self.execution }));
    }).catch(function (error) {
      self.status.textContent = "Cannot run: " + error.message;
    }).then(function () {
      self.setBusy(false);
    });
  };

  RunPanel.prototype.start = function (asl) {
    showError(this.inputError, "");
    showError(this.mocksError, "");
    var mocks = this.mocks();
    if (mocks === null) {
      this.status.textContent = "Fix the Task results first.";
      this.openSetup();
      return false;
    }
    var started = asl.call("start", {
      definition: this.options.definition(),
      input: this.input.value,
      mocks: JSON.stringify(mocks),
      maxTransitions: MAX_TRANSITIONS
    });
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
    if (this.startedAt === null) this.startedAt = Date.parse(event.timestamp);
    var elapsed = (Date.parse(event.timestamp) - this.startedAt) / 1000;
    var row = element("tr", { class: /Failed$|TimedOut$/.test(type) ? "asl-event-failed" : null }, [
      element("td", { text: String(event.id) }),
      element("td", { text: type }),
      element("td", { text: state || "" }),
      element("td", { text: "+" + elapsed.toFixed(3) + " s" })
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
      if (type === "FailStateEntered") d.mark(state, "asl-failed");
    } else if (/StateExited$/.test(type) && state !== null) {
      var at = this.open.lastIndexOf(state);
      if (at >= 0) this.open.splice(at, 1);
      this.exited.push(state);
      var caught = (event.dataFlow || []).some(function (s) { return s.step === "Error"; });
      if (caught) d.mark(state, "asl-failed");
      else {
        d.mark(state, "asl-failed", false); // a retry succeeded
        d.markEdge(state, null);
      }
    } else if (/^(MapState|ParallelState)Failed$/.test(type) && state !== null) {
      // The states still running inside the container failed with it.
      var inside = this.open.splice(this.open.lastIndexOf(state) + 1);
      inside.forEach(function (name) {
        d.mark(name, "asl-failed");
        this.failures[name] = { error: "", cause: "It failed, and its branch or iteration failed with it." };
      }, this);
      d.mark(state, "asl-failed");
    } else if (/^Task.*(Failed|TimedOut)$/.test(type) && state !== null) {
      d.mark(state, "asl-failed");
      var failed = event.taskFailedEventDetails || event.taskTimedOutEventDetails || {};
      this.failures[state] = { error: failed.error || "", cause: failed.cause || "" };
    } else if (type === "ExecutionFailed" || type === "ExecutionTimedOut") {
      var last = this.open[this.open.length - 1];
      if (last !== undefined) {
        d.mark(last, "asl-failed");
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
  };

  /**
   * Shows the data flow of one visit of `state`: the visit that holds history event `at`, or
   * the latest one. Its history rows are highlighted.
   */
  RunPanel.prototype.select = function (state, at) {
    this.selected = state;
    this.selectedAt = at === undefined ? null : at;
    if (this.diagram.svg) {
      Array.prototype.forEach.call(this.diagram.svg.querySelectorAll(".asl-selected"), function (n) {
        n.classList.remove("asl-selected");
      });
    }
    this.diagram.mark(state, "asl-selected");
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
    var pass = this.diagram.state(state);
    pass = pass && pass.classList.contains("asl-pass");
    function add(step, text) {
      list.appendChild(element("dt", { text: step }));
      list.appendChild(element("dd", {}, [element("pre", { class: "asl-json-view", text: text })]));
    }
    function note(text) {
      list.appendChild(element("p", { class: "asl-flow-hint", text: text }));
    }
    if (visit.exited) {
      (visit.exited.dataFlow || []).forEach(function (stage) {
        var name = stage.step === "Parameters" && pass ? "After Parameters" : STEP_NAMES[stage.step];
        add(name || stage.step, pretty(stage.value));
      });
      var details = visit.exited.stateExitedEventDetails || {};
      add("Output", prettyText(details.output));
      if (details.assignedVariables) {
        var assigned = {};
        Object.keys(details.assignedVariables).forEach(function (name) {
          assigned[name] = JSON.parse(details.assignedVariables[name]);
        });
        add("Variables assigned", pretty(assigned));
      }
    } else if (visit.entered) {
      add("Input", prettyText((visit.entered.stateEnteredEventDetails || {}).input));
      var failure = this.failures[state];
      if (failure && this.finished) {
        add("Failed", [failure.error, failure.cause].filter(Boolean).join(": ") || "(no error name)");
      } else if (failure) {
        add("Failed, to be retried or caught", [failure.error, failure.cause].filter(Boolean).join(": "));
      } else {
        note(this.finished ? "The execution ended before this state finished." : "The state has not finished yet.");
      }
    } else {
      note("This state has not run.");
    }
    this.flow.appendChild(list);
  };

  RunPanel.prototype.reset = function () {
    var id = this.execution;
    this.execution = null;
    this.generation = (this.generation || 0) + 1;
    if (id !== null) engine().then(function (asl) { asl.call("drop", { id: id }); }).catch(function () {});
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
    this.runButton.disabled = this.stepButton.disabled = false;
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
      if (row) self.select(row.dataset.state, Number(row.dataset.id));
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

  /* 6. The playground --------------------------------------------------------------------- */
  function Playground(root) {
    var self = this;
    this.root = root;
    this.editor = root.querySelector(".asl-definition");
    this.diagnostics = root.querySelector(".asl-diagnostics");
    this.summary = root.querySelector(".asl-diagnostics-summary");
    this.figure = root.querySelector(".asl-figure");
    this.canvas = this.figure.querySelector(".asl-canvas");
    this.shareStatus = root.querySelector(".asl-share-status");
    this.timer = 0;
    this.rendered = null;
    this.pendingMocks = root.dataset.mocks || "";
    this.panel = new RunPanel({
      figure: this.figure,
      definition: function () { return self.editor.value; },
      input: root.dataset.input || "{}",
      mocks: "",
      onCopy: function (panel) { self.share(panel); }
    });
    this.panel.bindHistory();
    this.panel.openSetup();
    this.editor.addEventListener("input", function () {
      // A run of the old definition no longer matches the text.
      if (self.panel.execution !== null) self.panel.reset();
      self.notice = "";
      window.clearTimeout(self.timer);
      self.timer = window.setTimeout(function () { self.update(); }, 200);
    });
    this.editor.addEventListener("keydown", function (event) {
      // Tab indents in the editor; Escape then Tab leaves it.
      if (event.key !== "Tab" || event.shiftKey || self.escaped) { self.escaped = event.key === "Escape"; return; }
      event.preventDefault();
      document.execCommand("insertText", false, "  ");
    });
    this.editor.addEventListener("keyup", function (event) {
      if (event.key === "Escape") self.escaped = true;
    });
    // A link pasted into this tab changes only the fragment.
    window.addEventListener("hashchange", function () { self.load(); });
    this.load();
  }

  /** Loads the setup a link holds (`#asl=…`), if any, then checks and draws. */
  Playground.prototype.load = function () {
    var self = this;
    this.notice = "";
    decodeShare(location.hash).then(function (loaded) {
      if (!loaded) return;
      self.panel.reset();
      self.editor.value = loaded.definition;
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

  /** Validates and draws the definition as it is now. */
  Playground.prototype.update = function () {
    var self = this;
    var text = this.editor.value;
    engine().then(function (asl) {
      if (text !== self.editor.value) return; // a newer edit follows
      var response = asl.call("render", { definition: text, id: "_asl-playground" });
      if (!response.ok) throw new Error(response.error);
      self.showDiagnostics(response.diagnostics);
      self.figure.classList.toggle("asl-stale", !response.valid);
      if (response.valid && response.svg !== self.rendered) {
        self.rendered = response.svg;
        var mocks = self.pendingMocks !== undefined ? self.pendingMocks : self.panel.mocksText();
        self.pendingMocks = undefined;
        self.canvas.innerHTML = response.svg;
        self.canvas.style.setProperty("--asl-min-width", Math.round(response.width * 0.7) + "px");
        self.panel.setDiagram(self.canvas.querySelector("svg"));
        self.panel.setMocks(mocks);
      }
      self.panel.runButton.disabled = self.panel.stepButton.disabled = !response.valid;
    }).catch(function (error) {
      self.setSummary("The engine could not be loaded: " + error.message, "error");
    });
  };

  Playground.prototype.showDiagnostics = function (found) {
    var self = this;
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
        self.editor.focus();
        self.editor.setSelectionRange(d.start.offset, Math.max(d.end.offset, d.start.offset));
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

  /* 7. Start ------------------------------------------------------------------------------ */

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
})();
