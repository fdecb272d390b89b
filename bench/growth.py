"""What the site costs as its content grows: the same addresses on a small site and a big one.

    .venv/bin/python bench/growth.py                       # SQLite, a small site then a bigger one
    .venv/bin/python bench/growth.py --full --db postgres  # a year and more: 1000 events, ...

It builds its own database (migrate, the association's content, `seed_demo_content`), measures
every address below with the page cache off (PAGE_CACHE_SECONDS=0: what a visitor pays right
after a publish), grows the content with `seed_demo_content` and measures again. Per address:
SQL queries (must not grow with the content) and the median time of a request served in-process
by Django's test client (no network, no load generator: the application's own cost). The
board's addresses are requested by a logged-in administrator through the real admin views.
Written to bench/results/growth-<time>.md and .json; `bench/run.py --growth` runs it too.
"""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))

# `seed_demo_content` options: pages and messages up to the number, events and articles added.
# The small site still fills the first page of every listing (ten articles; twenty upcoming and
# twenty past events; twenty messages), so page 2 exists on both sizes.
SMALL = {"pages": 5, "events": 70, "articles": 30, "messages": 60}
BIG = {"pages": 20, "events": 200, "articles": 200, "messages": 2000}
FULL = {"pages": 100, "events": 1000, "articles": 1000, "messages": 10000}
TARGET_TIME_RATIO = 2.0

# (name, address, who asks, what the answer holds): "bounded" answers show a page of items
# however many there are; "all" answers list every item by design (a sitemap, a calendar
# subscription, an export), so their time grows with the content while their queries may not.
ADDRESSES = [
    ("mission page (menu, latest)", "/", "visitor", "bounded"),
    ("content page (menu)", "/przyklad-1/", "visitor", "bounded"),
    ("article index", "/aktualnosci/", "visitor", "bounded"),
    ("article index, page 2", "/aktualnosci/?page=2", "visitor", "bounded"),
    ("articles of a kind", "/aktualnosci/rodzaj/stanowisko/", "visitor", "bounded"),
    ("articles with a tag", "/aktualnosci/tag/debata/", "visitor", "bounded"),
    ("article RSS", "/aktualnosci/kanal/rss/", "visitor", "bounded"),
    ("article Atom", "/aktualnosci/kanal/atom/", "visitor", "bounded"),
    ("tag Atom", "/aktualnosci/tag/debata/kanal/atom/", "visitor", "bounded"),
    ("an article", "/aktualnosci/artykul-1/", "visitor", "bounded"),
    ("event index", "/wydarzenia/", "visitor", "bounded"),
    ("event index, later upcoming", "/wydarzenia/?nadchodzace=2", "visitor", "bounded"),
    ("event index, archive page 2", "/wydarzenia/?strona=2", "visitor", "bounded"),
    ("events of a category", "/wydarzenia/?kategoria=debata", "visitor", "bounded"),
    ("an event", "/wydarzenia/demo-1/", "visitor", "bounded"),
    ("event RSS", "/kalendarz/rss.xml", "visitor", "bounded"),
    ("search", "/szukaj/?q=debata", "visitor", "bounded"),
    ("admin: messages", "/admin/messages/", "board", "bounded"),
    ("admin: messages, page 3", "/admin/messages/?p=3", "board", "bounded"),
    ("admin: messages search", "/admin/messages/?q=ławek", "board", "bounded"),
    ("calendar (.ics)", "/kalendarz/wydarzenia.ics", "visitor", "all"),
    ("category calendar (.ics)", "/kalendarz/kategoria/debata.ics", "visitor", "all"),
    ("sitemap", "/sitemap.xml", "visitor", "all"),
    ("admin: export CSV", "/admin/messages/?export=csv", "board", "all"),
    ("admin: export XLSX", "/admin/messages/?export=xlsx", "board", "all"),
]


def growth_env(database_url, work):
    from bench.run import server_env

    env = server_env(database_url, work)
    env.update(
        PAGE_CACHE_SECONDS="0",
        MEDIA_ROOT=str(work / "media"),
        LOG_LEVEL="WARNING",
        # Demo content is seeded with DEBUG off: the command's own guard needs --force then.
        DEBUG="0",
    )
    return env


