/* awskb practice exam (/practice/). Reads the split question data the build writes under
   practice/ (see src/practice.rs): index.json first (topics and counts), then only the term
   sets and question chunks the chosen exam needs, the first question's chunk before the
   others. Questions are built with questions.js (window.awskbQuestions), answers recorded in
   the same progress store as the pages. The setup form's fields are the address of an exam
   (?tags=Lambda&n=20), so a set can be shared; opening such an address starts it. */
(function () {
  "use strict";

  var page = document.querySelector("[data-practice-page]");
  var Q = window.awskbQuestions;
  if (!page || !Q || !window.fetch) return;
  var data = page.dataset.practiceData;
  var form = page.querySelector(".practice-setup");
  var topics = form.querySelector(".practice-topics");
  var available = form.querySelector(".practice-available");
  var progressLine = form.querySelector(".practice-progress");
  var examBox = page.querySelector(".practice-exam");
  var resultBox = page.querySelector(".practice-result");
  var SECONDS_PER_QUESTION = 90;
  var index = null;
  var cache = {};
  var exam = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function getJSON(rel) {
    return fetch(data + rel).then(function (r) {
      if (!r.ok) throw new Error(rel + ": " + r.status);
      return r.json();
    });
  }

  function question(n) {
    var k = Math.floor(n / index.chunk);
    cache[k] = cache[k] || getJSON("q/" + k + ".json");
    return cache[k].then(function (chunk) { return chunk[n % index.chunk]; });
  }

  /* [gap, length, …] runs -> the numbers they cover. */
  function decodeRuns(runs) {
    var out = [], at = 0;
    for (var i = 0; i + 1 < runs.length; i += 2) {
      at += runs[i];
      for (var j = 0; j < runs[i + 1]; j++) out.push(at + j);
      at += runs[i + 1];
    }
    return out;
  }

  function range(start, end) {
    var out = [];
    for (var i = start; i < end; i++) out.push(i);
    return out;
  }

  /* 32-bit FNV-1a over UTF-8, as src/practice.rs buckets the ids. */
  function fnv1a(text) {
    var bytes = new TextEncoder().encode(text), h = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    return h;
  }

  function shuffle(list) {
    for (var i = list.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var t = list[i]; list[i] = list[j]; list[j] = t;
    }
    return list;
  }

  /* Setup ------------------------------------------------------------------------------ */
  function facet(title, name, entries, valueOf) {
    if (!entries.length) return;
    var details = el("details", "practice-filter");
    details.appendChild(el("summary", null, title));
    var fieldset = el("fieldset");
    fieldset.appendChild(el("legend", "visually-hidden", title));
    entries.forEach(function (entry) {
      var label = el("label", "term practice-term");
      var input = document.createElement("input");
      input.type = "checkbox";
      input.name = name;
      input.value = valueOf(entry);
      label.appendChild(input);
      label.appendChild(document.createTextNode(entry.name + " (" + entry.count + ")"));
      fieldset.appendChild(label);
    });
    details.appendChild(fieldset);
    topics.appendChild(details);
  }

  function setup() {
    Object.keys(index.taxonomies).forEach(function (name) {
      facet(name.charAt(0).toUpperCase() + name.slice(1), name, index.taxonomies[name],
        function (t) { return t.name; });
    });
    facet("Sections", "sections", index.sections, function (s) { return s.path; });
    available.textContent = index.total + " question" + (index.total === 1 ? "" : "s") + " on this site.";
    form.hidden = false;
    showProgress();
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var params = new URLSearchParams(new FormData(form));
      history.replaceState(null, "", "?" + params.toString());
      start(params, false);
    });
    form.querySelector(".practice-review").addEventListener("click", function () {
      var params = new URLSearchParams(new FormData(form));
      params.set("review", "1");
      history.replaceState(null, "", "?" + params.toString());
      start(params, true);
    });
    form.querySelector(".practice-reset").addEventListener("click", function () {
      if (!window.confirm("Forget every answer you gave on this site?")) return;
      Q.store.forget(function () { return false; });
      showProgress();
    });
    var params = new URLSearchParams(location.search);
    var chosen = false;
    params.forEach(function (value, key) {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name !== key) return;
        chosen = true;
        if (field.type === "checkbox") field.checked = field.checked || field.value === value;
        else field.value = value;
      });
    });
    if (chosen || params.has("review")) start(params, params.has("review"));
  }

  function showProgress() {
    var s = Q.store.summary(index.total, function () { return true; });
    progressLine.textContent = "Your progress on this site: " + Q.summaryText(s) + ".";
  }

  /* The numbers of the questions the chosen topics hold: any chosen term of one taxonomy,
     and every taxonomy (and the sections) that has a choice. */
  function pool(params) {
    var kinds = [];
    Object.keys(index.taxonomies).forEach(function (name) {
      var sets = params.getAll(name).map(function (value) {
        var term = index.taxonomies[name].filter(function (t) { return t.name === value; })[0];
        return term ? getJSON("sets/" + term.set + ".json").then(decodeRuns) : Promise.resolve([]);
      });
      if (sets.length) kinds.push(Promise.all(sets));
    });
    var sections = params.getAll("sections").map(function (path) {
      var s = index.sections.filter(function (x) { return x.path === path; })[0];
      return Promise.resolve(s ? range(s.range[0], s.range[1]) : []);
    });
    if (sections.length) kinds.push(Promise.all(sections));
    if (!kinds.length) return Promise.resolve(range(0, index.total));
    return Promise.all(kinds).then(function (lists) {
      var result = null;
      lists.forEach(function (unions) {
        var union = {};
        unions.forEach(function (list) { list.forEach(function (n) { union[n] = true; }); });
        result = result === null ? union : Object.keys(result).reduce(function (kept, n) {
          if (union[n]) kept[n] = true;
          return kept;
        }, {});
      });
      return Object.keys(result).map(Number);
    });
  }

  /* The questions answered wrongly, most recently missed first. */
  function mistakes() {
    var all = Q.store.all();
    var ids = Object.keys(all).filter(function (id) { return !all[id].c; })
      .sort(function (a, b) { return all[b].t - all[a].t; });
    return Promise.all(ids.map(function (id) {
      return getJSON("ids/" + (fnv1a(id) % index.buckets) + ".json").then(function (bucket) {
        return bucket[id];
      });
    })).then(function (numbers) {
      return numbers.filter(function (n) { return n != null; });
    });
  }

  function start(params, review) {
    var count = Math.max(1, parseInt(params.get("n"), 10) || 10);
    var chosen = review ? mistakes() : pool(params).then(shuffle);
    available.textContent = "Loading…";
    chosen.then(function (numbers) {
      numbers = numbers.slice(0, count);
      if (!numbers.length) {
        available.textContent = review ? "No mistakes to review: every question you answered was right."
          : "No questions match this choice.";
        return;
      }
      exam = { numbers: numbers, at: 0, answers: [], flagged: [], timer: null, deadline: 0, review: review };
      if (params.get("timed")) {
        exam.deadline = Date.now() + numbers.length * SECONDS_PER_QUESTION * 1000;
        exam.timer = window.setInterval(tick, 1000);
      }
      form.hidden = true;
      resultBox.hidden = true;
      examBox.hidden = false;
      show(0);
    }).catch(function (e) {
      available.textContent = "The practice data could not be loaded (" + e.message + ").";
    });
  }

  /* One question -------------------------------------------------------------------- */
  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }

  function model(q) {
    var stem = el("div");
    stem.appendChild(fragment(q.stem));
    var explanation = el("div", "practice-explanation");
    if (q.explanation) explanation.appendChild(fragment(q.explanation));
    // Links to a heading of the question's own page.
    Array.prototype.forEach.call(stem.querySelectorAll('a[href^="#"]'), function (a) { a.href = q.page + a.getAttribute("href"); });
    Array.prototype.forEach.call(explanation.querySelectorAll('a[href^="#"]'), function (a) { a.href = q.page + a.getAttribute("href"); });
    return {
      stem: stem,
      options: q.options.map(function (o) {
        var nodes = fragment(o.html);
        var holder = el("span");
        holder.appendChild(fragment(o.html));
        var text = holder.textContent.trim();
        var lettered = text.indexOf(o.label) === 0;
        var why = null;
        if (o.why) { why = el("div"); why.appendChild(fragment(o.why)); }
        return { label: lettered ? "" : o.label + ".", nodes: nodes, why: why, text: text };
      }),
      answer: q.options.reduce(function (right, o, i) { if (o.correct) right.push(i); return right; }, []),
      multiple: q.multiple,
      explanation: q.explanation ? explanation : null,
      hideExplanation: true
    };
  }

  function show(i) {
    exam.at = i;
    var n = exam.numbers[i];
    examBox.textContent = "";
    var heading = el("h2", "practice-count-heading", "Question " + (i + 1) + " of " + exam.numbers.length);
    heading.tabIndex = -1;
    examBox.appendChild(heading);
    if (exam.deadline) {
      var timer = el("p", "practice-timer");
      timer.setAttribute("role", "timer");
      examBox.appendChild(timer);
      tick();
    }
    question(n).then(function (q) {
      if (exam.at !== i) return;
      exam.current = q;
      var m = model(q);
      var saved = exam.answers[i];
      var form = Q.build(m, function (chosen, correct) {
        exam.answers[i] = { chosen: chosen, correct: correct };
        Q.store.record(q.id, chosen, correct, q.terms);
      });
      var box = el("div", "question practice-question");
      box.appendChild(form.fieldset);
      if (m.explanation) box.appendChild(m.explanation);
      examBox.appendChild(box);
      if (saved) form.show(saved.chosen, false);
      var source = el("p", "practice-source");
      source.appendChild(document.createTextNode("From "));
      var link = el("a", null, q.title);
      link.href = q.id;
      source.appendChild(link);
      examBox.appendChild(source);

      var nav = el("div", "practice-nav");
      var flag = el("label", "practice-flag");
      var box2 = document.createElement("input");
      box2.type = "checkbox";
      box2.checked = exam.flagged.indexOf(i) >= 0;
      box2.addEventListener("change", function () {
        exam.flagged = exam.flagged.filter(function (x) { return x !== i; });
        if (box2.checked) exam.flagged.push(i);
      });
      flag.appendChild(box2);
      flag.appendChild(document.createTextNode(" Flag for review"));
      nav.appendChild(flag);
      if (i > 0) {
        var back = el("button", "button", "Previous");
        back.type = "button";
        back.addEventListener("click", function () { show(i - 1); });
        nav.appendChild(back);
      }
      var last = i === exam.numbers.length - 1;
      var next = el("button", "button practice-next", last ? "See my score" : "Next");
      next.type = "button";
      next.addEventListener("click", function () { if (last) finish(false); else show(i + 1); });
      nav.appendChild(next);
      examBox.appendChild(nav);
      heading.focus();
      // For benchmarks: when the first question is on screen.
      if (i === 0 && window.performance && performance.mark) performance.mark("awskb-first-question");
      // The next question's data loads while the reader thinks about this one.
      if (i + 1 < exam.numbers.length) question(exam.numbers[i + 1]);
    });
  }

  function tick() {
    var left = Math.max(0, Math.round((exam.deadline - Date.now()) / 1000));
    var timer = examBox.querySelector(".practice-timer");
    if (timer) timer.textContent = "Time left: " + Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    if (left === 0) finish(true);
  }

  /* The score ------------------------------------------------------------------------ */
  function finish(timeUp) {
    if (exam.timer) window.clearInterval(exam.timer);
    exam.timer = null;
    var numbers = exam.numbers;
    Promise.all(numbers.map(question)).then(function (questions) {
      var right = 0, byTag = {};
      resultBox.textContent = "";
      questions.forEach(function (q, i) {
        var ok = exam.answers[i] && exam.answers[i].correct;
        if (ok) right += 1;
        var tags = (q.terms && q.terms.tags) || [];
        (tags.length ? tags : ["(no tag)"]).forEach(function (tag) {
          byTag[tag] = byTag[tag] || { right: 0, total: 0 };
          byTag[tag].total += 1;
          if (ok) byTag[tag].right += 1;
        });
      });
      var score = el("h2", null, right + " of " + questions.length + " correct");
      score.id = "_practice-score";
      score.tabIndex = -1;
      resultBox.appendChild(score);
      if (timeUp) resultBox.appendChild(el("p", "practice-timeup", "Time is up: questions not answered count as missed."));

      var table = el("table", "practice-breakdown");
      table.appendChild(el("caption", null, "By tag"));
      var head = el("tr");
      head.appendChild(el("th", null, "Tag"));
      head.appendChild(el("th", null, "Correct"));
      table.appendChild(el("thead")).appendChild(head);
      var body = table.appendChild(el("tbody"));
      Object.keys(byTag).sort().forEach(function (tag) {
        var row = el("tr");
        row.appendChild(el("th", null, tag)).setAttribute("scope", "row");
        row.appendChild(el("td", null, byTag[tag].right + " of " + byTag[tag].total));
        body.appendChild(row);
      });
      resultBox.appendChild(table);

      function list(title, picked) {
        if (!picked.length) return;
        var section = el("section", "practice-list");
        var id = "_practice-" + title.toLowerCase().replace(/\W+/g, "-");
        var h = el("h3", null, title);
        h.id = id;
        section.setAttribute("aria-labelledby", id);
        section.appendChild(h);
        var ol = el("ol");
        picked.forEach(function (i) {
          var q = questions[i];
          var li = el("li");
          var a = el("a", null, q.text.length > 160 ? q.text.slice(0, 157) + "…" : q.text);
          a.href = q.id;
          li.appendChild(a);
          li.appendChild(document.createTextNode(" — " + q.title));
          ol.appendChild(li);
        });
        section.appendChild(ol);
        resultBox.appendChild(section);
      }
      list("Missed questions", range(0, questions.length).filter(function (i) {
        return !(exam.answers[i] && exam.answers[i].correct);
      }));
      list("Flagged for review", exam.flagged.slice().sort(function (a, b) { return a - b; }));

      var buttons = el("div", "practice-buttons");
      var again = el("button", "button", "Review my mistakes");
      again.type = "button";
      again.addEventListener("click", function () {
        var params = new URLSearchParams(location.search);
        params.set("review", "1");
        history.replaceState(null, "", "?" + params.toString());
        start(params, true);
      });
      var fresh = el("button", "button", "New exam");
      fresh.type = "button";
      fresh.addEventListener("click", function () {
        resultBox.hidden = true;
        examBox.hidden = true;
        form.hidden = false;
        available.textContent = "";
        showProgress();
      });
      buttons.appendChild(again);
      buttons.appendChild(fresh);
      resultBox.appendChild(buttons);
      examBox.hidden = true;
      resultBox.hidden = false;
      score.focus();
    });
  }

  getJSON("index.json").then(function (i) {
    index = i;
    setup();
  }).catch(function (e) {
    available.textContent = "The practice data could not be loaded (" + e.message + ").";
    form.hidden = false;
  });
})();
