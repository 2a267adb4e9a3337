//! One page as the HTML document Pagefind indexes, synthesized from the pipeline's own data
//! (title, description, plain text cut at each heading, terms, section path) instead of the
//! rendered page, so the index holds the prose and none of the theme's navigation, code
//! highlighting or diagrams.
//!
//! Pagefind's custom records (`add_custom_record`) carry no headings, so they give no
//! sub-results; a small document with `<hN id>` elements does: Pagefind turns each heading with
//! an id into a sub-result that links to `page#id`.

use crate::markdown::{Heading, escape};

/// What the index needs of one page.
pub struct Document<'a> {
    /// The page's href without the base path (`/aws/lambda/`); the browser adds the base path.
    pub url: String,
    pub title: String,
    pub description: &'a str,
    /// The page's plain text and its headings, located in it.
    pub text: &'a str,
    pub headings: &'a [Heading],
    /// Titles of the sections above the page, outermost first, without the home page.
    pub sections: Vec<String>,
    /// (taxonomy, term) pairs: Pagefind filters such as `tags` = `Step Functions`.
    pub filters: Vec<(&'a str, String)>,
}

/// The separator of the section path shown with each result (`AWS › Step Functions`).
pub const SECTION_SEPARATOR: &str = " › ";

impl Document<'_> {
    /// The HTML that Pagefind reads: the title as `<h1>` (Pagefind's default result title),
    /// the text in paragraphs between the headings, and filters and the section path as
    /// attributes of empty elements (so they add no words to the text).
    pub fn html(&self, language: &str) -> String {
        let mut html = String::with_capacity(self.text.len() + 512);
        html.push_str(&format!(
            "<html lang=\"{}\"><body><main data-pagefind-body><h1>{}</h1>",
            escape(language),
            escape(&self.title)
        ));
        paragraph(&mut html, self.description);
        let mut at = 0;
        for heading in self.headings {
            paragraph(
                &mut html,
                self.text.get(at..heading.text.start).unwrap_or(""),
            );
            let level = heading.level.clamp(1, 6);
            html.push_str(&format!(
                "<h{level} id=\"{}\">{}</h{level}>",
                escape(&heading.id),
                escape(self.text.get(heading.text.clone()).unwrap_or(""))
            ));
            at = heading.text.end;
        }
        paragraph(&mut html, self.text.get(at..).unwrap_or(""));
        if !self.sections.is_empty() {
            attribute_only(
                &mut html,
                "data-pagefind-meta",
                "section",
                &self.sections.join(SECTION_SEPARATOR),
            );
        }
        for (taxonomy, term) in &self.filters {
            attribute_only(&mut html, "data-pagefind-filter", taxonomy, term);
        }
        html.push_str("</main></body></html>");
        html
    }
}

/// A `<p>` of `text`, unless it is blank.
fn paragraph(html: &mut String, text: &str) {
    let text = text.trim();
    if !text.is_empty() {
        html.push_str("<p>");
        html.push_str(&escape(text));
        html.push_str("</p>");
    }
}

/// `<span ATTRIBUTE="KEY:VALUE"></span>`. Pagefind splits the attribute at the first `:` and
/// takes the rest whole, so a value may hold `:` and `,`.
fn attribute_only(html: &mut String, attribute: &str, key: &str, value: &str) {
    html.push_str(&format!(
        "<span {attribute}=\"{}:{}\"></span>",
        escape(key),
        escape(value)
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(level: u8, id: &str, text: &str, title: &str) -> Heading {
        let start = text.find(title).unwrap();
        Heading {
            level,
            id: id.into(),
            text: start..start + title.len(),
        }
    }

    #[test]
    fn text_is_cut_at_each_heading() {
        let text = "Intro text. Limits Up to 15 <minutes>. Cold starts Often slow. ";
        let headings = [
            heading(2, "limits", text, "Limits"),
            heading(3, "cold", text, "Cold starts"),
        ];
        let doc = Document {
            url: "/aws/lambda/".into(),
            title: "Lambda & co".into(),
            description: "",
            text,
            headings: &headings,
            sections: vec!["AWS".into(), "Compute".into()],
            filters: vec![
                ("tags", "Serverless, FaaS".into()),
                ("categories", "a:b".into()),
            ],
        };
        assert_eq!(
            doc.html("en"),
            "<html lang=\"en\"><body><main data-pagefind-body><h1>Lambda &amp; co</h1>\
             <p>Intro text.</p><h2 id=\"limits\">Limits</h2><p>Up to 15 &lt;minutes&gt;.</p>\
             <h3 id=\"cold\">Cold starts</h3><p>Often slow.</p>\
             <span data-pagefind-meta=\"section:AWS › Compute\"></span>\
             <span data-pagefind-filter=\"tags:Serverless, FaaS\"></span>\
             <span data-pagefind-filter=\"categories:a:b\"></span></main></body></html>"
        );
    }

    #[test]
    fn description_leads_and_empty_parts_are_left_out() {
        let doc = Document {
            url: "/".into(),
            title: "Home".into(),
            description: "About this site",
            text: "  ",
            headings: &[],
            sections: Vec::new(),
            filters: Vec::new(),
        };
        assert_eq!(
            doc.html("en"),
            "<html lang=\"en\"><body><main data-pagefind-body><h1>Home</h1>\
             <p>About this site</p></main></body></html>"
        );
    }
}
