/* awskb questions: exam questions a reader can answer, and their progress.
   The build wraps each recognised question in <div data-question> with its stem, options
   and explanation marked (data-question-stem, -options, -explanation) and the right options
   in data-answer. Without this script the page reads as written. With it, each question
   becomes a fieldset of radio buttons (one answer) or checkboxes (several), Check says in
   words whether the answer is right, marks the options and opens the explanation; Try again
   clears it. Answers are kept in localStorage per site (the base path) and question id (the
   page's path and the question's anchor), so a reload shows them; section and term pages show
   how far the reader is through their questions (from the practice page's index).
   window.awskbQuestions lets practice.js build the same form from its data. */
(function () {
  "use strict";

  var self = document.currentScript;
  var base = (self && self.dataset.base) || "/";
  var practiceUrl = self && self.dataset.practice;
  var KEY = "awskb-progress:" + base;
  var forms = 0;

  /* Progress --------------------------------------------------------------------------- */
  var store = {
    all: function () {
      try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
    },
    save: function (all) {
      try { localStorage.setItem(KEY, JSON.stringify(all)); } catch (e) { /* private mode */ }
    },
    /* One answer: the chosen option indexes, whether it was right, when, and the
       question's terms (so a tag page can count it). */
    record: function (id, chosen, correct, terms) {
      var all = store.all();
      all[id] = { a: chosen, c: correct, t: Date.now(), terms: terms || {} };
      store.save(all);
    },
    forget: function (keep) {
      var all = store.all();
      Object.keys(all).forEach(function (id) { if (!keep(id, all[id])) delete all[id]; });
      store.save(all);
    },
    /* "N of M answered, K correct" over the records that `match`. */
    summary: function (total, match) {
      var all = store.all(), answered = 0, correct = 0;
      Object.keys(all).forEach(function (id) {
        if (!match(id, all[id])) return;
        answered += 1;
        if (all[id].c) correct += 1;
      });
      return { answered: Math.min(answered, total), correct: correct, total: total };
    }
  };

  function summaryText(s) {
    return s.answered + " of " + s.total + " answered, " + s.correct + " correct";
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function sameSet(a, b) {
    if (a.length !== b.length) return false;
    return a.every(function (x) { return b.indexOf(x) >= 0; });
  }

  /* The form -----------------------------------------------------------------------------
     model: { stem: Node (moved into the form), options: [{ label, nodes: Node, why: Node|null }],
     answer: [index], multiple, explanation: Element|null, hideExplanation }.
     onCheck(chosen, correct) is called after each Check. Returns { fieldset, show(chosen),
     reset() }. */
  function build(model, onCheck) {
    forms += 1;
    var name = "_q" + forms;
    var fieldset = el("fieldset", "question-form");
    var legend = el("legend", "question-instruction",
      model.multiple ? "Choose " + model.answer.length + " answers" : "Choose one answer");
    fieldset.appendChild(legend);
    var stem = model.stem;
    stem.classList.add("question-stem");
    stem.id = stem.id || name + "-stem";
    fieldset.setAttribute("aria-labelledby", stem.id);
    fieldset.appendChild(stem);

    var list = el("div", "question-options");
    var inputs = [], marks = [], whys = [], rows = [];
    model.options.forEach(function (option, i) {
      var row = el("div", "question-option");
      var label = el("label");
      var input = document.createElement("input");
      input.type = model.multiple ? "checkbox" : "radio";
      input.name = name;
      input.value = String(i);
      label.appendChild(input);
      if (option.label) label.appendChild(el("span", "question-option-label", option.label));
      var text = el("span", "question-option-text");
      text.appendChild(option.nodes);
      label.appendChild(text);
      row.appendChild(label);
      var mark = el("p", "question-option-mark");
      mark.hidden = true;
      row.appendChild(mark);
      if (option.why) {
        option.why.classList.add("question-why");
        option.why.hidden = true;
        row.appendChild(option.why);
      }
      list.appendChild(row);
      inputs.push(input); marks.push(mark); whys.push(option.why); rows.push(row);
    });
    fieldset.appendChild(list);

    var actions = el("div", "question-actions");
    var check = el("button", "button question-check", "Check");
    check.type = "button";
    var retry = el("button", "button question-retry", "Try again");
    retry.type = "button";
    retry.hidden = true;
    actions.appendChild(check);
    actions.appendChild(retry);
    fieldset.appendChild(actions);
    var verdict = el("p", "question-verdict");
    verdict.setAttribute("role", "status");
    verdict.setAttribute("aria-live", "polite");
    fieldset.appendChild(verdict);
    if (model.explanation && model.hideExplanation) model.explanation.hidden = true;

    function chosen() {
      var picked = [];
      inputs.forEach(function (input, i) { if (input.checked) picked.push(i); });
      return picked;
    }

    function rightAnswer() {
      return model.answer.map(function (i) {
        var option = model.options[i];
        var text = option.text || "";
        return (option.label ? option.label + " " : "") + text;
      }).join("; ");
    }

    function show(picked, announce) {
      var correct = sameSet(picked, model.answer);
      inputs.forEach(function (input, i) {
        input.checked = picked.indexOf(i) >= 0;
        input.disabled = true;
        var right = model.answer.indexOf(i) >= 0;
        var mine = picked.indexOf(i) >= 0;
        rows[i].dataset.result = right ? "right" : mine ? "wrong" : "";
        marks[i].hidden = !(right || mine);
        marks[i].textContent = right ? (mine ? "Your answer: correct" : "Correct answer")
          : mine ? "Your answer: incorrect" : "";
        if (whys[i]) whys[i].hidden = false;
      });
      fieldset.dataset.result = correct ? "correct" : "incorrect";
      var words = correct ? "Correct." :
        "Incorrect. The right answer " + (model.answer.length > 1 ? "is: " : "is ") + rightAnswer() + ".";
      // Emptied first so that the same words are announced again after Try again.
      verdict.textContent = "";
      if (announce) window.setTimeout(function () { verdict.textContent = words; }, 30);
      else verdict.textContent = words;
      check.hidden = true;
      retry.hidden = false;
      if (model.explanation) {
        model.explanation.hidden = false;
        var details = model.explanation.matches("details") ? model.explanation
          : model.explanation.querySelector("details");
        if (details) details.open = true;
      }
      return correct;
    }

    function reset() {
      inputs.forEach(function (input, i) {
        input.checked = false;
        input.disabled = false;
        rows[i].dataset.result = "";
        marks[i].hidden = true;
        marks[i].textContent = "";
        if (whys[i]) whys[i].hidden = true;
      });
      delete fieldset.dataset.result;
      verdict.textContent = "";
      check.hidden = false;
      retry.hidden = true;
      if (model.explanation && model.hideExplanation) model.explanation.hidden = true;
    }

    check.addEventListener("click", function () {
      var picked = chosen();
      if (!picked.length) {
        verdict.textContent = "Choose an answer first.";
        return;
      }
      var correct = show(picked, true);
      if (onCheck) onCheck(picked, correct);
      retry.focus();
    });
    retry.addEventListener("click", function () {
      reset();
      inputs[0].focus();
    });
    return { fieldset: fieldset, show: show, reset: reset, check: check };
  }

  /* Questions written in the page ------------------------------------------------------ */
  function pagePath() {
    return location.pathname.replace(/index\.html$/, "");
  }

  /* The page's terms by taxonomy, from its header (`ul.terms a.term-NAME`). */
  function pageTerms() {
    var terms = {};
    Array.prototype.forEach.call(document.querySelectorAll(".page-header a.term"), function (a) {
      var m = /(?:^|\s)term-(\S+)/.exec(a.className);
      if (!m) return;
      (terms[m[1]] = terms[m[1]] || []).push(a.textContent.trim());
    });
    return terms;
  }

  function fromPage(block) {
    var heading = block.querySelector("h1, h2, h3, h4, h5, h6");
    var stem = block.querySelector("[data-question-stem]");
    var optionsBox = block.querySelector("[data-question-options]");
    var list = optionsBox.querySelector("ol, ul");
    var labels = (block.dataset.labels || "").split(" ");
    var numbered = list.tagName === "OL";
    var answer = (block.dataset.answer || "").split(" ").filter(Boolean).map(Number);
    var explanation = block.querySelector("[data-question-explanation]");
    if (!stem.children.length && heading) {
      // The heading asks the question: the form is named by it.
      stem.id = heading.id ? heading.id + "-stem" : "";
      stem.appendChild(el("p", null, heading.textContent.replace(/#$/, "").trim()));
      stem.classList.add("visually-hidden");
    }
    var options = Array.prototype.filter.call(list.children, function (li) {
      return li.tagName === "LI";
    }).map(function (li, i) {
      var why = null;
      var nodes = document.createDocumentFragment();
      Array.prototype.slice.call(li.childNodes).forEach(function (node) {
        if (node.nodeName === "BLOCKQUOTE") {
          why = el("div");
          why.appendChild(node);
        } else if (node.nodeName === "INPUT") {
          // A task list's own checkbox gives the answer away.
        } else {
          nodes.appendChild(node);
        }
      });
      var holder = el("span");
      holder.appendChild(nodes);
      var text = holder.textContent.trim();
      var fragment = document.createDocumentFragment();
      while (holder.firstChild) fragment.appendChild(holder.firstChild);
      return { label: numbered ? labels[i] + "." : "", nodes: fragment, why: why, text: text };
    });
    var hide = explanation && !(explanation.children.length === 1 &&
      explanation.firstElementChild.matches("details"));
    return {
      // A question nested in a numbered list has an id of its own; others take the heading's.
      id: block.id || (heading ? heading.id : ""),
      stem: stem,
      options: options,
      answer: answer,
      multiple: block.hasAttribute("data-multiple"),
      explanation: explanation,
      hideExplanation: hide,
      optionsBox: optionsBox
    };
  }

  function enhancePage() {
    var blocks = document.querySelectorAll("[data-question]");
    if (!blocks.length) return;
    var path = pagePath();
    var terms = pageTerms();
    var ids = [];
    var summary = el("div", "question-progress");
    summary.setAttribute("role", "region");
    summary.setAttribute("aria-label", "Your progress on this page");
    var summaryText_ = el("p", "question-progress-text");
    summaryText_.setAttribute("aria-live", "polite");
    var resetPage = el("button", "button question-reset", "Reset this page's answers");
    resetPage.type = "button";
    summary.appendChild(summaryText_);
    summary.appendChild(resetPage);
    if (practiceUrl) {
      var more = el("a", "question-practice-link", "Practice exam");
      more.href = practiceUrl;
      summary.appendChild(more);
    }
    var controllers = [];

    function refresh() {
      var s = store.summary(ids.length, function (id) { return ids.indexOf(id) >= 0; });
      summaryText_.textContent = "Questions on this page: " + summaryText(s) + ".";
    }

    Array.prototype.forEach.call(blocks, function (block) {
      var model = fromPage(block);
      var id = path + "#" + model.id;
      ids.push(id);
      var form = build(model, function (chosen, correct) {
        store.record(id, chosen, correct, terms);
        refresh();
      });
      model.optionsBox.parentNode.replaceChild(form.fieldset, model.optionsBox);
      form.fieldset.insertBefore(model.stem, form.fieldset.children[1]);
      block.classList.add("is-answerable");
      var saved = store.all()[id];
      if (saved && saved.a && saved.a.length) form.show(saved.a, false);
      controllers.push(form);
    });
    blocks[0].parentNode.insertBefore(summary, blocks[0]);
    resetPage.addEventListener("click", function () {
      store.forget(function (id) { return ids.indexOf(id) < 0; });
      controllers.forEach(function (c) { c.reset(); });
      refresh();
    });
    refresh();
  }

  /* Section and term pages: how far the reader is through their questions. ------------ */
  function showListProgress() {
    if (!practiceUrl || !window.fetch) return;
    var header = document.querySelector(".page-header");
    if (!header) return;
    var path = pagePath();
    fetch(practiceUrl + "index.json").then(function (r) { return r.ok ? r.json() : null; })
      .then(function (index) {
        if (!index) return;
        var found = null;
        (index.sections || []).forEach(function (s) {
          if (s.path === path) {
            found = { total: s.count, query: "sections=" + encodeURIComponent(s.path),
              match: function (id) { return id.indexOf(s.path) === 0; }, what: "section" };
          }
        });
        Object.keys(index.taxonomies || {}).forEach(function (taxonomy) {
          index.taxonomies[taxonomy].forEach(function (t) {
            if (t.path !== path) return;
            found = { total: t.count, query: taxonomy + "=" + encodeURIComponent(t.name), what: "list",
              match: function (id, rec) { return ((rec.terms || {})[taxonomy] || []).indexOf(t.name) >= 0; } };
          });
        });
        if (!found) return;
        var box = el("p", "question-progress list-progress");
        box.appendChild(document.createTextNode("Questions in this " + found.what + ": " +
          summaryText(store.summary(found.total, found.match)) + ". "));
        var link = el("a", null, "Practise them");
        link.href = practiceUrl + "?" + found.query;
        box.appendChild(link);
        header.appendChild(box);
      }).catch(function () { /* no practice data: nothing to show */ });
  }

  window.awskbQuestions = { build: build, store: store, summaryText: summaryText };

  function init() {
    enhancePage();
    // Section and term pages list pages as cards.
    if (document.querySelector("main .cards")) showListProgress();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
