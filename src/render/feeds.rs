//! The machine-read files: `sitemap.xml`, the Atom feed and `robots.txt`.

use serde::Serialize;
use tera::Context;

use super::context::{Views, summarise};
use crate::content::{Page, PageKind, Site};

#[derive(Serialize)]
struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
}

#[derive(Serialize)]
struct FeedEntry<'a> {
    title: String,
    url: String,
    date: String,
    updated: String,
    summary: String,
    content: &'a str,
}

/// Whether the sitemap and the feed can be written: both need absolute URLs, so `base_url`
/// must be a full URL (`https://example.org/kb/`), not only a path.
pub fn absolute_urls(config: &crate::config::Config) -> bool {
    !config.origin().is_empty()
}

/// (output file, template, context) for robots.txt and, with absolute URLs, the sitemap.
pub fn sitemap_contexts(
    views: &Views,
    base_context: &dyn Fn() -> Context,
) -> Vec<(String, &'static str, Context)> {
    let site = views.site;
    let config = &site.config;
    let url = |path: &str| config.permalink(&views.href(path));
    let mut robots = base_context();
    if !absolute_urls(config) {
        robots.insert("sitemap_url", &"");
        return vec![("robots.txt".to_string(), "robots.txt", robots)];
    }
    robots.insert("sitemap_url", &url("/sitemap.xml"));

    let mut entries: Vec<SitemapEntry> = site
        .pages
        .iter()
        .map(|page| SitemapEntry {
            loc: url(&page.path),
            lastmod: page
                .meta
                .updated
                .or(page.meta.date)
                .map(|d| d.format("%Y-%m-%d").to_string()),
        })
        .collect();
    for taxonomy in &site.taxonomies {
        entries.push(SitemapEntry {
            loc: url(&taxonomy.path),
            lastmod: None,
        });
        entries.extend(taxonomy.terms.iter().map(|t| SitemapEntry {
            loc: url(&t.path),
            lastmod: None,
        }));
    }
    let mut sitemap = base_context();
    sitemap.insert("entries", &entries);
    vec![
        ("sitemap.xml".to_string(), "sitemap.xml", sitemap),
        ("robots.txt".to_string(), "robots.txt", robots),
    ]
}

/// The pages in the Atom feed, newest first; none when there is no feed.
pub fn feed_pages(site: &Site) -> Vec<&Page> {
    let config = &site.config;
    if !config.feed.enabled || !absolute_urls(config) {
        return Vec::new();
    }
    let mut dated: Vec<&Page> = site
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Page && p.meta.date.is_some())
        .collect();
    dated.sort_by(|a, b| {
        b.meta
            .updated
            .or(b.meta.date)
            .cmp(&a.meta.updated.or(a.meta.date))
            .then_with(|| a.path.cmp(&b.path))
    });
    dated.truncate(config.feed.limit);
    dated
}

/// (output file, template, context) for the Atom feed, when there is one.
pub fn feed_context(
    views: &Views,
    base_context: &dyn Fn() -> Context,
) -> Option<(String, &'static str, Context)> {
    let site = views.site;
    let config = &site.config;
    if !config.feed.enabled || !absolute_urls(config) {
        return None;
    }
    let url = |path: &str| config.permalink(&views.href(path));
    let dated = feed_pages(site);
    let entries: Vec<FeedEntry> = dated
        .iter()
        .map(|page| {
            let date = page.meta.date.expect("filtered on date");
            FeedEntry {
                title: page.title(),
                url: url(&page.path),
                date: date.to_rfc3339(),
                updated: page.meta.updated.unwrap_or(date).to_rfc3339(),
                summary: page
                    .meta
                    .description
                    .clone()
                    .unwrap_or_else(|| summarise(&page.rendered.text, 200)),
                content: &page.rendered.html,
            }
        })
        .collect();
    // The newest date in the site, not the clock, so two builds of the same content match.
    let updated = entries
        .iter()
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into());
    let mut feed = base_context();
    feed.insert("entries", &entries);
    feed.insert("updated", &updated);
    feed.insert("feed_url", &url("/atom.xml"));
    feed.insert("home_url", &url("/"));
    Some(("atom.xml".to_string(), "atom.xml", feed))
}
