#!/usr/bin/env python3
"""Build benchmark for awskb, with Hugo as a reference when it is installed.

Generates a synthetic AWS knowledge base (pages shaped like a typical awskb page: YAML front matter,
headings, paragraphs, highlighted code, a table, exam questions with <details> answers, cross links),
builds it several times with `awskb build` and, when `hugo` is on PATH, with Hugo, and prints the
median wall time, pages per second and peak resident memory of each.

Standard library only (Python 3.11+). Run `python3 bench/build_bench.py --help` for the options.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin, urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (1000, 10000)
DEFAULT_SEED = 20240917
SECTIONS = 20
STAMP_FILE = ".bench-stamp.json"

# --------------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------------

TAGS = [
    "Lambda", "Step Functions", "S3", "DynamoDB", "EC2", "ECS", "EKS", "Fargate", "API Gateway",
    "SQS", "SNS", "EventBridge", "Kinesis", "CloudWatch", "CloudFormation", "CDK", "IAM", "KMS",
    "Secrets Manager", "VPC", "Route 53", "CloudFront", "RDS", "Aurora", "ElastiCache", "Redshift",
    "Athena", "Glue", "EMR", "SageMaker", "Cognito", "AppSync", "X-Ray", "CodePipeline", "CodeBuild",
    "Elastic Beanstalk", "Systems Manager", "Organizations", "Config", "GuardDuty",
]

CATEGORIES = [
    "Compute", "Storage", "Databases", "Networking", "Security", "Analytics",
    "Application Integration", "Developer Tools",
]

TOPICS = [
    "Basics", "Deep Dive", "Patterns", "Quotas", "Pricing", "Security", "Monitoring", "Scaling",
    "Networking", "Integration", "Troubleshooting", "Best Practices", "Cost Control", "Migration",
    "Automation", "Resilience",
]

WORDS = """
account action alarm application architecture artifact availability backup batch bucket cache
capacity certificate change client cluster compliance concurrency configuration connection console
container cost dashboard data database deployment destination distribution domain durability
encryption endpoint environment error event execution failover function gateway group handler
identity image instance integration invocation key latency layer lifecycle limit listener log
message metric migration model monitoring namespace network node notification object operation
partition payload permission pipeline policy pool principal provisioning queue quota record region
replica replication request resource response retention retry role rule runtime scaling schema
secret service session shard snapshot source stack state storage stream subnet subscription table
target task template throughput timeout token topic trace traffic trigger version volume workflow
workload zone
""".split()

VERBS = """
stores routes invokes scales encrypts replicates filters batches retries publishes consumes
throttles validates transforms aggregates monitors deploys provisions rotates caches partitions
""".split()

ADJECTIVES = """
managed serverless durable regional global private public scalable asynchronous synchronous
idempotent encrypted isolated elastic highly-available fault-tolerant cost-effective low-latency
""".split()

EXTRA_H2 = [
    "Architecture", "Monitoring", "Security", "Best Practices", "Troubleshooting", "Integrations",
    "Cost Optimization", "Performance", "Deployment", "Data Protection", "Observability",
    "Operations",
]

H3_POOL = [
    "Key concepts", "How it works", "Configuration", "Quotas and limits", "Retries and errors",
    "Permissions", "Logging", "Metrics", "Encryption", "Scaling behaviour", "Networking details",
    "Common mistakes", "Service integrations", "Versioning", "Testing locally", "Clean up",
]

CODE_LANGS = ["python", "json", "yaml", "bash"]

CODE_TEMPLATES = {
    "python": '''import json

import boto3

@CLIENT@ = boto3.client("@SVC@")


def handler(event, context):
    """@SERVICE@: @TOPIC@ example @N@."""
    records = event.get("Records", [])
    processed = 0
    for record in records:
        body = json.loads(record.get("body", "{}"))
        if not body.get("@FIELD@"):
            continue
        response = @CLIENT@.@OP@(
            Name="@NAME@",
            Payload=json.dumps(body).encode("utf-8"),
        )
        status = response["ResponseMetadata"]["HTTPStatusCode"]
        print(f"record {processed}: status {status}")
        processed += 1
    return {"statusCode": 200, "processed": processed, "limit": @NUM@}
''',
    "json": '''{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Allow@SID@",
      "Effect": "Allow",
      "Action": [
        "@SVC@:@OP@",
        "@SVC@:Describe*",
        "@SVC@:List*"
      ],
      "Resource": "arn:aws:@SVC@:us-east-1:123456789012:@FIELD@/@NAME@"
    },
    {
      "Sid": "DenyWithoutTls",
      "Effect": "Deny",
      "Action": "@SVC@:*",
      "Resource": "*",
      "Condition": {
        "Bool": { "aws:SecureTransport": "false" },
        "NumericGreaterThan": { "@SVC@:RequestCount": @NUM@ }
      }
    }
  ]
}
''',
    "yaml": '''AWSTemplateFormatVersion: "2010-09-09"
Description: @SERVICE@ @TOPIC@ example @N@
Parameters:
  Stage:
    Type: String
    Default: dev
    AllowedValues: [dev, staging, prod]
Resources:
  @SID@Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: { Service: @SVC@.amazonaws.com }
            Action: sts:AssumeRole
  @SID@Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "@NAME@-${Stage}"
      VisibilityTimeout: @NUM@
      MessageRetentionPeriod: 345600
Outputs:
  QueueUrl:
    Value: !Ref @SID@Queue
''',
    "bash": '''#!/usr/bin/env bash
set -euo pipefail

REGION="${AWS_REGION:-us-east-1}"
NAME="@NAME@"

# @SERVICE@: @TOPIC@ example @N@
aws @SVC@ @CLI_OP@ \\
  --region "$REGION" \\
  --name "$NAME" \\
  --max-items @NUM@ \\
  --output json > "/tmp/${NAME}.json"

count=$(jq '. | length' "/tmp/${NAME}.json")
if [ "$count" -gt 0 ]; then
  echo "found $count @FIELD@ entries in $REGION"
else
  echo "nothing to do" >&2
fi
''',
}

# --------------------------------------------------------------------------------------------------
# Corpus generation
# --------------------------------------------------------------------------------------------------


@dataclass
class PageMeta:
    number: int
    section: int
    title: str
    service: str
    tags: list[str]
    categories: list[str]
    date: dt.date
    weight: int

    @property
    def slug(self) -> str:
        return f"page-{self.number:05d}"

    @property
    def url(self) -> str:
        return f"/s{self.section:02d}/{self.slug}/"


def section_count(size: int) -> int:
    # Every section needs at least two pages so a same-section link never points at the page itself.
    return max(1, min(SECTIONS, size // 2))


def section_of(number: int, size: int, sections: int) -> int:
    return (number - 1) * sections // size + 1


def page_meta(seed: int, number: int, size: int, sections: int) -> PageMeta:
    rng = random.Random(f"{seed}:meta:{number}")
    tags = rng.sample(TAGS, rng.randint(2, 4))
    service = tags[0]
    categories = rng.sample(CATEGORIES, rng.randint(1, 2))
    date = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(0, 5 * 365))
    return PageMeta(
        number=number,
        section=section_of(number, size, sections),
        title=f"{service} {rng.choice(TOPICS)} {number:05d}",
        service=service,
        tags=tags,
        categories=categories,
        date=date,
        weight=number * 10,
    )


def yaml_str(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid YAML double-quoted scalar


def yaml_list(values: list[str]) -> str:
    return "[" + ", ".join(yaml_str(v) for v in values) + "]"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Writer:
    """Random prose in the register of an AWS knowledge base page."""

    def __init__(self, rng: random.Random, service: str):
        self.rng = rng
        self.service = service

    def sentence(self, min_words: int = 7, max_words: int = 15, plain: bool = False) -> str:
        rng = self.rng
        n = rng.randint(min_words, max_words)
        words = [rng.choice(WORDS) for _ in range(n)]
        words.insert(rng.randrange(1, n), rng.choice(VERBS))
        words.insert(rng.randrange(0, n), rng.choice(ADJECTIVES))
        roll = 1.0 if plain else rng.random()
        if roll < 0.15:
            i = rng.randrange(len(words))
            words[i] = f"**{words[i]}**"
        elif roll < 0.30:
            i = rng.randrange(len(words))
            words[i] = f"`{words[i]}`"
        elif roll < 0.36:
            i = rng.randrange(len(words))
            doc = f"https://docs.aws.amazon.com/{slugify(self.service)}/latest/{words[i]}.html"
            words[i] = f"[{words[i]}]({doc})"
        if rng.random() < 0.3:
            words.insert(0, self.service)
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, min_sentences: int = 2, max_sentences: int = 4, plain: bool = False) -> str:
        n = self.rng.randint(min_sentences, max_sentences)
        return " ".join(self.sentence(plain=plain) for _ in range(n))

    def bullets(self, min_items: int = 3, max_items: int = 6) -> str:
        n = self.rng.randint(min_items, max_items)
        return "\n".join(f"- {self.sentence(3, 8)[:-1]}" for _ in range(n))


def code_block(lang: str, meta: PageMeta, rng: random.Random) -> str:
    svc = slugify(meta.service).replace("-", "")
    words = rng.sample(WORDS, 3)
    subst = {
        "@SERVICE@": meta.service,
        "@SVC@": svc,
        "@CLIENT@": f"{svc}_client",
        "@TOPIC@": meta.title.split()[-2],
        "@N@": str(meta.number),
        "@FIELD@": words[0],
        "@NAME@": f"{words[1]}-{words[2]}-{meta.number}",
        "@OP@": rng.choice(["start_execution", "put_item", "send_message", "invoke", "publish"]),
        "@CLI_OP@": rng.choice(["list-resources", "describe-resources", "list-tags"]),
        "@SID@": words[1].capitalize() + words[2].capitalize(),
        "@NUM@": str(rng.randint(10, 900)),
    }
    text = CODE_TEMPLATES[lang]
    for key, value in subst.items():
        text = text.replace(key, value)
    return f"```{lang}\n{text}```"


def link_to(target: PageMeta, source: PageMeta, anchor: str = "") -> str:
    """A relative link from source's URL (/sNN/page-NNNNN/) to target's URL, as a browser resolves it."""
    if target.section == source.section:
        href = f"../{target.slug}/"
    else:
        href = f"../../s{target.section:02d}/{target.slug}/"
    return f"[{target.title}]({href}{anchor})"


def render_page(seed: int, meta: PageMeta, by_section: dict[int, list[PageMeta]]) -> str:
    rng = random.Random(f"{seed}:body:{meta.number}")
    w = Writer(rng, meta.service)
    used_headings: set[str] = set()

    def heading(level: int, text: str) -> str:
        base, k = text, 2
        while text.lower() in used_headings:
            text, k = f"{base} {k}", k + 1
        used_headings.add(text.lower())
        return "#" * level + " " + text

    # Cross links: one to the same section, two to other sections (one with an anchor).
    sections = len(by_section)
    same = [m for m in by_section[meta.section] if m.number != meta.number]
    targets = [rng.choice(same)]
    for _ in range(2):
        other_section = meta.section
        while other_section == meta.section and sections > 1:
            other_section = rng.randint(1, sections)
        candidates = [m for m in by_section[other_section] if m.number != meta.number]
        fresh = [m for m in candidates if m not in targets]
        targets.append(rng.choice(fresh or candidates))
    links = [link_to(targets[0], meta), link_to(targets[1], meta), link_to(targets[2], meta, "#overview")]

    svc_slug = slugify(meta.service)
    out: list[str] = []
    fm = [
        "---",
        f"title: {yaml_str(meta.title)}",
        f"description: {yaml_str(f'Amazon {meta.service}: {meta.title.split()[-2].lower()} notes')}",
        "toc: true",
        f"tags: {yaml_list(meta.tags)}",
        f"categories: {yaml_list(meta.categories)}",
        f"date: {meta.date.isoformat()}",
        f"weight: {meta.weight}",
        f"awsTag: {yaml_str(meta.service)}",
        "---",
    ]
    out.append("\n".join(fm))

    out.append(heading(2, "Overview"))
    out.append(w.paragraph(2, 4))
    out.append(
        f"- [Documentation](https://aws.amazon.com/{svc_slug}/)\n"
        f"- [User Guide](https://docs.aws.amazon.com/{svc_slug}/?id=docs_gateway)"
    )
    out.append(f"![{meta.service} flow](https://d1.awsstatic.com/diagrams/{svc_slug}-{meta.number}.png)")
    out.append(w.paragraph(1, 3))

    out.append(heading(3, "Related pages"))
    links.append(f"[{meta.service} on GitHub](https://github.com/aws-samples/{svc_slug})")
    out.append("\n".join(f"- {link}" for link in links))

    out.append(heading(2, "Price"))
    out.append(w.paragraph(1, 3))
    out.append(f"[Current price](https://aws.amazon.com/{svc_slug}/pricing/)")
    out.append(f"Free Tier: {rng.randint(1, 100) * 1000:,} requests per month")

    out.append(heading(2, "Use Cases"))
    out.append(w.paragraph(2, 4))
    out.append(w.bullets(4, 7))
    out.append(f"Type: {', '.join(meta.categories)}")
    out.append(f"**{w.sentence(5, 10, plain=True)}**")

    langs = [CODE_LANGS[meta.number % 4]]
    if meta.number % 2 == 0:
        langs.append(CODE_LANGS[(meta.number + 1) % 4])
    extra_h2 = rng.sample(EXTRA_H2, 2)
    h3s = rng.sample(H3_POOL, 4)

    out.append(heading(2, extra_h2[0]))
    out.append(w.paragraph(1, 3))
    out.append(heading(3, h3s[0]))
    out.append(w.paragraph(1, 3))
    out.append(code_block(langs[0], meta, rng))
    out.append(heading(3, h3s[1]))
    out.append(w.paragraph(1, 3))
    out.append(f"> {w.sentence()}")

    out.append(heading(2, "Limits"))
    out.append(w.paragraph(1, 2))
    rows = ["| Resource | Default quota | Adjustable | Notes |", "|---|---:|:---:|---|"]
    for _ in range(rng.randint(4, 7)):
        what = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}s"
        per = rng.choice(["account", "region", "second", "stack"])
        quota = rng.randint(1, 500) * 10
        adjustable = rng.choice(["Yes", "No"])
        rows.append(f"| {what} per {per} | {quota:,} | {adjustable} | {w.sentence(3, 7)[:-1]} |")
    out.append("\n".join(rows))

    out.append(heading(2, extra_h2[1]))
    out.append(w.paragraph(1, 3))
    out.append(heading(3, h3s[2]))
    out.append(w.paragraph(1, 3))
    if len(langs) > 1:
        out.append(code_block(langs[1], meta, rng))
    out.append(heading(3, h3s[3]))
    out.append(w.bullets(3, 5))

    out.append(heading(2, "Questions"))
    for q in range(1, rng.randint(2, 3) + 1):
        out.append(heading(3, f"Q{q}"))
        out.append(f"**{w.paragraph(1, 3, plain=True)}**")
        out.append(f"**Which of the following {meta.service} options meets the requirements?**")
        options = [w.sentence(4, 9)[:-1] for _ in range(4)]
        out.append("\n".join(f"{i}. {opt}" for i, opt in enumerate(options, 1)))
        answer = rng.randint(1, 4)
        doc = f"https://docs.aws.amazon.com/{svc_slug}/latest/dg/{rng.choice(WORDS)}-{rng.choice(WORDS)}.html"
        out.append(
            "<details>\n<summary>Explanation</summary>\n<div>\n\n"
            f"[{doc}]({doc})\n\n"
            f"{w.paragraph(1, 2)}\n\n"
            f'<mark style="color:white">{answer}</mark> \n'
            "</div>\n</details>"
        )
    return "\n\n".join(out) + "\n"


def render_section(seed: int, section: int, pages: list[PageMeta]) -> str:
    rng = random.Random(f"{seed}:section:{section}")
    w = Writer(rng, "AWS")
    category = CATEGORIES[(section - 1) % len(CATEGORIES)]
    return (
        "---\n"
        f"title: {yaml_str(f'Section {section:02d}: {category}')}\n"
        f"description: {yaml_str(f'{len(pages)} pages about {category.lower()} services')}\n"
        f"weight: {section}\n"
        "---\n\n"
        f"{w.paragraph(2, 4)}\n"
    )


HOME_INDEX = """---
title: "AWS knowledge base (benchmark)"
description: "Synthetic corpus for the awskb build benchmark"
---

