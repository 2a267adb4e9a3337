//! The built-in theme, embedded in the binary so a site needs no templates or assets of its
//! own. A site's `templates/` and `static/` override these file by file.

/// Built-in templates: (name, source).
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "components.html",
        include_str!("../../templates/components.html"),
    ),
    ("base.html", include_str!("../../templates/base.html")),
    ("page.html", include_str!("../../templates/page.html")),
    ("section.html", include_str!("../../templates/section.html")),
    ("index.html", include_str!("../../templates/index.html")),
    (
        "taxonomy_list.html",
        include_str!("../../templates/taxonomy_list.html"),
    ),
    (
        "taxonomy_term.html",
        include_str!("../../templates/taxonomy_term.html"),
    ),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
    (
        "playground.html",
        include_str!("../../templates/playground.html"),
    ),
    (
        "practice.html",
        include_str!("../../templates/practice.html"),
    ),
    ("alias.html", include_str!("../../templates/alias.html")),
    ("sitemap.xml", include_str!("../../templates/sitemap.xml")),
    ("atom.xml", include_str!("../../templates/atom.xml")),
    ("robots.txt", include_str!("../../templates/robots.txt")),
];

/// Built-in static files: (output path, bytes).
pub const STATIC: &[(&str, &[u8])] = &[
    (
        "css/style.css",
        include_bytes!("../../static/css/style.css"),
    ),
    (
        "css/questions.css",
        include_bytes!("../../static/css/questions.css"),
    ),
    ("js/awskb.js", include_bytes!("../../static/js/awskb.js")),
    ("js/search.js", include_bytes!("../../static/js/search.js")),
    (
        "js/asl-runner.js",
        include_bytes!("../../static/js/asl-runner.js"),
    ),
    (
        "js/questions.js",
        include_bytes!("../../static/js/questions.js"),
    ),
    (
        "js/practice.js",
        include_bytes!("../../static/js/practice.js"),
    ),
    (
        "js/mermaid-init.js",
        include_bytes!("../../static/js/mermaid-init.js"),
    ),
    // Bundled from npm by web/build.mjs (`cd web && npm ci && npm run build`).
    (
        "js/vendor/codemirror.js",
        include_bytes!("../../static/js/vendor/codemirror.js"),
    ),
    (
        "js/vendor/mermaid.js",
        include_bytes!("../../static/js/vendor/mermaid.js"),
    ),
    // The default icon; a site's own `static/favicon.*` takes its place (see `favicon`).
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
    // Built by `cargo xtask wasm` from crates/asl-wasm.
    ("asl/asl.wasm", include_bytes!("../../static/asl/asl.wasm")),
];

/// Icon names a site's `static/` may use instead of the theme's, most preferred first, with
/// their media types.
pub const FAVICONS: &[(&str, &str)] = &[
    ("favicon.svg", "image/svg+xml"),
    ("favicon.png", "image/png"),
    ("favicon.ico", "image/x-icon"),
];

/// Whether the theme ships a static file at `path` (relative to the output root).
pub fn has_static(path: &str) -> bool {
    STATIC.iter().any(|(name, _)| *name == path)
}
