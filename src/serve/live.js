// Live reload for `awskb serve`. The server adds this script to the pages it serves (never to
// `awskb build` output) and sends Server-Sent Events:
//   reload   {"files": [...]} or {"all": true}: reload if this page (or a file it may use) changed
//   css      {"files": [...]}: swap those stylesheets in place, without a reload
//   problems {"diagnostics": [...]}: show the site's errors over the page; none hides them
//   rebuilding, superseded {}: a rebuild started; it was given up for a newer save (logged)
(function () {
  "use strict";
  var SCROLL_KEY = "awskb-live-scroll";

  // This page's output file: "/aws/lambda/" -> "aws/lambda/index.html".
  function ownFile() {
    var path;
    try { path = decodeURIComponent(location.pathname); } catch (e) { path = location.pathname; }
    path = path.replace(/^\/+/, "");
    return path === "" || path.endsWith("/") ? path + "index.html" : path;
  }

  function reload() {
    try {
      sessionStorage.setItem(SCROLL_KEY, JSON.stringify({ path: location.pathname, x: scrollX, y: scrollY }));
    } catch (e) { /* private mode: reload without keeping the place */ }
    location.reload();
  }

  function restoreScroll() {
    var saved;
    try { saved = JSON.parse(sessionStorage.getItem(SCROLL_KEY) || "null"); } catch (e) { saved = null; }
    if (!saved || saved.path !== location.pathname) return;
    // "instant": the theme may ask for smooth scrolling, which would animate from the top.
    var apply = function () { scrollTo({ left: saved.x, top: saved.y, behavior: "instant" }); };
    apply();
    // Images and fonts can make the page longer after this script runs.
    addEventListener("load", function () {
      apply();
      try { sessionStorage.removeItem(SCROLL_KEY); } catch (e) { /* ignore */ }
    }, { once: true });
  }

  // Files a page does not load (pages of other URLs, feeds, the sitemap) do not reload it;
  // any other file (a script, an image) might be used here, so it does.
  function concernsThisPage(files) {
    var own = ownFile();
    return files.some(function (file) {
      return file === own || !/\.(html|xml|txt)$/.test(file);
    });
  }

  function swapStylesheets(files) {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      if (url.origin !== location.origin) return;
      var file = decodeURIComponent(url.pathname).replace(/^\/+/, "");
      if (files.indexOf(file) < 0) return;
      url.searchParams.set("awskb-live", String(Date.now()));
      // The new sheet loads beside the old one, which goes once it has: no unstyled flash.
      var next = link.cloneNode();
      next.href = url.href;
      next.addEventListener("load", function () { link.remove(); }, { once: true });
      next.addEventListener("error", function () { link.remove(); }, { once: true });
      link.after(next);
    });
  }

  var overlay = null;

  function showProblems(diagnostics) {
    if (!diagnostics.length) {
      if (overlay) overlay.remove();
      overlay = null;
      return;
    }
    if (!overlay) {
      overlay = document.createElement("awskb-problems");
      overlay.attachShadow({ mode: "open" });
      document.documentElement.appendChild(overlay);
    }
    var root = overlay.shadowRoot;
    root.textContent = "";
    var style = document.createElement("style");
    style.textContent =
      ":host{all:initial;position:fixed;inset:auto 0 0 0;z-index:2147483647;max-height:60vh;overflow:auto;" +
      "background:#1e1e1e;color:#f0f0f0;font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;" +
      "border-top:4px solid #e5484d;box-shadow:0 -4px 24px rgba(0,0,0,.4)}" +
      "header{display:flex;justify-content:space-between;align-items:center;padding:10px 16px;font-weight:bold;color:#ff8a8d}" +
      "button{font:inherit;color:inherit;background:#333;border:1px solid #555;border-radius:4px;padding:2px 10px;cursor:pointer}" +
      "ol{list-style:none;margin:0;padding:0 16px 12px}li{padding:8px 0;border-top:1px solid #333}" +
      ".where{color:#9cdcfe}.code{color:#ff8a8d}.help{margin:4px 0 0;color:#c8c8c8;white-space:pre-wrap}";
    var box = document.createElement("section");
    box.setAttribute("role", "alert");
    var header = document.createElement("header");
    var title = document.createElement("span");
    title.textContent = diagnostics.length === 1
      ? "1 error: showing the last good version"
      : diagnostics.length + " errors: showing the last good version";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.addEventListener("click", function () { overlay.remove(); overlay = null; });
    header.append(title, close);
    var list = document.createElement("ol");
    diagnostics.forEach(function (d) {
      var item = document.createElement("li");
      var where = document.createElement("span");
      where.className = "where";
      where.textContent = d.file + (d.line ? ":" + d.line + ":" + d.column : "") + ": ";
      var code = document.createElement("span");
      code.className = "code";
      code.textContent = d.severity + "[" + d.code + "]: ";
      var message = document.createElement("span");
      message.className = "message";
      message.textContent = d.message;
      item.append(where, code, message);
      if (d.help) {
        var help = document.createElement("pre");
        help.className = "help";
        help.textContent = "help: " + d.help;
        item.append(help);
      }
      list.append(item);
    });
    box.append(header, list);
    root.append(style, box);
  }

  restoreScroll();
  var source = new EventSource("/__awskb/events");
  source.addEventListener("reload", function (e) {
    var data = JSON.parse(e.data);
    if (data.all || concernsThisPage(data.files || [])) reload();
  });
  source.addEventListener("css", function (e) {
    swapStylesheets(JSON.parse(e.data).files || []);
  });
  source.addEventListener("problems", function (e) {
    showProblems(JSON.parse(e.data).diagnostics || []);
  });
  source.addEventListener("superseded", function () {
    console.info("awskb serve: a rebuild was superseded by a newer save; rebuilding with both");
  });
})();
