//! The contexts of the machine-read files: the sitemap, the Atom feed and robots.txt.

use serde::Serialize;
use tera::Context;

use super::context::{Views, summarise};
use crate::content::{Page, PageKind, Site};
use crate::plan::{Kind, Plan};

#[derive(Serialize)]
struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
}

#[derive(Serialize)]
struct FeedEntry {
    title: String,
    url: String,
    date: String,
    updated: String,
    summary: String,
    content: String,
}

/// The sitemap: every page, taxonomy and term, with absolute URLs.
pub fn sitemap_context(views: &Views, mut sitemap: Context) -> Context {
    let site = views.site;
    let url = |path: &str| site.config.permalink(&views.href(path));
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
    sitemap.insert("entries", &entries);
    sitemap
}

/// robots.txt, naming the sitemap when there is one.
pub fn robots_context(views: &Views, plan: &Plan, mut robots: Context) -> Context {
    let sitemap = plan
        .sitemap_url()
        .map(|path| views.site.config.permalink(&views.href(path)))
        .unwrap_or_default();
    robots.insert("sitemap_url", &sitemap);
    robots
}

/// The pages in the Atom feed, newest first; none when there is no feed.
pub fn feed_pages<'a>(site: &'a Site, plan: &Plan) -> Vec<&'a Page> {
    let config = &site.config;
    if plan.find(Kind::Feed).is_none() {
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

/// The Atom feed of the pages [`feed_pages`] picks.
pub fn feed_context(views: &Views, plan: &Plan, mut feed: Context) -> Context {
    let site = views.site;
    let config = &site.config;
    let url = |path: &str| config.permalink(&views.href(path));
    let dated = feed_pages(site, plan);
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
                    .unwrap_or_else(|| summarise(&page.rendered.text.unpack(), 200)),
                content: page.rendered.html.unpack(),
            }
        })
        .collect();
    // The newest date in the site, not the clock, so two builds of the same content match.
    let updated = entries
        .iter()
        .map(|e| e.updated.clone())
        .max()
        .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into());
    feed.insert("entries", &entries);
    feed.insert("updated", &updated);
    feed.insert("feed_url", &url(plan.url(Kind::Feed).unwrap_or("/")));
    feed.insert("home_url", &url("/"));
    feed
}
