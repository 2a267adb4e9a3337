/* awskb: small progressive enhancements. The site works fully without this file.
   Theme toggle · copy buttons on code · current TOC entry · collapsible sidebar/TOC on
   narrow screens · the phone header's Menu · open every <details> for printing · the search box's `/` shortcut and
   loading the search script when the box is first used · loading the state machine runner
   (asl-runner.js) on pages with diagrams once the page is shown. */
(function () {
  "use strict";

  // This script's element: it names the run panel's script and the engine (base.html).
  var self = document.currentScript;

  var root = document.documentElement;
  var THEME_KEY = "awskb-theme";
  var darkQuery = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function each(selector, fn, scope) {
    Array.prototype.forEach.call((scope || document).querySelectorAll(selector), fn);
  }

  function onMediaChange(query, fn) {
    if (!query) return;
    if (query.addEventListener) query.addEventListener("change", fn);
    else if (query.addListener) query.addListener(fn);
  }

  /* Theme toggle --------------------------------------------------------------------- */
  function activeTheme() {
    var chosen = root.dataset.theme;
    if (chosen === "light" || chosen === "dark") return chosen;
    return darkQuery && darkQuery.matches ? "dark" : "light";
  }

  function initThemeToggle() {
    var button = document.querySelector(".theme-toggle");
    if (!button) return;

    function sync() {
      var dark = activeTheme() === "dark";
      // The accessible name stays "Toggle dark mode"; aria-pressed carries the state.
      button.setAttribute("aria-pressed", dark ? "true" : "false");
      button.title = dark ? "Switch to light theme" : "Switch to dark theme";
    }

    button.addEventListener("click", function () {
      var next = activeTheme() === "dark" ? "light" : "dark";
      root.dataset.theme = next;
      try { localStorage.setItem(THEME_KEY, next); } catch (e) { /* private mode */ }
      sync();
    });
    onMediaChange(darkQuery, sync);
    window.addEventListener("storage", function (event) {
      if (event.key !== THEME_KEY) return;
      if (event.newValue === "light" || event.newValue === "dark") root.dataset.theme = event.newValue;
      else delete root.dataset.theme;
      sync();
    });
    sync();
    button.hidden = false;
  }

  /* Copy buttons on code blocks ------------------------------------------------------ */
  var status;

  function announce(message) {
    if (!status) {
      status = document.createElement("span");
      status.className = "visually-hidden";
      status.setAttribute("role", "status");
      document.body.appendChild(status);
    }
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return legacyCopy(text); });
    }
    return legacyCopy(text);
  }

  function legacyCopy(text) {
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.cssText = "position:fixed;top:0;left:0;opacity:0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }

  function initCopyButtons() {
    each("pre.highlight", function (pre) {
      var code = pre.querySelector("code");
      if (!code) return;
      var button = document.createElement("button");
      var timer;
      button.type = "button";
      button.className = "copy-button";
      button.textContent = "Copy";
      button.title = "Copy code to clipboard";
      button.addEventListener("click", function () {
        copyText(code.textContent.replace(/\n$/, "")).then(function () {
          show("copied", "Copied", "Code copied to clipboard");
        }, function () {
          show("failed", "Failed", "Could not copy the code");
        });
      });
      function show(state, label, message) {
        button.dataset.state = state;
        button.textContent = label;
        announce(message);
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          delete button.dataset.state;
          button.textContent = "Copy";
        }, 2000);
      }
      pre.appendChild(button);
    });
  }

  /* Current TOC entry while scrolling ------------------------------------------------ */
  function initTocSpy() {
    var toc = document.querySelector("nav.toc");
    if (!toc) return;
    var items = [];
    each('a[href^="#"]', function (link) {
      var id;
      try { id = decodeURIComponent(link.hash.slice(1)); } catch (e) { id = link.hash.slice(1); }
      var heading = id && document.getElementById(id);
      if (heading) items.push({ heading: heading, link: link });
    }, toc);
    if (!items.length) return;
    var current = null;

    // The current entry is the one whose section is at the top of the window: the last heading
    // at or above the line where a followed link puts a heading (the page's scroll-padding-top
    // plus the heading's scroll-margin-top), with a few pixels of slack for rounding. At the end of the page the sections below that line can
    // never reach it: then the entry the address points at, if its heading is in view, else the
    // last entry.
    function lineFor(heading) {
      var padding = parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0;
      return padding + (parseFloat(getComputedStyle(heading).scrollMarginTop) || 0) + 8;
    }

    function atEnd() {
      return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2;
    }

    function pointedAt() {
      var id;
      try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return null; }
      for (var i = 0; i < items.length; i++) {
        if (items[i].heading.id !== id) continue;
        var rect = items[i].heading.getBoundingClientRect();
        return rect.top >= 0 && rect.bottom <= window.innerHeight ? items[i] : null;
      }
      return null;
    }

    function update() {
      var active = null;
      for (var i = 0; i < items.length; i++) {
        if (items[i].heading.getBoundingClientRect().top <= lineFor(items[i].heading)) active = items[i];
        else break;
      }
      if (atEnd()) active = pointedAt() || items[items.length - 1];
      mark(active);
    }

    function mark(active) {
      if (active === current) return;
      if (current) current.link.removeAttribute("aria-current");
      current = active;
      if (!current) return;
      current.link.setAttribute("aria-current", "true");
      // Keep the entry visible when the sticky TOC itself scrolls (never scrolls the page).
      if (toc.scrollHeight > toc.clientHeight + 1) {
        var box = toc.getBoundingClientRect();
        var rect = current.link.getBoundingClientRect();
        if (rect.top < box.top || rect.bottom > box.bottom) {
          toc.scrollTop += rect.top - box.top - box.height / 2;
        }
      }
    }

    // Measured once per frame while the page scrolls (smooth scrolling ends between
    // intersection changes), and when the address's fragment changes.
    var pending = false;
    function schedule() {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; update(); });
    }
    window.addEventListener("scroll", schedule, { passive: true });
    window.addEventListener("resize", schedule);
    window.addEventListener("hashchange", schedule);

    update();
  }

  /* Sidebar and TOC: collapsed boxes on narrow screens, fixed open panels on wide ones --- */
  function initCollapsibles() {
    if (!window.matchMedia) return;
    [[".sidebar-details", "(min-width: 56rem)"], ["nav.toc details", "(min-width: 76rem)"]].forEach(function (pair) {
      var details = document.querySelector(pair[0]);
      if (!details) return;
      var wide = window.matchMedia(pair[1]);
      var summary = details.querySelector("summary");
      function apply() {
        if (wide.matches) {
          details.open = true;
          if (summary) summary.tabIndex = -1;
        } else if (summary) {
          summary.removeAttribute("tabindex");
        }
      }
      if (!wide.matches) details.open = false;
      if (summary) {
        summary.addEventListener("click", function (event) {
          if (wide.matches) event.preventDefault();
        });
      }
      onMediaChange(wide, apply);
      apply();
    });
  }

  /* The phone header's Menu: a disclosure button over the site links (shown by the style
     sheet below 48rem only). It closes on Escape (focus back on the button), on a tap or click
     outside it and when the Tab key leaves it. ------------------------------------------ */
  function initHeaderMenu() {
    var button = document.querySelector(".header-menu-button");
    if (!button) return;
    var menu = button.parentNode;
    function expanded() { return button.getAttribute("aria-expanded") === "true"; }
    function set(open) { button.setAttribute("aria-expanded", open ? "true" : "false"); }
    button.hidden = false;
    button.addEventListener("click", function () { set(!expanded()); });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !expanded()) return;
      var active = document.activeElement;
      set(false);
      if (!active || active === document.body || menu.contains(active)) button.focus();
    });
    document.addEventListener("click", function (event) {
      if (expanded() && !menu.contains(event.target)) set(false);
    });
    menu.addEventListener("focusout", function (event) {
      if (expanded() && event.relatedTarget && !menu.contains(event.relatedTarget)) set(false);
    });
  }

  /* Printing: open every <details>, then restore ------------------------------------- */
  function initPrint() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      each("details:not([open])", function (details) {
        details.open = true;
        opened.push(details);
      });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (details) { details.open = false; });
      opened = [];
    });
  }

  /* Search: `/` focuses the box; the search script loads on first use ------------------ */
  function typingIn(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  function initSearchBox() {
    var form = document.querySelector(".site-search[data-search-script]");
    // On the search page, `/` goes to the page's own field.
    var field = document.querySelector("form[data-search-page] input[name=q]") ||
      (form && form.querySelector("input[name=q]"));
    if (!field) return;
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      if (typingIn(event.target)) return;
      event.preventDefault();
      field.focus();
      field.select();
    });
    if (!form) return;
    var hint = form.querySelector(".site-search-key");
    if (hint) hint.hidden = false; // `/` works now
    var src = form.dataset.searchScript;
    form.querySelector("input[name=q]").addEventListener("focus", function () {
      if (window.awskbSearch || document.querySelector('script[src="' + src + '"]')) return;
      var script = document.createElement("script");
      script.src = src;
      document.head.appendChild(script);
    });
  }

  /* State machines: the run panel and playground script loads after the page is shown -- */
  function initStateMachines() {
    if (!self || !self.dataset.aslRunner) return;
    if (!document.querySelector(".asl-figure, [data-asl-playground-page]")) return;
    function load() {
      var script = document.createElement("script");
      script.src = self.dataset.aslRunner;
      script.dataset.engine = self.dataset.aslEngine;
      if (self.dataset.aslPlayground) script.dataset.playground = self.dataset.aslPlayground;
      if (self.dataset.codemirror) script.dataset.codemirror = self.dataset.codemirror;
      document.head.appendChild(script);
    }
    function whenIdle() {
      if (window.requestIdleCallback) window.requestIdleCallback(load, { timeout: 1500 });
      else window.setTimeout(load, 1);
    }
    if (document.readyState === "complete") whenIdle();
    else window.addEventListener("load", whenIdle);
  }

  /* Mermaid: ```mermaid blocks are drawn by mermaid-init.js, loaded only where there is one -- */
  function initMermaid() {
    if (!self || !document.querySelector("pre.mermaid")) return;
    var script = document.createElement("script");
    // A site's own base.html from before the versioned links names neither: the files are
    // then beside this script.
    script.src = self.dataset.mermaidInit || new URL("mermaid-init.js", self.src).href;
    if (self.dataset.mermaid) script.dataset.mermaid = self.dataset.mermaid;
    document.head.appendChild(script);
  }

  function init() {
    initStateMachines();
    initMermaid();
    initSearchBox();
    initThemeToggle();
    initCopyButtons();
    initCollapsibles();
    initHeaderMenu();
    initTocSpy();
    initPrint();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
