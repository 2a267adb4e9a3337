/* awskb search: live results under the header box, and the /search/ page (query and filters
   in the address, so a search can be shared). Both query Pagefind's chunked index in
   pagefind/, which downloads only the parts of the index a query needs.
   Loaded by the search page, and by awskb.js the first time the header box is used. */
(function () {
  "use strict";

  if (window.awskbSearch) return; // loaded twice (the search page and its header box)
  window.awskbSearch = true;

  // This file is ROOT/js/search.js: the site root and the bundle follow from its own address,
  // so the same file works under any base path.
  var script = document.currentScript;
  var root = new URL("../", script ? script.src : location.href);
  var engine = null;

  function pagefind() {
    if (!engine) {
      engine = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        return pf.options({ baseUrl: root.pathname, excerptLength: 22 }).then(function () {
          return pf;
        });
      });
    }
    return engine;
  }

  /* A search box's searches: each call replaces the previous one, runs after `delay` ms
     without a newer call, and hands its results to `show` with a function that tells whether
     it is still the latest (results load in steps). A call without `show` only cancels. */
  function searcher(onError) {
    var latest = 0;
    var timer;
    return function (query, filters, delay, show) {
      var mine = ++latest;
      function current() { return mine === latest; }
      window.clearTimeout(timer);
      if (!show) return;
      timer = window.setTimeout(function () {
        pagefind().then(function (pf) {
          return pf.search(query || null, { filters: filters });
        }).then(function (found) {
          if (current()) return show(found, current);
        }).catch(function (error) {
          if (current()) onError(error);
        });
      }, delay);
    };
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /* Pagefind's excerpts are text with < and > escaped and the matches in <mark>. */
  function excerpt(html) {
    var node = element("p", "search-excerpt");
    node.innerHTML = html;
    return node;
  }

  /* The parts of a page that matched, most matches first: the part before the first heading
     (no anchor) and each heading's part. */
  function bestParts(data) {
    return data.sub_results.slice().sort(function (a, b) {
      return b.locations.length - a.locations.length;
    });
  }

  /* One result of the search page: the page, its section path, and its matching headings. */
  function pageResult(data) {
    var item = element("li", "search-result");
    var title = element("a", "search-result-title", data.meta.title || data.url);
    title.href = data.url;
    item.appendChild(title);
    if (data.meta.section) item.appendChild(element("p", "search-section", data.meta.section));
    var parts = bestParts(data);
    var intro = parts.filter(function (part) { return !part.anchor; })[0];
    var headings = parts.filter(function (part) { return part.anchor; }).slice(0, 3);
    if (intro || !headings.length) item.appendChild(excerpt(intro ? intro.excerpt : data.excerpt));
    if (headings.length) {
      var list = element("ul", "search-headings");
      headings.sort(function (a, b) { return a.anchor.location - b.anchor.location; });
      headings.forEach(function (part) {
        var entry = element("li");
        var link = element("a", "search-heading", part.title);
        link.href = part.url;
        entry.appendChild(link);
        entry.appendChild(excerpt(part.excerpt));
        list.appendChild(entry);
      });
      item.appendChild(list);
    }
    return item;
  }

  /* One result under the header box: a link to the place of the best match. */
  function quickResult(data) {
    var best = bestParts(data)[0];
    var item = element("li");
    var link = element("a", "search-quick");
    link.href = best ? best.url : data.url;
    var title = element("span", "search-quick-title", data.meta.title || data.url);
    if (best && best.anchor) title.appendChild(element("span", "search-quick-heading", best.title));
    link.appendChild(title);
    if (data.meta.section) link.appendChild(element("span", "search-section", data.meta.section));
    link.appendChild(excerpt(best ? best.excerpt : data.excerpt));
    item.appendChild(link);
    return item;
  }

  function loadData(results, from, count) {
    return Promise.all(results.slice(from, from + count).map(function (result) {
      return result.data();
    }));
  }

  function failed(error, status) {
    status.textContent = "Search is unavailable: the index could not be loaded.";
    if (window.console) console.warn("awskb search:", error);
  }

  /* The header box ----------------------------------------------------------------------- */
  function initHeaderBox() {
    var form = document.querySelector(".site-search");
    var input = form && form.querySelector("input[name=q]");
    if (!input) return;
    var popup = element("div", "search-popup");
    popup.hidden = true;
    var status = element("p", "search-popup-status");
    status.setAttribute("role", "status");
    var list = element("ol", "search-popup-results");
    var all = element("a", "search-popup-all");
    popup.append(status, list, all);
    form.appendChild(popup);

    function close() { popup.hidden = true; }

    function links() { return Array.prototype.slice.call(popup.querySelectorAll("a")); }

    var run = searcher(function (error) {
      failed(error, status);
      list.replaceChildren();
      all.hidden = true;
      popup.hidden = false;
    });

    function update() {
      var query = input.value.trim();
      if (!query) {
        run();
        close();
        return;
      }
      run(query, {}, 150, function (found, current) {
        return loadData(found.results, 0, 6).then(function (pages) {
          if (!current()) return;
          list.replaceChildren.apply(list, pages.map(quickResult));
          status.textContent = found.results.length
            ? found.results.length + (found.results.length === 1 ? " result" : " results")
            : "No results for “" + query + "”";
          all.textContent = "All results for “" + query + "”";
          all.href = form.action + "?" + new URLSearchParams({ q: query });
          all.hidden = !found.results.length;
          popup.hidden = false;
        });
      });
    }

    input.addEventListener("input", update);
    input.addEventListener("focus", function () { if (input.value.trim() && list.childElementCount) popup.hidden = false; });
    initListbox(input, list, popup);
    form.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        close();
        input.focus();
      }
    });
    form.addEventListener("focusout", function (event) {
      if (!form.contains(event.relatedTarget)) close();
    });
    if (input.value.trim()) update(); // typed while this script was loading
  }

  /* Theme issue 22: the header box as a combobox. Arrow keys move a highlight through the
     results while focus stays in the box (aria-activedescendant), Enter opens the highlighted
     one; typing starts over. ----------------------------------------------------------------- */
  function initListbox(input, list, popup) {
    list.id = "_search-popup-results";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Search results");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    var active = -1;

    function options() { return Array.prototype.slice.call(list.querySelectorAll("a.search-quick")); }

    function select(at) {
      var all = options();
      active = at;
      all.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === at ? "true" : "false");
      });
      if (at >= 0 && all[at]) {
        input.setAttribute("aria-activedescendant", all[at].id);
        all[at].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    // Each new list of results: options with ids, nothing highlighted.
    new MutationObserver(function () {
      options().forEach(function (option, i) {
        option.id = "_search-option-" + i;
        option.setAttribute("role", "option");
        option.tabIndex = -1;
        option.parentNode.setAttribute("role", "none");
      });
      select(-1);
    }).observe(list, { childList: true });
    new MutationObserver(function () {
      input.setAttribute("aria-expanded", popup.hidden ? "false" : "true");
      if (popup.hidden) select(-1);
    }).observe(popup, { attributes: true, attributeFilter: ["hidden"] });

    input.addEventListener("keydown", function (event) {
      var count = options().length;
      if (popup.hidden || !count) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        select(Math.min(active + 1, count - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        select(Math.max(active - 1, -1));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        location.href = options()[active].href;
      }
    });
  }

  /* The search page ---------------------------------------------------------------------- */
  var PAGE = 10;

  function initSearchPage() {
    var form = document.querySelector("form[data-search-page]");
    if (!form) return;
    var input = form.querySelector("input[name=q]");
    var page = form.closest(".search-page") || document;
    var status = page.querySelector(".search-status");
    var list = page.querySelector(".search-results");
    var more = page.querySelector(".search-more");
    var groups = Array.prototype.slice.call(form.querySelectorAll("[data-filter]"));
    var shown = [];

    // The address is the state: fill the form from it.
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    groups.forEach(function (group) {
      var chosen = params.getAll(group.dataset.filter);
      group.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        box.checked = chosen.indexOf(box.value) >= 0;
      });
    });

    function filters() {
      var result = {};
      groups.forEach(function (group) {
        var chosen = Array.prototype.map.call(group.querySelectorAll("input:checked"), function (box) { return box.value; });
        var count = group.querySelector(".search-filter-count");
        count.textContent = chosen.length;
        count.hidden = !chosen.length;
        if (chosen.length) {
          result[group.dataset.filter] = { any: chosen };
          group.open = true;
        }
      });
      return result;
    }

    var search = searcher(function (error) { failed(error, status); });

    function showMore() {
      var results = shown;
      var from = list.childElementCount;
      return loadData(results, from, PAGE).then(function (pages) {
        if (results !== shown || list.childElementCount !== from) return; // a newer search won
        list.append.apply(list, pages.map(pageResult));
        more.hidden = list.childElementCount >= shown.length;
      });
    }

    function run(delay) {
      var chosen = filters();
      var query = input.value.trim();
      var address = new URLSearchParams(new FormData(form));
      if (!query) address.delete("q");
      history.replaceState(null, "", form.action + (address.toString() ? "?" + address : ""));
      if (!query && !Object.keys(chosen).length) {
        offerToClear(false);
        search();
        shown = [];
        list.replaceChildren();
        status.textContent = "";
        more.hidden = true;
        return;
      }
      search(query, chosen, delay, function (found) {
        shown = found.results;
        list.replaceChildren();
        var count = shown.length + (shown.length === 1 ? " result" : " results");
        status.textContent = shown.length
          ? (query ? count + " for “" + query + "”" : count)
          : "No results" + (query ? " for “" + query + "”" : "") + ".";
        offerToClear(!shown.length && Object.keys(chosen).length > 0);
        return showMore();
      });
    }

    /* Theme issue 22: when the ticked filters leave nothing, say so and offer to clear them. */
    var clear = element("button", "button search-clear", "Clear filters");
    clear.type = "button";
    clear.hidden = true;
    status.after(clear);
    function offerToClear(show) {
      clear.hidden = !show;
      if (show) status.textContent = status.textContent.replace(/\.$/, "") + " with these filters.";
    }
    clear.addEventListener("click", function () {
      form.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) { box.checked = false; });
      clear.hidden = true;
      input.focus();
      run(0);
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      run(0);
    });
    input.addEventListener("input", function () { run(200); });
    form.addEventListener("change", function (event) {
      if (event.target.type === "checkbox") run(0);
    });
    more.addEventListener("click", showMore);
    run(0);
  }

  function init() {
    initHeaderBox();
    initSearchPage();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