Synthetic pages about AWS services, generated by `bench/build_bench.py`.
"""

HUGO_TOML = """baseURL = "https://example.org/"
title = "AWS knowledge base (benchmark)"
languageCode = "en"
disableKinds = []
enableRobotsTXT = true

[taxonomies]
  tag = "tags"
  category = "categories"

[markup]
  [markup.goldmark.renderer]
    unsafe = true          # keep raw HTML (<details>, <mark>) as awskb does
  [markup.highlight]
    noClasses = false      # CSS classes, as awskb emits
  [markup.tableOfContents]
    startLevel = 2
    endLevel = 4
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<title>{{ if .IsHome }}{{ .Site.Title }}{{ else }}{{ .Title }} | {{ .Site.Title }}{{ end }}</title>
<meta name="description" content="{{ .Description }}">
</head>
<body>
<nav><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a>{{ range .Site.Sections }} <a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p>{{ .Description }}</p>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
{{ if .Params.toc }}<aside>{{ .TableOfContents }}</aside>{{ end }}
{{ .Content }}
<footer>
<ul class="tags">{{ range .GetTerms "tags" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
<ul class="categories">{{ range .GetTerms "categories" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</footer>
</article>
{{ end }}
""",
    # Used for sections, the taxonomy lists (/tags/) and the term pages (/tags/lambda/).
    "_default/list.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Description }}</li>
{{ end }}
</ul>
{{ end }}
""",
    "index.html": """{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
{{ .Content }}
<h2>Sections</h2>
<ul>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }})</li>{{ end }}</ul>
<h2>Recent</h2>
<ul>{{ range first 20 .Site.RegularPages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ end }}
""",
}


def generator_fingerprint(size: int, seed: int) -> dict:
    source = Path(__file__).read_bytes()
    return {"size": size, "seed": seed, "generator": hashlib.sha256(source).hexdigest()[:16]}


def generate_corpus(root: Path, size: int, seed: int) -> None:
    """Write the corpus for `size` pages under root (content/, hugo.toml, layouts/)."""
    stamp = generator_fingerprint(size, seed)
    stamp_path = root / STAMP_FILE
    if stamp_path.exists():
        try:
            if json.loads(stamp_path.read_text()) == stamp:
                print(f"  reusing corpus in {root}")
                return
        except (OSError, ValueError):
            pass
    if root.exists():
        # Only clear what this script writes, never an unrelated folder.
        for name in ("content", "layouts"):
            shutil.rmtree(root / name, ignore_errors=True)
        for name in ("hugo.toml", STAMP_FILE):
            (root / name).unlink(missing_ok=True)
    root.mkdir(parents=True, exist_ok=True)

    started = time.perf_counter()
    sections = section_count(size)
    by_section: dict[int, list[PageMeta]] = {s: [] for s in range(1, sections + 1)}
    for n in range(1, size + 1):
        meta = page_meta(seed, n, size, sections)
        by_section[meta.section].append(meta)
    content = root / "content"
    content.mkdir()
    (content / "_index.md").write_text(HOME_INDEX)
    total_bytes = 0
    for s, pages in by_section.items():
        folder = content / f"s{s:02d}"
        folder.mkdir()
        (folder / "_index.md").write_text(render_section(seed, s, pages))
        for meta in pages:
            text = render_page(seed, meta, by_section)
            total_bytes += len(text.encode())
            (folder / f"{meta.slug}.md").write_text(text)

    (root / "hugo.toml").write_text(HUGO_TOML)
    for rel, text in HUGO_LAYOUTS.items():
        path = root / "layouts" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    stamp_path.write_text(json.dumps(stamp))
    print(
        f"  generated {size} pages in {sections} sections ({total_bytes / 2**20:.1f} MiB of Markdown) "
        f"in {time.perf_counter() - started:.1f} s -> {root}"
    )


# --------------------------------------------------------------------------------------------------
# Corpus verification: every relative link resolves (as a browser would) to a page of the corpus,
# and every #anchor to a heading of that page.
# --------------------------------------------------------------------------------------------------

LINK_RE = re.compile(r"\]\(([^)\s]+)\)")
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*$")


def source_url(content: Path, path: Path) -> str:
    rel = path.relative_to(content).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "_index":
        parts = parts[:-1]
    return "/" + "".join(p + "/" for p in parts)


def verify_corpus(root: Path) -> tuple[int, list[str]]:
    content = root / "content"
    anchors: dict[str, set[str]] = {}
    links: list[tuple[Path, str, str]] = []
    for path in sorted(content.rglob("*.md")):
        url = source_url(content, path)
        ids: set[str] = set()
        in_fence = False
        for line in path.read_text().split("\n"):
            if line.startswith("```"):
                in_fence = not in_fence
                continue
            if in_fence:
                continue
            m = HEADING_RE.match(line)
            if m:
                ids.add(slugify(m.group(2)))
            for target in LINK_RE.findall(line):
                links.append((path, url, target))
        anchors[url] = ids
    problems: list[str] = []
    checked = 0
    for path, url, target in links:
        parts = urlsplit(target)
        if parts.scheme or target.startswith("//"):
            continue
        checked += 1
        resolved = urlsplit(urljoin("https://site.invalid" + url, target))
        if resolved.path not in anchors:
            problems.append(f"{path}: {target} -> {resolved.path} is not a page")
        elif resolved.fragment and resolved.fragment not in anchors[resolved.path]:
            problems.append(f"{path}: {target} -> no heading #{resolved.fragment}")
    return checked, problems


# --------------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    peak_kib: int
    exit_code: int
    cpu_seconds: float = 0.0  # user + system: steadier than wall time on a shared machine


@dataclass
class Result:
    size: int
    tool: str
    runs: list[Run] = field(default_factory=list)
    failed: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def best(self) -> float:
        return min(r.seconds for r in self.runs)

    @property
    def median_cpu(self) -> float:
        return statistics.median(r.cpu_seconds for r in self.runs)

    @property
    def peak_mib(self) -> float:
        return max(r.peak_kib for r in self.runs) / 1024


DROP_CACHES = False


def drop_caches() -> None:
    """Writes dirty pages out and drops the page cache, so each build starts from the same state."""
    os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError as error:
        sys.exit(f"--drop-caches: cannot write /proc/sys/vm/drop_caches ({error}); run as root or leave it out")


def measure(cmd: list[str], log_prefix: Path) -> Run:
    """Run cmd once; wall time and the peak RSS of exactly that child (os.wait4, no external tool)."""
    if DROP_CACHES:
        drop_caches()
    with open(f"{log_prefix}.stdout", "wb") as out, open(f"{log_prefix}.stderr", "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)  # tell Popen the child is reaped
    peak = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss  # KiB
    return Run(seconds=seconds, peak_kib=peak, exit_code=proc.returncode,
               cpu_seconds=usage.ru_utime + usage.ru_stime)


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def bench_tool(tool: str, cmd_for: Callable[[Path], list[str]], size: int, runs: int, work: Path,
               run_number: int | None = None) -> Result:
    """`runs` clean builds; with `run_number`, one build numbered so, and no summary."""
    result = Result(size=size, tool=tool)
    out_dir = work / f"out-{tool.replace(' ', '-')}-{size}"
    numbers = [run_number] if run_number else list(range(1, runs + 1))
    for i in numbers:
        shutil.rmtree(out_dir, ignore_errors=True)  # every run is a clean build
        log = work / f"{tool.replace(' ', '-')}-{size}-run{i}"
        run = measure(cmd_for(out_dir), log)
        if run.exit_code != 0:
            print(f"  {tool} run {i}: FAILED with exit code {run.exit_code}; last lines of stderr:")
            print("    " + tail(Path(f"{log}.stderr")).replace("\n", "\n    "))
            result.failed = True
            return result
        if i == 1:
            stderr = Path(f"{log}.stderr").read_text(errors="replace")
            result.warnings = re.findall(r"^\S.*\bwarning\b.*$", stderr, flags=re.M | re.I)
        result.runs.append(run)
        print(f"  {tool} run {i}: {run.seconds:7.3f} s  {run.cpu_seconds:7.2f} s CPU  "
              f"{run.peak_kib / 1024:8.1f} MiB peak  (load average {os.getloadavg()[0]:.1f})")
    if not run_number:
        summarize(result)
    return result


def summarize(result: Result) -> None:
    """Prints the warnings and the median of a tool's runs."""
    tool, size = result.tool, result.size
    if not result.runs:
        return
    if result.warnings:
        print(f"  {tool}: {len(result.warnings)} warning line(s) on stderr, for instance:")
        for line in result.warnings[:5]:
            print(f"    {line}")
    print(
        f"  {tool}: median {result.median:.3f} s, min {result.best:.3f} s, "
        f"{size / result.median:,.0f} pages/s, CPU {result.median_cpu:.2f} s, peak {result.peak_mib:,.1f} MiB"
    )


def site_for(corpus: Path, work: Path, size: int, search: bool) -> Path:
    """A site folder whose content/ is the corpus's and whose config turns search on or off."""
    site = work / f"site-{size}-search-{'on' if search else 'off'}"
    if not site.exists():
        site.mkdir()
        (site / "content").symlink_to(corpus / "content", target_is_directory=True)
        (site / "awskb.toml").write_text(f"search = {'true' if search else 'false'}\n")
    return site


def tool_version(cmd: list[str]) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        text = (done.stdout or done.stderr).strip().splitlines()
        return text[0] if done.returncode == 0 and text else "unknown version"
    except (OSError, subprocess.TimeoutExpired):
        return "unknown version"


def find_awskb(arg: str | None) -> Path:
    if arg:
        return Path(arg).resolve()
    if os.environ.get("AWSKB"):
        return Path(os.environ["AWSKB"]).resolve()
    return REPO_ROOT / "target" / "release" / "awskb"


def markdown_table(results: list[Result]) -> str:
    lines = ["| pages | tool | runs | median s | pages/s | median CPU s | peak MiB |", "|---:|---|---:|---:|---:|---:|---:|"]
    for r in results:
        if r.failed or not r.runs:
            lines.append(f"| {r.size:,} | {r.tool} | failed | | | | |")
        else:
            lines.append(
                f"| {r.size:,} | {r.tool} | {len(r.runs)} | {r.median:.2f} | {r.size / r.median:,.0f} "
                f"| {r.median_cpu:.2f} | {r.peak_mib:,.0f} |"
            )
    return "\n".join(lines)


def parse_sizes(text: str) -> list[int]:
    sizes = []
    for part in text.split(","):
        part = part.strip().lower().replace("_", "")
        if not part:
            continue
        mult = 1000 if part.endswith("k") else 1
        sizes.append(int(part.rstrip("k")) * mult)
    if not sizes or min(sizes) < 2:
        raise argparse.ArgumentTypeError("sizes must be integers of at least 2, e.g. 1000,10000")
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Benchmark `awskb build` (and Hugo, when on PATH) on synthetic AWS knowledge bases.")
    parser.add_argument("--sizes", type=parse_sizes, default=list(DEFAULT_SIZES),
                        help="comma-separated page counts (default 1000,10000; 10k is accepted)")
    parser.add_argument("--runs", type=int, default=None,
                        help="builds per tool and size (default 5 up to 2,000 pages, else 3)")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="generate corpora into DIR/<size>/ and keep them; reused when unchanged")
    parser.add_argument("--only-generate", action="store_true",
                        help="generate (and verify) the corpora, build nothing")
    parser.add_argument("--awskb", default=None, metavar="PATH",
                        help="awskb binary (default: $AWSKB, else target/release/awskb in the repo)")
    parser.add_argument("--no-hugo", action="store_true", help="skip Hugo even when it is on PATH")
    parser.add_argument("--no-awskb", action="store_true", help="skip awskb (measure Hugo only)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="corpus seed (default %(default)s)")
    parser.add_argument("--search", choices=["both", "on", "off"], default="both",
                        help="build awskb with the search index off and on, runs interleaved (default), "
                             "or only one of them")
    parser.add_argument("--drop-caches", action="store_true",
                        help="before each build, write out and drop the kernel's page cache (Linux, root): "
                             "on some virtual machines every build is slower than the one before while the "
                             "cache fills with earlier builds' output")
    args = parser.parse_args(argv)
    global DROP_CACHES
    DROP_CACHES = args.drop_caches
    if DROP_CACHES and not os.access("/proc/sys/vm/drop_caches", os.W_OK):
        print("--drop-caches needs to write /proc/sys/vm/drop_caches (Linux, as root)", file=sys.stderr)
        return 2

    awskb = find_awskb(args.awskb)
    hugo = None if args.no_hugo else shutil.which(os.environ.get("HUGO", "hugo"))
    if not args.only_generate and not args.no_awskb and not (awskb.is_file() and os.access(awskb, os.X_OK)):
        print(f"awskb binary not found at {awskb}.", file=sys.stderr)
        print(f"Build it first:  (cd {REPO_ROOT} && cargo build --release)", file=sys.stderr)
        print("or point to one with --awskb PATH or AWSKB=PATH (or pass --no-awskb).", file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="awskb-bench-"))
    corpora_root = args.keep.resolve() if args.keep else work / "corpora"
    results: list[Result] = []
    ok = True
    try:
        print(f"machine: {os.cpu_count()} CPUs, {sys.platform}, Python {sys.version.split()[0]}")
        if not args.only_generate:
            if not args.no_awskb:
                print(f"awskb: {awskb} ({tool_version([str(awskb), '--version'])})")
            if args.no_hugo:
                print("hugo:  skipped (--no-hugo)")
            else:
                print(f"hugo:  {tool_version([hugo, 'version']) if hugo else 'not on PATH, skipped'}")
        for size in args.sizes:
            print(f"\n== {size:,} pages ==")
            corpus = corpora_root / str(size)
            generate_corpus(corpus, size, args.seed)
            checked, problems = verify_corpus(corpus)
            if problems:
                print(f"  {len(problems)} broken internal link(s) in the corpus:")
                for p in problems[:20]:
                    print("   ", p)
                return 1
            print(f"  verified {checked:,} internal links")
            if args.only_generate:
                continue
            runs = args.runs or (5 if size <= 2000 else 3)
            size_results: dict[str, Result] = {}
            if not args.no_awskb:
                # Search off and on, one run of each in turn, so that both see the same load.
                searches = {"off": [False], "on": [True], "both": [False, True]}[args.search]
                names = {search: f"awskb search {'on' if search else 'off'}" for search in searches}
                sites = {search: site_for(corpus, work, size, search) for search in searches}
                for search in searches:
                    size_results[names[search]] = Result(size=size, tool=names[search])
                for i in range(1, runs + 1):
                    # off, on, then on, off, ...: a machine that drifts slower (or faster)
                    # during the runs weighs on both alike.
                    for search in searches if i % 2 else searches[::-1]:
                        if size_results[names[search]].failed:
                            continue
                        one = bench_tool(
                            names[search],
                            lambda out, site=sites[search]: [str(awskb), "build", "-r", str(site), "-o", str(out)],
                            size, 1, work, run_number=i)
                        size_results[names[search]].runs.extend(one.runs)
                        size_results[names[search]].warnings += one.warnings
                        size_results[names[search]].failed |= one.failed
                for search in searches:
                    summarize(size_results[names[search]])
            if hugo:
                size_results["hugo"] = bench_tool(
                    "hugo", lambda out: [hugo, "--quiet", "-s", str(corpus), "-d", str(out)],
                    size, runs, work)
            for r in size_results.values():
                ok &= not r.failed
            off, on = (size_results.get(f"awskb search {x}") for x in ("off", "on"))
            h = size_results.get("hugo")
            if off and on and off.runs and on.runs:
                print(
                    f"  search on / off: time {on.median / off.median:.2f}x, CPU {on.median_cpu / off.median_cpu:.2f}x, "
                    f"peak memory {on.peak_mib / off.peak_mib:.2f}x"
                )
            a = on or off
            if a and h and a.runs and not h.failed:
                print(
                    f"  Hugo / {a.tool}: time {h.median / a.median:.2f}x, "
                    f"peak memory {h.peak_mib / a.peak_mib:.2f}x"
                )
            results.extend(size_results.values())
        if results:
            print("\n" + markdown_table(results))
            ratios = []
            for size in args.sizes:
                found = {r.tool: r for r in results if r.size == size and not r.failed and r.runs}
                off, on, h = found.get("awskb search off"), found.get("awskb search on"), found.get("hugo")
                if off and on:
                    ratios.append(f"{size:,} pages: with search, awskb takes {on.median / off.median:.2f}x the "
                                  f"time ({on.median_cpu / off.median_cpu:.2f}x the CPU time) and "
                                  f"{on.peak_mib / off.peak_mib:.2f}x the peak memory of a build without.")
                if (on or off) and h:
                    a = on or off
                    ratios.append(f"{size:,} pages: Hugo takes {h.median / a.median:.2f}x the time of {a.tool} "
                                  f"and {h.peak_mib / a.peak_mib:.2f}x its peak memory.")
            if ratios:
                print("\n" + "\n".join(ratios))
        if args.keep:
            print(f"\ncorpora kept in {corpora_root}/<size>/")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
