"""Lighthouse 12 on the home page, an event and an article, as a phone and as a desktop.

    make bench                          # runs this after the load test
    .venv/bin/python bench/lighthouse.py

A fresh SQLite database under bench/results/tmp/lighthouse (migrate, the association's content,
a few articles and events), gunicorn with DEBUG=0 as `make run` serves, and Lighthouse from
npm (package-lock.json) driving Debian's Chromium, offline. Prints a table of the four scores
for each page and form factor (the median of three runs) and exits with 1 if any is below 100.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from bench.run import RESULTS, Server, free_port, fresh_database, manage, server_env  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
FORM_FACTORS = ["mobile", "desktop"]
TARGET = 100
ATTEMPTS = 3
RUNS = 3


def page_paths(env):
    """The home page, the next event and the newest article of the seeded site."""
    code = (
        "from events.models import EventPage; from articles.models import ArticlePage; "
        "print(EventPage.objects.live().filter(status='scheduled').order_by('-pk').first().url); "
        "print(ArticlePage.objects.live().order_by('-date', '-pk').first().url)"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    event, article = out.stdout.strip().splitlines()[-2:]
    return {"home page": "/", "event": event, "article": article}


def median_run(url, form_factor, work):
    """Lighthouse's own advice against its variance: several runs, the median one counts.

    On a shared machine the simulated phone's slower CPU multiplies whatever else is running
    into Total Blocking Time; the median of three runs is what this page really scores.
    """
    runs = sorted(
        (lighthouse(url, form_factor, work) for _ in range(RUNS)),
        key=lambda run: sum(run[0].values()),
    )
    return runs[len(runs) // 2]


def lighthouse(url, form_factor, work):
    report = work / "report.json"
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    # On a loaded machine Lighthouse now and then loses the trace of the load (NO_NAVSTART) and
    # exits with an error: such a run measured nothing, so it is run again.
    for attempt in range(1, ATTEMPTS + 1):
        done = subprocess.run(command, check=False, env={**os.environ, "CHROME_PATH": CHROMIUM})
        if done.returncode == 0:
            break
        print(f"    Lighthouse failed (attempt {attempt} of {ATTEMPTS})", flush=True)
    else:
        raise SystemExit(f"Lighthouse could not measure {url}")
    result = json.loads(report.read_text(encoding="utf-8"))
    scores = {name: round(result["categories"][name]["score"] * 100) for name in CATEGORIES}
    # The weighed audits that kept a score below 100, so the table says where to look.
    misses = sorted(
        {
            ref["id"]
            for name in CATEGORIES
            for ref in result["categories"][name]["auditRefs"]
            if ref.get("weight") and (result["audits"][ref["id"]].get("score") or 0) < 1
        }
    )
    return scores, misses


def main():
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse is missing: npm ci (make bench does it)")
    work = RESULTS / "tmp" / "lighthouse"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    port = free_port()
    env = server_env(fresh_database("sqlite", work), work)
    # Canonical and share links name the address Lighthouse visits.
    env["SITE_URL"] = f"http://127.0.0.1:{port}"
    env["LOG_LEVEL"] = "WARNING"
    print("==> Lighthouse: fresh database, the association's content, articles and events")
    manage(env, "migrate", "--noinput", "--verbosity=0")
    manage(env, "load_association_content", "--verbosity=0")
    seed = "from articles.demo import seed_articles; seed_articles(4)"
    manage(env, "shell", "--no-imports", "-c", seed)
    seed = "from events.demo import seed_events; seed_events(4)"
    manage(env, "shell", "--no-imports", "-c", seed)
    manage(env, "collectstatic", "--noinput", "--verbosity=0")
    paths = page_paths(env)

    server = Server(env, port, work / "gunicorn.log")
    rows = []
    try:
        server.wait_ready()
        for name, path in paths.items():
            for form_factor in FORM_FACTORS:
                print(f"    {name} ({form_factor}): {path}", flush=True)
                scores, misses = median_run(server.base + path, form_factor, work)
                rows.append((name, form_factor, scores, misses))
    finally:
        server.stop()

    lines = [
        "| page | form factor | performance | accessibility | best practices | SEO | below 100 |",
        "| --- | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, form_factor, scores, misses in rows:
        values = " | ".join(str(scores[c]) for c in CATEGORIES)
        lines.append(f"| {name} | {form_factor} | {values} | {', '.join(misses)} |")
    load = os.getloadavg()[0]
    print(
        f"\nLighthouse 12 ({CHROMIUM}, offline; the median of {RUNS} runs each; "
        f"load average {load:.2f}):\n\n" + "\n".join(lines)
    )
    low = [(n, f) for n, f, scores, _m in rows if min(scores.values()) < TARGET]
    if low:
        print(f"\nBelow {TARGET}: " + ", ".join(f"{n} ({f})" for n, f in low))
        raise SystemExit(1)
    print(f"\nEvery score is {TARGET}.")


if __name__ == "__main__":
    main()
