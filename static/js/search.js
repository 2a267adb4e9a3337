/* awskb search: live results under the header box, and the /search/ page (query and filters in
   the address, so a search can be shared). Both read the index that awskb writes into
   search-index/ (format: crates/search-index/src/format.rs): meta.json, then only the word
   chunks of the query's words, the records of the results shown and the chosen filters' lists.
   Loaded by the search page, and by awskb.js the first time the header box is used. */
(function () {
  "use strict";

  if (window.awskbSearch) return; // loaded twice (the search page and its header box)
  // Its English stemmer is on it for the browser test that checks it against the index's.
  var api = window.awskbSearch = {};

  // This file is ROOT/js/search.js: the site root and the index follow from its own address,
  // so the same file works under any base path.
  var script = document.currentScript;
  var root = new URL("../", script ? script.src : location.href);
  var bundle = new URL("search-index/", root);

  /* The index files ------------------------------------------------------------------------ */
  var metaLoad = null;
  var files = {};

  function get(response) {
    if (!response.ok) throw new Error(response.status + " " + response.url);
    return response;
  }

  /* meta.json, asked afresh each page load; its stamp versions every other file. */
  function meta() {
    if (!metaLoad) {
      metaLoad = fetch(new URL("meta.json", bundle), { cache: "no-cache" }).then(get)
        .then(function (r) { return r.json(); })
        .then(function (m) {
          if (m.version !== 1) throw new Error("search index version " + m.version);
          return m;
        });
      metaLoad.catch(function () { metaLoad = null; });
    }
    return metaLoad;
  }

  function file(m, path, json) {
    var url = new URL(path, bundle).href + "?v=" + m.stamp;
    if (!files[url]) {
      files[url] = fetch(url).then(get).then(function (r) { return json ? r.json() : r.arrayBuffer(); });
      files[url].catch(function () { delete files[url]; });
    }
    return files[url];
  }

  /* LEB128 numbers and length-prefixed UTF-8 strings. */
  var utf8 = new TextDecoder();
  function Reader(buffer) { this.b = new Uint8Array(buffer); this.i = 0; }
  Reader.prototype.num = function () {
    var value = 0, scale = 1, byte;
    do {
      byte = this.b[this.i++];
      value += (byte & 127) * scale;
      scale *= 128;
    } while (byte & 128);
    return value;
  };
  Reader.prototype.bytes = function () {
    var n = this.num();
    this.i += n;
    return this.b.subarray(this.i - n, this.i);
  };
  Reader.prototype.str = function () { return utf8.decode(this.bytes()); };
  Reader.prototype.list = function () {
    var out = [], at = 0;
    for (var n = this.num(); n > 0; n--) out.push(at += this.num());
    return out;
  };

  /* A word chunk: its entries, each { word, stem, pages: [{ id, weight, positions }] }. */
  var chunks = {};
  function chunk(m, i) {
    if (!chunks[i]) {
      chunks[i] = file(m, "w/" + i + ".bin").then(function (buffer) {
        var r = new Reader(buffer), entries = [];
        while (r.i < r.b.length) {
          var bytes = r.bytes(), word = utf8.decode(bytes);
          var stem = utf8.decode(bytes.subarray(0, r.num())) + r.str();
          var pages = [], id = 0;
          for (var n = r.num(); n > 0; n--) {
            id += r.num();
            pages.push({ id: id, weight: r.b[r.i++], positions: r.list() });
          }
          entries.push({ word: word, stem: stem, pages: pages });
        }
        return entries;
      });
      chunks[i].catch(function () { delete chunks[i]; });
    }
    return chunks[i];
  }

  /* The chunk that holds `word`: the last whose first word is not after it. */
  function chunkOf(m, word) {
    var low = 0, high = m.chunks.length - 1;
    while (low < high) {
      var mid = (low + high + 1) >> 1;
      if (m.chunks[mid] <= word) low = mid; else high = mid - 1;
    }
    return low;
  }

  /* Words as the index has them: Unicode word boundaries, lower case, no accents. */
  var segmenter = window.Intl && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "word" }) : null;
  function fold(word) { return word.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase(); }
  function segments(text) {
    if (segmenter) {
      return Array.from(segmenter.segment(text), function (s) { return { text: s.segment, word: s.isWordLike }; });
    }
    return text.split(/([\p{L}\p{N}_]+(?:[.'’][\p{L}\p{N}_]+)*)/u).filter(Boolean).map(function (t) {
      return { text: t, word: /[\p{L}\p{N}]/u.test(t) };
    });
  }
  function words(text) {
    return segments(text).filter(function (s) { return s.word; }).map(function (s) { return fold(s.text); });
  }

  /* English stems: the Snowball English ("Porter2") stemmer, as the index stems the words
     (crates/search-index checks its word list against the Rust crate, the browser test this
     against the same list). A query word then finds other forms of it that the site has. */
  var stemEnglish = (function () {
    var SPECIAL = {
      skis: "ski", skies: "sky", dying: "die", lying: "lie", tying: "tie", idly: "idl", gently: "gentl",
      ugly: "ugli", early: "earli", only: "onli", singly: "singl", sky: 1, news: 1, howe: 1, atlas: 1,
      cosmos: 1, bias: 1, andes: 1,
    };
    var KEEP = /^(inning|outing|canning|herring|earring|proceed|exceed|succeed)$/;
    // Suffix → replacement, longest first; "=" keeps a suffix, "!" marks a condition below.
    var STEP2 = "ization:ize ational:ate fulness:ful ousness:ous iveness:ive tional:tion biliti:ble lessli:less " +
      "entli:ent ation:ate alism:al aliti:al ousli:ous iviti:ive fulli:ful enci:ence anci:ance abli:able " +
      "izer:ize ator:ate alli:al bli:ble ogi:og! li:!";
    var STEP3 = "ational:ate tional:tion alize:al icate:ic iciti:ic ative:! ical:ic ness: ful:";
    var STEP4 = "ement: ance: ence: able: ible: ment: ant: ent: ism: ate: iti: ous: ive: ize: ion:! al: er: ic:";
    function rules(text) { return text.split(" ").map(function (r) { return r.split(":"); }); }
    STEP2 = rules(STEP2); STEP3 = rules(STEP3); STEP4 = rules(STEP4);

    return function (word) {
      if (Object.prototype.hasOwnProperty.call(SPECIAL, word)) return SPECIAL[word] === 1 ? word : SPECIAL[word];
      var c = Array.from(word);
      if (c.length < 3) return word;
      function vowel(i) { return "aeiouy".indexOf(c[i] || "-") >= 0; }
      function ends(suffix) {
        var at = c.length - suffix.length;
        return at >= 0 && c.slice(at).join("") === suffix ? at : -1;
      }
      function set(at, text) { c = c.slice(0, at).concat(Array.from(text)); }
      // The first rule whose suffix the word has, and where the suffix starts.
      function find(list) {
        for (var i = 0; i < list.length; i++) {
          var at = ends(list[i][0]);
          if (at >= 0) return { at: at, rule: list[i] };
        }
        return null;
      }
      function hasVowel(from, to) {
        for (var i = from; i < to; i++) if (vowel(i)) return true;
        return false;
      }
      // A short syllable ends at `end`.
      function shortSyllable(end) {
        var x = c[end - 1];
        if (end >= 3 && !vowel(end - 3) && vowel(end - 2) && !vowel(end - 1) && "wxY".indexOf(x) < 0) return true;
        return end === 2 && vowel(0) && !vowel(1);
      }

      if (c[0] === "'") c.shift();
      if (c[0] === "y") c[0] = "Y";
      for (var i = 1; i < c.length; i++) if (c[i] === "y" && vowel(i - 1)) c[i] = "Y";
      // R1 and R2: after the first non-vowel that follows a vowel, and again after that.
      function region(from) {
        var i = from;
        while (i < c.length && !vowel(i)) i++;
        while (i < c.length && vowel(i)) i++;
        return Math.min(i + 1, c.length);
      }
      var n = c.length, prefix = /^(gener|commun|arsen)/.exec(c.join(""));
      var p1 = prefix ? prefix[0].length : region(0);
      var p2 = p1 < n ? region(p1) : n;
      var at, found;

      // Step 1a
      if ((at = ends("'s'")) >= 0 || (at = ends("'s")) >= 0 || (at = ends("'")) >= 0) c.length = at;
      if ((at = ends("sses")) >= 0) set(at, "ss");
      else if ((at = ends("ied")) >= 0 || (at = ends("ies")) >= 0) set(at, at > 1 ? "i" : "ie");
      else if (ends("us") < 0 && ends("ss") < 0 && (at = ends("s")) >= 0 && hasVowel(0, at - 1)) c.length = at;

      if (!KEEP.test(c.join(""))) {
        // Step 1b
        if ((at = ends("eedly")) >= 0 || (at = ends("eed")) >= 0) {
          if (at >= p1) set(at, "ee");
        } else if (((at = ends("ingly")) >= 0 || (at = ends("edly")) >= 0 || (at = ends("ing")) >= 0 ||
          (at = ends("ed")) >= 0) && hasVowel(0, at)) {
          c.length = at;
          if (ends("at") >= 0 || ends("bl") >= 0 || ends("iz") >= 0) c.push("e");
          else if (/^(bb|dd|ff|gg|mm|nn|pp|rr|tt)$/.test(c.slice(-2).join(""))) c.length--;
          else if (c.length === p1 && shortSyllable(c.length)) c.push("e");
        }
        // Step 1c
        var last = c.length - 1;
        if ((c[last] === "y" || c[last] === "Y") && last > 1 && !vowel(last - 1)) c[last] = "i";
        // Step 2
        if ((found = find(STEP2)) && found.at >= p1) {
          at = found.at;
          if (found.rule[1] === "og!") { if (c[at - 1] === "l") set(at, "og"); }
          else if (found.rule[1] === "!") { if ("cdeghkmnrt".indexOf(c[at - 1] || "-") >= 0) c.length = at; }
          else set(at, found.rule[1]);
        }
        // Step 3
        if ((found = find(STEP3)) && found.at >= p1 && (found.rule[1] !== "!" || found.at >= p2)) {
          set(found.at, found.rule[1] === "!" ? "" : found.rule[1]);
        }
        // Step 4
        if ((found = find(STEP4)) && found.at >= p2 && (found.rule[1] !== "!" || /[st]/.test(c[found.at - 1] || ""))) {
          c.length = found.at;
        }
        // Step 5
        last = c.length - 1;
        if (c[last] === "e" && (last >= p2 || (last >= p1 && !shortSyllable(last)))) c.length = last;
        else if (c[last] === "l" && last >= p2 && c[last - 1] === "l") c.length = last;
      }
      return c.join("").replace(/Y/g, "y");
    };
  })();
  api.stem = stemEnglish;

  /* Ranking -------------------------------------------------------------------------------- */
  var EXACT = 1, STEMMED = 0.6, PREFIX = 0.45;
  var PREFIX_CHUNKS = 3; // a prefix matches in at most this many chunks
  var STEM_CHUNKS = 3; // the words of a stem lie in at most this many chunks

  /* The chunks from the one of `from` to the one of `to`, at most `most`. */
  function chunkRange(m, from, to, most) {
    var list = [];
    for (var i = chunkOf(m, from); i <= chunkOf(m, to) && list.length < most; i++) list.push(i);
    return list;
  }

  /* The entries one query word matches, each with how much the match counts: the word itself,
     words of the same stem, and words it begins (the word being typed). English words are
     stemmed here as the index stems them; in other languages the word's stem is the index's
     (its own entry, or for a word the site does not have, the longest indexed stem it begins
     with, at most 4 letters shorter). */
  function matchTerm(m, term, typing) {
    // Words that begin with it may lie in the next chunks too, when it is being typed (two
    // for the first letter, whose chunk may hold few of its words).
    var wanted = chunkRange(m, term, typing ? term + "\uffff" : term, Math.min(PREFIX_CHUNKS, term.length + 1));
    var stem = /^en\b/i.test(m.language) ? stemEnglish(term) : "";
    var begins = stem || term.slice(0, Math.max(3, term.length - 4)), ends = begins;
    // The other forms of an English stem begin with it, or with "retry" for "retri" and "hop"
    // for "hope" ("hoping"); in other languages, stems are found among words that share the
    // first letters.
    if (/e$/.test(stem)) begins = ends = stem.slice(0, -1);
    if (/i$/.test(stem)) ends = stem.slice(0, -1) + "y";
    // (Words of one or two letters have no other forms; a word being typed that is its own
    // stem has them among the words it begins.)
    if (term.length > 2 && !(typing && stem === term)) {
      wanted = wanted.concat(chunkRange(m, begins, ends + "\uffff", STEM_CHUNKS));
    }
    wanted = wanted.filter(function (i, at) { return wanted.indexOf(i) === at; });
    return Promise.all(wanted.map(function (i) { return chunk(m, i); })).then(function (lists) {
      var entries = [].concat.apply([], lists);
      if (!stem) {
        var exact = entries.filter(function (e) { return e.word === term; })[0];
        stem = exact ? exact.stem : entries.reduce(function (best, e) {
          return e.stem.length >= 3 && term.length - e.stem.length <= 4 && term.startsWith(e.stem) &&
            e.stem.length > best.length ? e.stem : best;
        }, "");
      }
      var matched = [];
      entries.forEach(function (e) {
        var factor = e.word === term ? EXACT
          : stem && e.stem === stem ? STEMMED
            : typing && e.word.startsWith(term) ? PREFIX * (0.5 + 0.5 * term.length / e.word.length)
              : 0;
        if (factor) matched.push({ entry: e, factor: factor });
      });
      return matched;
    });
  }

  /* Per page: the term's best score and the positions of every matching word. */
  function scoreTerm(m, matched) {
    var pages = new Map();
    matched.forEach(function (match) {
      var df = match.entry.pages.length;
      var idf = Math.log(1 + (m.pages - df + 0.5) / (df + 0.5));
      match.entry.pages.forEach(function (p) {
        var score = idf * match.factor * p.weight / 255;
        var page = pages.get(p.id);
        if (!page) pages.set(p.id, page = { best: 0, sum: 0, positions: [] });
        page.best = Math.max(page.best, score);
        page.sum += score;
        page.positions = page.positions.concat(p.positions);
      });
    });
    // The best matching word counts whole, other forms of the word half.
    pages.forEach(function (page) { page.score = page.best + (page.sum - page.best) / 2; });
    return pages;
  }

  /* Words of the query close together score more; next to each other in order, most. */
  function proximity(a, b) {
    var best = 0;
    a.positions.forEach(function (pa) {
      b.positions.forEach(function (pb) {
        var d = pb - pa;
        best = Math.max(best, d === 1 ? 1 : Math.abs(d) <= 3 ? 0.5 : Math.abs(d) <= 8 ? 0.25 : 0);
      });
    });
    return best * Math.min(a.score, b.score);
  }

  /* The pages of the chosen terms: any term of one taxonomy, every taxonomy chosen. */
  function filtered(m, filters) {
    var names = Object.keys(filters);
    return Promise.all(names.map(function (taxonomy) {
      var terms = (m.filters[taxonomy] && filters[taxonomy]) || [];
      return Promise.all(terms.map(function (term) {
        var path = m.filters[taxonomy][term];
        return path ? file(m, path).then(function (b) { return new Reader(b).list(); }) : [];
      })).then(function (lists) { return new Set([].concat.apply([], lists)); });
    })).then(function (sets) {
      return sets.reduce(function (all, set) {
        return all === null ? set : new Set(Array.from(all).filter(function (id) { return set.has(id); }));
      }, null);
    });
  }

  /* Runs a query: resolves to { results: [{ id, score }], words: Set of matched index words,
     terms: the query's words }. Every word must match; `filters` maps taxonomies to terms. */
  function search(query, filters) {
    return meta().then(function (m) {
      var terms = words(query);
      var typing = !/\s$/.test(query);
      return Promise.all([
        Promise.all(terms.map(function (term, i) { return matchTerm(m, term, typing && i === terms.length - 1); })),
        Object.keys(filters).length ? filtered(m, filters) : null,
      ]).then(function (found) {
        var allowed = found[1], matched = [];
        found[0].forEach(function (list) { list.forEach(function (x) { matched.push(x.entry.word); }); });
        var results = [];
        if (!terms.length) {
          if (allowed) allowed.forEach(function (id) { results.push({ id: id, score: 0 }); });
        } else {
          var scored = found[0].map(function (list) { return scoreTerm(m, list); });
          scored[0].forEach(function (page, id) {
            if (allowed && !allowed.has(id)) return;
            var parts = scored.map(function (pages) { return pages.get(id); });
            if (parts.some(function (p) { return !p; })) return;
            var score = parts.reduce(function (sum, p) { return sum + p.score; }, 0);
            for (var i = 1; i < parts.length; i++) score += proximity(parts[i - 1], parts[i]);
            results.push({ id: id, score: score });
          });
        }
        results.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
        return { meta: m, results: results, words: new Set(matched), terms: terms };
      });
    });
  }

  /* A result's page, its parts that match (sub-results) and their excerpts. */
  function pageData(found, result) {
    var m = found.meta;
    return file(m, "p/" + Math.floor(result.id / 1000) + "/" + result.id + ".json", true).then(function (record) {
      var parts = record.parts.map(function (part, at) {
        var title = marks(segments(part[1]), found.words);
        var text = marks(segments(part[2]), found.words);
        return {
          at: at,
          anchor: part[0],
          title: part[1],
          url: new URL(record.url.slice(1) + (part[0] ? "#" + part[0] : ""), root).href,
          hits: 2 * title.hits + text.hits,
          excerpt: text,
        };
      }).filter(function (part) { return found.terms.length ? part.hits : !part.at; });
      parts.sort(function (a, b) { return b.hits - a.hits || a.at - b.at; });
      return { url: new URL(record.url.slice(1), root).href, title: record.title, section: record.section, parts: parts };
    });
  }

  /* A text's segments with the matching words marked, and how many there are. */
  function marks(list, wordSet) {
    var hits = 0;
    list.forEach(function (s) {
      s.hit = s.word && wordSet.has(fold(s.text));
      if (s.hit) hits++;
    });
    return { segments: list, hits: hits };
  }

  /* Excerpts: about EXCERPT words around the densest run of matches. */
  var EXCERPT = 24;
  function excerpt(text) {
    var node = element("p", "search-excerpt");
    var list = text.segments, wordAt = [];
    list.forEach(function (s, i) { if (s.word) wordAt.push(i); });
    var best = 0, bestHits = -1;
    for (var w = 0; w < Math.max(1, wordAt.length - EXCERPT + 1); w++) {
      var hits = 0;
      for (var k = w; k < Math.min(wordAt.length, w + EXCERPT); k++) if (list[wordAt[k]].hit) hits++;
      if (hits > bestHits) { bestHits = hits; best = w; }
    }
    var start = Math.max(0, best - 4);
    var from = wordAt.length ? wordAt[start] : 0;
    var to = wordAt.length ? wordAt[Math.min(wordAt.length, start + EXCERPT) - 1] + 1 : list.length;
    if (from > 0) node.append("… ");
    list.slice(from, to).forEach(function (s) {
      node.append(s.hit ? element("mark", null, s.text) : s.text);
    });
    if (to < list.length) node.append(" …");
    return node;
  }

  /* Showing results ------------------------------------------------------------------------- */
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /* One result of the search page: the page, its section path, and its matching headings. */
  function pageResult(data) {
    var item = element("li", "search-result");
    var title = element("a", "search-result-title", data.title || data.url);
    title.href = data.url;
    item.appendChild(title);
    if (data.section) item.appendChild(element("p", "search-section", data.section));
    var intro = data.parts.filter(function (part) { return !part.anchor; })[0];
    var headings = data.parts.filter(function (part) { return part.anchor; }).slice(0, 3);
    if (intro || !headings.length) {
      item.appendChild(excerpt(intro ? intro.excerpt : { segments: [] }));
    }
    if (headings.length) {
      var list = element("ul", "search-headings");
      headings.sort(function (a, b) { return a.at - b.at; });
      headings.forEach(function (part) {
        var entry = element("li");
        var link = element("a", "search-heading", part.title);
        link.href = part.url;
        entry.append(link, excerpt(part.excerpt));
        list.appendChild(entry);
      });
      item.appendChild(list);
    }
    return item;
  }

  /* One result under the header box: a link to the place of the best match. */
  function quickResult(data) {
    var best = data.parts[0];
    var item = element("li");
    var link = element("a", "search-quick");
    link.href = best ? best.url : data.url;
    var title = element("span", "search-quick-title", data.title || data.url);
    if (best && best.anchor) title.appendChild(element("span", "search-quick-heading", best.title));
    link.appendChild(title);
    if (data.section) link.appendChild(element("span", "search-section", data.section));
    link.appendChild(excerpt(best ? best.excerpt : { segments: [] }));
    item.appendChild(link);
    return item;
  }

  function loadData(found, from, count) {
    return Promise.all(found.results.slice(from, from + count).map(function (result) {
      return pageData(found, result);
    }));
  }

  /* A search box's searches: each call runs after `delay` ms without a newer call and hands
     its results to `show` with a function to call right before showing them, which tells
     whether they may still be shown (no newer call's results are). A call without `show` only
     cancels the earlier ones. */
  function searcher(onError) {
    var latest = 0;
    var shown = 0; // the latest call whose results are (being) shown
    var timer;
    return function (query, filters, delay, show) {
      var mine = ++latest;
      // A search that ends after a newer one started still shows its results, unless a newer
      // one's are shown already: results keep up with typing faster than a search takes.
      // `show` calls it right before it shows them.
      function current() {
        if (mine < shown) return false;
        shown = mine;
        return true;
      }
      window.clearTimeout(timer);
      if (!show) {
        shown = mine;
        return;
      }
      timer = window.setTimeout(function () {
        search(query, filters).then(function (found) {
          if (mine >= shown) return show(found, current);
        }).catch(function (error) {
          if (mine === latest) onError(error);
        });
      }, delay);
    };
  }

  function failed(error, status) {
    status.textContent = "Search is unavailable: the index could not be loaded.";
    if (window.console) console.warn("awskb search:", error);
  }

  function counted(n) { return n + (n === 1 ? " result" : " results"); }

  /* The header box ----------------------------------------------------------------------- */
  function initHeaderBox() {
    var form = document.querySelector(".site-search");
    var input = form && form.querySelector("input[name=q]");
    if (!input) return;
    meta().catch(function () {}); // fetched while the reader types the first key
    var popup = element("div", "search-popup");
    popup.hidden = true;
    var status = element("p", "search-popup-status");
    status.setAttribute("role", "status");
    var list = element("ol", "search-popup-results");
    var all = element("a", "search-popup-all");
    popup.append(status, list, all);
    form.appendChild(popup);
    var ran = false;

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
      // The first key searches at once; later ones wait for a pause in typing.
      run(input.value, {}, ran ? 60 : 0, function (found, current) {
        return loadData(found, 0, 6).then(function (pages) {
          if (!current()) return;
          list.replaceChildren.apply(list, pages.map(quickResult));
          status.textContent = found.results.length ? counted(found.results.length) : "No results for “" + query + "”";
          all.textContent = "All results for “" + query + "”";
          all.href = form.action + "?" + new URLSearchParams({ q: query });
          all.hidden = !found.results.length;
          popup.hidden = false;
        });
      });
      ran = true;
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
    var shown = null;

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
          result[group.dataset.filter] = chosen;
          group.open = true;
        }
      });
      return result;
    }

    var search = searcher(function (error) { failed(error, status); });

    function showMore() {
      var found = shown;
      var from = list.childElementCount;
      return loadData(found, from, PAGE).then(function (pages) {
        if (found !== shown || list.childElementCount !== from) return; // a newer search won
        list.append.apply(list, pages.map(pageResult));
        more.hidden = list.childElementCount >= found.results.length;
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
        shown = null;
        list.replaceChildren();
        status.textContent = "";
        more.hidden = true;
        return;
      }
      search(query, chosen, delay, function (found, current) {
        if (!current()) return;
        shown = found;
        list.replaceChildren();
        var n = found.results.length;
        status.textContent = n
          ? (query ? counted(n) + " for “" + query + "”" : counted(n))
          : "No results" + (query ? " for “" + query + "”" : "") + ".";
        offerToClear(!n && Object.keys(chosen).length > 0);
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
    input.addEventListener("input", function () { run(120); });
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
