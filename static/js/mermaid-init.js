/* awskb: draws ```mermaid blocks (`<pre class="mermaid">` in the page) with Mermaid, bundled from
   npm into vendor/mermaid.js (web/build.mjs); awskb.js loads this script only on pages that have
   such a block. Nothing is fetched from elsewhere. The drawings follow the site's light or dark
   theme and are drawn again when the reader switches it. */
(function () {
  "use strict";

  var me = document.currentScript;
  var blocks = Array.prototype.slice.call(document.querySelectorAll("pre.mermaid"));
  if (!me || blocks.length === 0) return;
  var sources = blocks.map(function (block) { return block.textContent; });
  var drawn = 0;

  /** Whether the page shows its dark theme (the toggle's choice, else the system's). */
  function dark() {
    var chosen = document.documentElement.dataset.theme;
    if (chosen === "dark" || chosen === "light") return chosen === "dark";
    return window.matchMedia("(prefers-color-scheme: dark)").matches;
  }

  /** Draws every block in the current theme; a block Mermaid cannot read keeps its source and
      says why. */
  function draw(mermaid) {
    var round = ++drawn;
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      theme: dark() ? "dark" : "default",
      fontFamily: getComputedStyle(document.body).fontFamily
    });
    blocks.reduce(function (previous, block, index) {
      return previous.then(function () {
        if (round !== drawn) return null;
        return mermaid.render("_mermaid-" + round + "-" + index, sources[index]).then(function (result) {
          if (round !== drawn) return;
          block.innerHTML = result.svg;
          block.classList.add("mermaid-drawn");
          block.classList.remove("mermaid-failed");
          block.setAttribute("role", "img");
          block.setAttribute("aria-label", "Diagram: " + sources[index].trim().split("\n")[0]);
        }, function (error) {
          block.textContent = sources[index];
          block.classList.add("mermaid-failed");
          // Mermaid's message: where, the line with a caret, then what it expected.
          var lines = String(error && error.message ? error.message : error).split("\n").filter(Boolean);
          var said = lines.length > 1 ? lines[0] + " " + lines[lines.length - 1] : lines[0];
          block.setAttribute("data-error", "Mermaid could not draw this diagram: " + said);
        });
      });
    }, Promise.resolve());
  }

  var script = document.createElement("script");
  script.src = me.dataset.mermaid || new URL("vendor/mermaid.js", me.src).href;
  script.onload = function () {
    var mermaid = window.awskbMermaid && window.awskbMermaid.default;
    if (!mermaid) return;
    draw(mermaid);
    var wasDark = dark();
    function maybeRedraw() {
      if (dark() === wasDark) return;
      wasDark = dark();
      draw(mermaid);
    }
    new MutationObserver(maybeRedraw).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", maybeRedraw);
  };
  document.head.appendChild(script);
})();