def fresh_database(kind, work, postgres_name):
    if kind == "sqlite":
        for f in work.glob(f"{postgres_name}.sqlite3*"):
            f.unlink()
        return f"sqlite:///{work / f'{postgres_name}.sqlite3'}"
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{postgres_name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{postgres_name}"')
    return f"postgres://postgres@127.0.0.1:5432/{postgres_name}"


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def seed(env, pages, events, articles, messages):
    started = time.monotonic()
    manage(
        env,
        "seed_demo_content",
        "--force",
        *("--pages", str(pages), "--events", str(events)),
        *("--articles", str(articles), "--messages", str(messages)),
    )
    return time.monotonic() - started


def measure_here(repeat):
    """In the measuring process (Django set up): queries and times per address."""
    import tracemalloc

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Page

    from articles.models import ArticlePage
    from contact.models import ContactMessage
    from events.models import EventPage

    board = get_user_model().objects.filter(username="growth-admin").first()
    if board is None:
        board = get_user_model().objects.create_superuser("growth-admin", "growth@example.org")
    host = settings.ALLOWED_HOSTS[0]
    clients = {"visitor": Client(HTTP_HOST=host), "board": Client(HTTP_HOST=host)}
    clients["board"].force_login(board)

    def body_of(response):
        if response.streaming:  # read as a client would, a chunk at a time
            return b"x" * sum(len(chunk) for chunk in response.streaming_content)
        return response.content

    out = {
        "content": {
            "articles": ArticlePage.objects.live().count(),
            "events": EventPage.objects.live().count(),
            "messages": ContactMessage.objects.count(),
            "pages": Page.objects.live().count(),
        },
        "addresses": {},
    }
    for name, address, who, _holds in ADDRESSES:
        client = clients[who]
        response = client.get(address)  # per-process first use: URL resolver, site roots
        body_of(response)
        # Each request empties the query log when it starts: it must be empty here too, or
        # the capture's slice of the log misses the request's queries.
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
            size = len(body_of(response))
        # Read now: the capture is a view of the log, which the next request empties.
        count = len(queries)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            body_of(client.get(address))
            times.append((time.perf_counter() - started) * 1000)
        tracemalloc.start()
        body_of(client.get(address))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        out["addresses"][name] = {
            "address": address,
            "status": response.status_code,
            "queries": count,
            "p50_ms": statistics.median(times),
            "times_ms": times,
            "bytes": size,
            "peak_kib": peak // 1024,
        }
    print(json.dumps(out))


def measure(env, repeat):
    result = subprocess.run(
        [PYTHON, str(BENCH / "growth.py"), "--measure-here", "--repeat", str(repeat)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def compare(small, big):
    rows = []
    for name, _address, _who, holds in ADDRESSES:
        s, b = small["addresses"][name], big["addresses"][name]
        ratio = b["p50_ms"] / s["p50_ms"] if s["p50_ms"] else None
        # Fewer is fine: search asks once more for each page type among the results shown.
        flat = b["queries"] <= s["queries"] and s["status"] == b["status"] == 200
        in_time = holds == "all" or (ratio is not None and ratio <= TARGET_TIME_RATIO)
        rows.append({"name": name, "holds": holds, "small": s, "big": b, "ratio": ratio,
                     "queries_flat": flat, "time_ok": in_time})  # fmt: skip
    return rows


def table(report):
    small, big = report["small"]["content"], report["big"]["content"]
    lines = [
        f"### Growth on {report['db']}: {report['size']} site",
        "",
        f"Small: {small['pages']} live pages, {small['articles']} articles, "
        f"{small['events']} events, {small['messages']} messages. "
        f"Big: {big['pages']} live pages, {big['articles']} articles, {big['events']} events, "
        f"{big['messages']} messages (seeded in {report['seed_seconds']:.0f} s). "
        f"Page cache off; median of {report['repeat']} requests in-process.",
        "",
        "| address | queries small | queries big | p50 ms small | p50 ms big | × | "
        "KiB big | peak KiB small / big | |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in report["rows"]:
        s, b = row["small"], row["big"]
        verdict = []
        if not row["queries_flat"]:
            verdict.append("QUERIES GROW")
        if not row["time_ok"]:
            verdict.append(f"SLOWER THAN {TARGET_TIME_RATIO:g}×")
        if row["holds"] == "all":
            verdict.append("lists every item")
        status = "" if s["status"] == b["status"] == 200 else f" ({s['status']}/{b['status']})"
        lines.append(
            f"| {row['name']} `{s['address']}`{status} | {s['queries']} | {b['queries']} "
            f"| {s['p50_ms']:.1f} | {b['p50_ms']:.1f} | {row['ratio']:.2f} "
            f"| {b['bytes'] // 1024} | {s['peak_kib']} / {b['peak_kib']} "
            f"| {', '.join(verdict) or 'ok'} |"
        )
    lines += ["", "Targets:", ""] + [f"- {t}" for t in targets(report)]
    return "\n".join(lines)


def targets(report):
    rows = report["rows"]
    grown = [r["name"] for r in rows if not r["queries_flat"]]
    slow = [r["name"] for r in rows if not r["time_ok"]]
    bounded = [r["ratio"] for r in rows if r["holds"] == "bounded"]
    return [
        "query counts flat from small to big: "
        + ("met" if not grown else f"NOT met ({', '.join(grown)})"),
        f"p50 of every page-sized answer within {TARGET_TIME_RATIO:g}× of the small site's "
        f"(worst {max(bounded):.2f}×): " + ("met" if not slow else f"NOT met ({', '.join(slow)})"),
    ]


def prepared_site(kind, work, name):
    """A fresh database with the association's content and the small site's examples."""
    shutil.rmtree(work / name, ignore_errors=True)
    env = growth_env(fresh_database(kind, work, name), work)
    # Each site its own cache and uploads: the two must not share cached settings.
    env.update(CACHE_URL=f"filecache://{work / name / 'cache'}", MEDIA_ROOT=str(work / name))
    manage(env, "migrate", "--noinput", "--verbosity=0")
    manage(env, "load_association_content", "--verbosity=0")
    seed(env, **SMALL)
    return env


def run(kind, size, repeat, postgres_name, rounds=3):
    work = RESULTS / "tmp"
    work.mkdir(parents=True, exist_ok=True)
    big = FULL if size == "full" else BIG
    print(f"\n==> growth on {kind}: two sites, the small one and one grown to {big}", flush=True)
    small_env = prepared_site(kind, work, f"{postgres_name}_small")
    manage(small_env, "collectstatic", "--noinput", "--verbosity=0")
    big_env = prepared_site(kind, work, f"{postgres_name}_big")
    # Pages and messages are seeded up to a number, events and articles added to what is there.
    seconds = seed(
        big_env,
        pages=big["pages"],
        events=big["events"] - SMALL["events"],
        articles=big["articles"] - SMALL["articles"],
        messages=big["messages"],
    )
    # In turns, as bench/run.py does: load from elsewhere on the machine then weighs on both.
    per_round = max(1, round(repeat / rounds))
    parts = {"small": [], "big": []}
    for number in range(rounds):
        for name, env in (("small", small_env), ("big", big_env)):
            print(f"==> measuring the {name} site (round {number + 1}/{rounds})", flush=True)
            parts[name].append(measure(env, per_round))
    small, large = combine(parts["small"]), combine(parts["big"])
    return {
        "db": kind,
        "size": size,
        "repeat": per_round * rounds,
        "seed_seconds": seconds,
        "small": small,
        "big": large,
        "rows": compare(small, large),
    }


def combine(parts):
    """One measurement from several rounds: the median of every request's time."""
    result = parts[0]
    for name, answer in result["addresses"].items():
        times = [t for part in parts for t in part["addresses"][name]["times_ms"]]
        answer["p50_ms"] = statistics.median(times)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--full",
        action="store_true",
        help="a year and more: 1000 events, 1000 articles, 10000 messages, 100 pages (minutes)",
    )
    parser.add_argument("--repeat", type=int, default=15, help="requests per address and size")
    parser.add_argument("--postgres-db", default="plac_nzs_growth_tmp")
    parser.add_argument("--measure-here", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure_here:
        return measure_here(args.repeat)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    report = run(args.db, "full" if args.full else "default", args.repeat, args.postgres_db)
    text = f"## Growth {stamp}\n\n{table(report)}\n"
    print("\n" + text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"growth-{stamp}.md").write_text(text, encoding="utf-8")
    (RESULTS / f"growth-{stamp}.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"Written to bench/results/growth-{stamp}.md and .json")
    return report


if __name__ == "__main__":
    main()
