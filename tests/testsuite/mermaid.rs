//! ```mermaid blocks: kept as their source in `<pre class="mermaid">` for the browser to draw
//! (static/js/mermaid-init.js), never an unknown-language warning; the bundle ships with the site.

use crate::common::*;
use awskb::BuildOptions;

#[test]
fn mermaid_blocks_keep_their_source_for_the_browser() {
    let site = copy_fixture("mermaid");
    let options = BuildOptions::new(site.path());
    let report = awskb::build(&options).unwrap();
    assert!(
        !report
            .diagnostics
            .iter()
            .any(|d| d.code == "unknown-language"),
        "{:#?}",
        report.diagnostics
    );
    let out = site.path().join("public");
    let page = html(&out.join("flow/index.html"));
    let blocks = scraper::Selector::parse("pre.mermaid").unwrap();
    let sources: Vec<String> = page
        .select(&blocks)
        .map(|b| b.text().collect::<String>())
        .collect();
    assert_eq!(sources.len(), 2);
    assert!(
        sources[0].starts_with("flowchart LR\n  Client --> Gateway[API Gateway]"),
        "{sources:?}"
    );
    assert!(
        sources[0].contains("Table[(DynamoDB)]"),
        "brackets are text, not markup"
    );
    let highlighted =
        scraper::Selector::parse("pre.mermaid span, pre.highlight[data-lang=mermaid]").unwrap();
    assert_eq!(page.select(&highlighted).count(), 0);
    for asset in ["js/mermaid-init.js", "js/vendor/mermaid.js"] {
        assert!(out.join(asset).is_file(), "{asset} is written");
    }
    // Other pages are untouched.
    let plain = html(&out.join("plain/index.html"));
    assert_eq!(plain.select(&blocks).count(), 0);
}
