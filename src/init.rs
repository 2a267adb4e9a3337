//! `awskb init DIR`: a new site that builds as it is.

use std::path::{Path, PathBuf};

use thiserror::Error;

/// Why a site could not be created.
#[derive(Debug, Error)]
pub enum InitError {
    #[error("{0} already exists and is not empty; choose a new folder name")]
    NotEmpty(PathBuf),
    #[error("cannot create {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

const CONFIG: &str = r#"# awskb site settings; every key is optional. See the README for all of them.
title = "My AWS Notes"
description = "Study notes, runbooks and practice questions about AWS."
# Where the site will be hosted; a sub-path such as https://example.org/kb/ works too. A full
# URL (with https://) also writes sitemap.xml and the Atom feed, which need absolute links.
base_url = "/"
taxonomies = ["tags", "categories"]
# A search box on every page and a /search/ page; false leaves out the index (search-index/).
search = true
# A /practice/ page: exams drawn from the questions in your pages; false leaves it out.
practice = true

[markdown]
toc_min_level = 2
toc_max_level = 4
"#;

const HOME: &str = r#"---
title: My AWS Notes
description: Study notes, runbooks and practice questions about AWS.
---

Welcome! Start with [the Lambda notes](services/lambda/) or write a new page under `content/`.
"#;

const SECTION: &str = r#"---
title: Services
description: One page per AWS service.
weight: 1
---

Notes on the services I use, one page each.
"#;

const PAGE: &str = r#"---
title: AWS Lambda
description: Run code without managing servers.
toc: true
tags: [AWS, Serverless]
categories: [Compute]
date: 2024-01-15
weight: 10
---

## About

AWS Lambda runs your code in response to events and bills per millisecond of execution.

```python
def handler(event, context):
    return {"statusCode": 200, "body": "hello"}
```

> [!TIP]
> Keep functions small and give each one only the IAM permissions it needs.

## Questions

Each question below is written in one of the forms awskb recognises; in the built page each one
can be answered and checked, and all of them are in the practice exam at `/practice/`.

### Q1

**What is the maximum timeout of a Lambda function?**

1. 5 minutes
2. 15 minutes
3. 1 hour

<details>
<summary>Explanation</summary>
<div>

The maximum timeout is 900 seconds: <mark>2</mark>

</div>
</details>

### Q2

Which of these can invoke a Lambda function directly? (Choose two.)

- [x] Amazon S3 event notifications
- [ ] Amazon EBS snapshots
- [x] Amazon EventBridge rules
- [ ] AWS Cost Explorer

### Q3

Where does a Lambda function write its logs by default?

- **A.** Amazon S3
- **B.** AWS CloudTrail
- **C.** Amazon CloudWatch Logs

<details>
<summary>Answer</summary>

Correct answer: C

</details>

### Q4

Which setting gives a function more CPU?

- A. Timeout
- B. Memory

#### A. Timeout — ❌ Incorrect

The timeout only limits how long an invocation may run.

#### B. Memory — ✅ Correct

Lambda allocates CPU in proportion to the memory you configure.

### How are Lambda functions billed? {#lambda-billing .question}

- [ ] Per hour the function is deployed
  > Nothing is billed while a function is idle.
- [x] Per request and per millisecond of execution
  > Plus the memory configured, as GB-seconds.
"#;

/// Creates a new site in `dir`, which must not exist or be empty.
pub fn init(dir: &Path) -> Result<(), InitError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| InitError::Io { path, source }
    };
    if dir.exists() && std::fs::read_dir(dir).map_err(io(dir))?.next().is_some() {
        return Err(InitError::NotEmpty(dir.to_path_buf()));
    }
    let files: [(&str, &str); 5] = [
        ("awskb.toml", CONFIG),
        ("content/_index.md", HOME),
        ("content/services/_index.md", SECTION),
        ("content/services/lambda.md", PAGE),
        (".gitignore", "/public/\n"),
    ];
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, text).map_err(io(&path))?;
    }
    for folder in ["templates", "static"] {
        let path = dir.join(folder);
        std::fs::create_dir_all(&path).map_err(io(&path))?;
    }
    Ok(())
}
