"""Benchmark: the production server against Django's own floor, on this machine.

    make bench                                   # SQLite, 10 s per run, concurrency 8 and 32
    .venv/bin/python bench/run.py --db postgres  # or --db both; --duration 5 for a quick look

It builds a fresh database under bench/results/tmp/ (migrate + the association's content),
starts gunicorn with the project's config (gunicorn.conf.py when present) and DEBUG=0, warms
it, and drives it with wrk from a second process. The floor — a trivial Django project with
`startproject`'s middleware answering with the mission page's bytes (bench/floor/), under a
second gunicorn with the same config — is measured in the same run, and so is a constant view
inside the site's own middleware (BENCH_FLOOR=1). Results go to stdout and to
bench/results/<time>.md and .json (not committed). See README "Wydajność".
"""

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))

from bench import memory  # noqa: E402
from bench import proxy as bench_proxy  # noqa: E402
from bench.firstview import (  # noqa: E402
    BUDGET_BYTES,
    BUDGET_REQUESTS,
    FORM_PARTS_URL,
    gzipped_size,
    same_origin_assets,
    uses_form_script,
)

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/plac_nzs_benchmark_tmp"
# The cached mission page against the floor outside the site's stack.
TARGET_FLOOR_RATIO = 0.6
FLOOR = "floor (startproject, same bytes)"
FLOOR_INSIDE = "constant view inside the stack"
TARGET_POST_P50_MS = 50
# Site, page, privacy restrictions, the menu, the next three events (two), the latest articles.
TARGET_QUERIES_UNCACHED = 7
# Articles and events, each, the benchmark site holds by default (articles/demo.py,
# events/demo.py); --content changes it.
BENCH_CONTENT = 200


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(database_url, work):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="stowarzyszenie.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        # Plain HTTP on loopback: no redirect to HTTPS, no HSTS, cookies usable without TLS,
        # whatever a .env says.
        SITE_URL="http://127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SECURE_COOKIES="0",
        DATABASE_URL=database_url,
        CACHE_URL=os.environ.get("BENCH_CACHE_URL", f"filecache://{work / 'cache'}"),
        EMAIL_URL="consolemail://",
        BENCH_FLOOR="1",
        # Every request comes from 127.0.0.1: lift the per-address limits (sending, and new
        # questions for the prepared POSTs) for the load run only.
        CONTACT_RATE_LIMIT="1000000/1m",
        CONTACT_CHALLENGE_RATE_LIMIT="1000000/1m",
        CONTACT_MIN_FILL_SECONDS="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def django_side(env, *args):
    out = subprocess.run(
        [PYTHON, str(BENCH / "django_side.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def fresh_database(kind, work):
    if kind == "sqlite":
        db = work / "db.sqlite3"
        for f in work.glob("db.sqlite3*"):
            f.unlink()
        return f"sqlite:///{db}"
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS plac_nzs_benchmark_tmp WITH (FORCE)")
        c.execute("CREATE DATABASE plac_nzs_benchmark_tmp")
    return POSTGRES_URL


class Server:
    """gunicorn started by us; we keep its real PID and stop only its process group."""

    def __init__(self, env, port, log, app="stowarzyszenie.wsgi", ready_path="/__bench__/floor"):
        conf = ROOT / "gunicorn.conf.py"
        self.ready_path = ready_path
        cmd = [str(Path(PYTHON).parent / "gunicorn")]
        if conf.exists():
            cmd += ["-c", str(conf)]
            self.config = "gunicorn.conf.py"
        else:
            workers = os.environ.get("BENCH_WORKERS", "2")
            cmd += ["--workers", workers]
            self.config = f"--workers {workers} (no gunicorn.conf.py yet)"
        cmd += ["--bind", f"127.0.0.1:{port}", app]
        self.log = open(log, "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.pid = self.process.pid
        self.base = f"http://127.0.0.1:{port}"

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.base + self.ready_path, timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        raise SystemExit("gunicorn did not answer in time")

    def workers(self):
        try:
            out = subprocess.run(
                ["ps", "-o", "pid=", "--ppid", str(self.pid)], capture_output=True, text=True
            )
            return len(out.stdout.split())
        except OSError:
            return None

    def stop(self):
        memory.stop_group(self.process, self.log)


def fetch(url, method="GET", headers=None):
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, dict(r.headers.items()), r.read(), _header_bytes(r)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read(), 0


def _header_bytes(response):
    return len(f"HTTP/1.1 {response.status} {response.reason}\r\n") + sum(
        len(f"{k}: {v}\r\n") for k, v in response.headers.items()
    )


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_wrk(text):
    def ms(value):
        number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
        return float(number) * UNITS[unit]

    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))}
    for pct in ("50", "90", "99"):
        match = re.search(rf"^\s+{pct}%\s+(\S+)", text, re.M)
        result[f"p{pct}"] = ms(match.group(1)) if match else None
    result["requests"] = int(re.search(r"(\d+) requests in", text).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    result["non_2xx_3xx"] = int(bad.group(1)) if bad else 0
    errors = re.search(r"Socket errors: (.*)", text)
    result["socket_errors"] = errors.group(1).strip() if errors else ""
    post = re.search(r"BENCH_POST redirects=(\d+) others=(\d+) reused=(\d+)", text)
    if post:
        result["redirects"], result["others"], result["reused"] = map(int, post.groups())
    return result


def server_cpu_seconds(pid):
    """CPU time of a gunicorn master and of its workers, live and already reaped (Linux).

    Unlike requests/s, CPU per request barely moves when other work on the machine takes
    the cores away, so it compares the floor and a page even on a busy machine.
    """

    def fields(stat):
        return stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces

    # utime, stime, and cutime, cstime: the workers it has reaped.
    ticks = sum(int(v) for v in fields(Path(f"/proc/{pid}/stat").read_text())[11:15])
    for worker in memory.children(pid):
        try:
            values = fields(Path(f"/proc/{worker}/stat").read_text())
        except OSError:
            continue  # exited meanwhile: counted by the master once reaped
        ticks += int(values[11]) + int(values[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def combine(parts):
    """One row from several slices: mean throughput, median of each percentile."""
    from statistics import mean, median

    def med(key):
        values = [p[key] for p in parts if p[key] is not None]
        return median(values) if values else None

    return {
        "rps": mean(p["rps"] for p in parts),
        "p50": med("p50"),
        "p90": med("p90"),
        "p99": med("p99"),
        "requests": sum(p["requests"] for p in parts),
        "non_2xx_3xx": sum(p["non_2xx_3xx"] for p in parts),
        "socket_errors": "; ".join(p["socket_errors"] for p in parts if p["socket_errors"]),
        "slices": [round(p["rps"]) for p in parts],
        "cpu_us": (
            1e6 * sum(p["cpu_seconds"] for p in parts) / max(1, sum(p["requests"] for p in parts))
            if all("cpu_seconds" in p for p in parts)
            else None
        ),
    }


def wrk(url, connections, duration, script=None, script_args=()):
    threads = min(2, connections)
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    cmd += ["-H", "Accept-Encoding: gzip, deflate, br"]
    if script:
        cmd += ["-s", str(script), url, "--", *script_args, str(threads)]
    else:
        cmd.append(url)
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return parse_wrk(out.stdout)


def first_view(base):
    """Bytes and requests a browser needs for a first view of the mission page (gzip)."""
    gz = {"Accept-Encoding": "gzip"}
    status, headers, body, head = fetch(base + "/", headers=gz)
    html = body
    if headers.get("Content-Encoding") == "gzip":
        import gzip

        html = gzip.decompress(body)
    rows = [("/", headers.get("Content-Type", ""), len(body), head)]
    assets = same_origin_assets(html.decode("utf-8"), base + "/")
    if uses_form_script(assets):
        assets.append(FORM_PARTS_URL)
    for path in assets:
        status, headers, body, head = fetch(base + path, headers=gz)
        size = gzipped_size(body, headers.get("Content-Encoding", ""))
        rows.append((path, headers.get("Content-Type", ""), size, head))
        if path == FORM_PARTS_URL and status == 200:
            image = json.loads(body).get("captcha", {}).get("image_url")
            if image and not image.startswith("data:"):
                status, headers, body, head = fetch(base + image, headers=gz)
                rows.append((image, headers.get("Content-Type", ""), len(body), head))
    return {
        "requests": len(rows),
        "body_bytes": sum(r[2] for r in rows),
        "bytes_with_headers": sum(r[2] + r[3] for r in rows),
        "items": [
            {"url": u, "type": t.split(";")[0], "bytes": b, "header_bytes": h}
            for u, t, b, h in rows
        ],
    }


def measure(kind, args, work):
    print(f"\n==> {kind}: fresh database, migrate, the association's content", flush=True)
    env = server_env(fresh_database(kind, work), work)
    shutil.rmtree(work / "cache", ignore_errors=True)
    manage(env, "migrate", "--noinput", "--verbosity=0")
    manage(env, "load_association_content", "--verbosity=0")
    # A year and more of articles and events: listings and feeds are measured as the site grows.
    seed = f"from articles.demo import seed_articles; seed_articles({args.content})"
    manage(env, "shell", "--no-imports", "-c", seed)
    seed = f"from events.demo import seed_events; seed_events({args.content})"
    manage(env, "shell", "--no-imports", "-c", seed)
    # Into the project's STATIC_ROOT, as `make run` does; only new or changed files are copied.
    manage(env, "collectstatic", "--noinput", "--verbosity=0")

    port = free_port()
    server = Server(env, port, work / f"gunicorn-{kind}.log")
    floor = mail_worker = None
    report = {"db": kind, "server": server.config, "runs": {}, "notes": [], "content": args.content}
    try:
        server.wait_ready()
        # The real mail worker sends the POST runs' e-mails (to the console) meanwhile.
        mail_worker = memory.MailWorker(PYTHON, ROOT, env, work / f"mail-worker-{kind}.log")
        report["workers"] = server.workers()
        base = server.base
        print(f"==> gunicorn pid {server.pid} ({server.config}) at {base}", flush=True)
        floor = start_floor(env, work, base, kind)

        status, headers, body, _ = fetch(base + "/")
        css = re.search(rb'href="(/static/css/site[^"]*\.css)"', body)
        targets = {
            FLOOR: floor.base + "/",
            FLOOR_INSIDE: base + "/__bench__/floor",
            "mission page": base + "/",
            "contact page": base + "/kontakt/",
            "article index": base + "/aktualnosci/",
            "article feed (RSS)": base + "/aktualnosci/kanal/rss/",
            "event index": base + "/wydarzenia/",
            "event calendar (.ics)": base + "/kalendarz/wydarzenia.ics",
            "static file (CSS)": base + css.group(1).decode() if css else None,
        }
        available = {name: url and fetch(url)[0] == 200 for name, url in targets.items()}
        form_parts = fetch(base + FORM_PARTS_URL)[0] == 200
        available["contact POST"] = available["contact page"] or form_parts

        for name, url in targets.items():  # warm every path in every worker
            if available[name]:
                wrk(url, 4, 2)
        report["workers"], report["floor_workers"] = server.workers(), floor.workers()

        for connections in args.concurrency:
            # Rounds of short slices, the targets in turn: load from anything else on the
            # machine then weighs on the floor and the pages alike, and the ratios hold.
            slices = {}
            seconds = max(1, round(args.duration / args.rounds))
            for round_number in range(args.rounds):
                for name, url in targets.items():
                    if available[name]:
                        print(
                            f"    {name:30} c={connections:<3} {seconds}s "
                            f"(round {round_number + 1}/{args.rounds})",
                            flush=True,
                        )
                        pid = floor.pid if name == FLOOR else server.pid
                        cpu = server_cpu_seconds(pid)
                        part = wrk(url, connections, seconds)
                        part["cpu_seconds"] = server_cpu_seconds(pid) - cpu
                        slices.setdefault(name, []).append(part)
            for name, parts in slices.items():
                report["runs"].setdefault(name, {})[connections] = combine(parts)
            if available["contact POST"]:
                report["runs"].setdefault("contact POST", {})[connections] = contact_post(
                    env, base, connections, args.duration, work, report
                )
        if available["contact POST"]:
            report["contact_after"] = django_side(env, "counts")
        report["available"] = available
        report["queries"] = django_side(env, "queries")
        report["first_view"] = first_view(base)
        report["profiles"] = {}
        for what, name in [("mission", "mission page"), ("post", "contact POST")]:
            if available[name] and not target_met(report, name):
                # What limits it: in-process, so the profile shows Django's work only.
                report["profiles"][name] = django_side(env, "profile", what, "200")["profile"]
        report["proxy"] = bench_proxy.measure(env, work, args)
        report["memory"] = measure_memory(env, server, mail_worker, args, work, kind)
    finally:
        for process in (floor, mail_worker):
            if process is not None:
                process.stop()
        server.stop()
    return report


def measure_memory(env, server, mail_worker, args, work, kind):
    """RSS/PSS of the workers after the load; then, with --soak, a mix of pages on a gunicorn
    that never recycles its workers, sampled every minute (or more often in a short soak)."""
    result = {
        "after_load": memory.snapshot(memory.children(server.pid), mail_worker),
        "mail_sent": django_side(env, "counts").get("finished_tasks"),
    }
    if args.soak <= 0:
        return result
    soak_env = {**env, "GUNICORN_MAX_REQUESTS": "0"}
    soaked = Server(soak_env, free_port(), work / f"gunicorn-soak-{kind}.log")
    requests = []
    try:
        soaked.wait_ready()
        paths = memory.SOAK_PATHS
        for _ in range(3):  # every path once in every worker before the first sample
            wrk(soaked.base + "/", 4, 2, BENCH / "soak.lua", paths)

        def load(seconds):
            run = wrk(soaked.base + "/", 8, seconds, BENCH / "soak.lua", paths)
            requests.append(run["requests"])

        every = min(60, max(10, args.soak // 4))
        print(f"==> soak: {args.soak} s of mixed pages, memory every {every} s", flush=True)
        result["soak"] = memory.soak(
            load, lambda: memory.children(soaked.pid), mail_worker, args.soak, every
        )
        result["soak_requests"] = sum(requests)
        result["soak_every"] = every
    finally:
        soaked.stop()
    return result


def start_floor(env, work, base, kind):
    """The floor project (bench/floor/) under the site's gunicorn config, serving the bytes
    the site's cached mission page sends, plain and gzip."""
    page = work / "floor-page.html"
    page.write_bytes(fetch(base + "/", headers={"Accept-Encoding": "identity"})[2])
    gzipped = fetch(base + "/", headers={"Accept-Encoding": "gzip"})
    if gzipped[1].get("Content-Encoding") == "gzip":
        (work / "floor-page.html.gz").write_bytes(gzipped[2])
    else:
        (work / "floor-page.html.gz").unlink(missing_ok=True)
    floor_env = {**env, "BENCH_FLOOR_PAGE": str(page)}
    floor = Server(
        floor_env, free_port(), work / f"gunicorn-floor-{kind}.log", "bench.floor.wsgi", "/"
    )
    floor.wait_ready()
    return floor


def contact_post(env, base, connections, duration, work, report):
    """POSTs of valid messages: each with its own captcha answered from the store."""
    file = work / f"post-{connections}.txt"
    # A short calibration run tells how many prepared submissions the timed run needs.
    django_side(env, "bundles", "300", str(file), base)
    time.sleep(1.2)  # the form's time trap: a form filled in faster than a person is spam
    probe = wrk(base + "/kontakt/", connections, 2, BENCH / "post.lua", [str(file)])
    needed = int(probe["rps"] * duration * 1.5) + 200
    prepared = django_side(env, "bundles", str(needed), str(file), base)
    time.sleep(1.2)
    result = wrk(base + "/kontakt/", connections, duration, BENCH / "post.lua", [str(file)])
    result["prepared"] = prepared
    if result.get("others") or result.get("reused"):
        report["notes"].append(
            f"contact POST c={connections}: {result.get('others')} responses were not the "
            f"303 redirect, {result.get('reused')} reused a spent challenge"
        )
    return result


def fmt(value, spec=".0f"):
    return "n/a" if value is None else format(value, spec)


def table(report, args):
    lines = [
        f"### {report['db']} — gunicorn {report['server']}, {report.get('workers')} workers "
        f"(the floor's gunicorn: the same config, {report.get('floor_workers')} workers); "
        f"{report.get('content')} articles and {report.get('content')} events",
        "",
        "| what | conc. | req/s | p50 ms | p90 ms | p99 ms | ÷ floor | notes |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    floor = report["runs"].get(FLOOR, {})
    names = [
        FLOOR,
        FLOOR_INSIDE,
        "mission page",
        "contact page",
        "article index",
        "article feed (RSS)",
        "event index",
        "event calendar (.ics)",
        "contact POST",
        "static file (CSS)",
    ]
    for name in names:
        runs = report["runs"].get(name)
        if not runs:
            lines.append(f"| {name} | | not available in this build | | | | | |")
            continue
        for connections, r in runs.items():
            base = floor.get(connections, {}).get("rps")
            ratio = fmt(r["rps"] / base, ".2f") if base else "n/a"
            errors = r["non_2xx_3xx"] or ""
            if "others" in r:
                errors = f"{r['others']} not 303" if r["others"] else ""
            if r["socket_errors"]:
                errors = f"{errors} socket: {r['socket_errors']}".strip()
            if len(r.get("slices", [])) > 1:
                errors = f"{errors} slices: {'/'.join(map(str, r['slices']))}".strip()
            if r.get("cpu_us"):
                errors = f"{errors} server CPU {r['cpu_us']:.0f} µs/request".strip()
            lines.append(
                f"| {name} | {connections} | {fmt(r['rps'])} | {fmt(r['p50'], '.1f')} "
                f"| {fmt(r['p90'], '.1f')} | {fmt(r['p99'], '.1f')} | {ratio} | {errors} |"
            )
    lines += ["", "SQL queries per page (cold: empty cache; uncached: just after a publish; warm):"]
    lines += [
        "",
        "| page | status | cold | uncached | warm |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, q in report["queries"].items():
        lines.append(f"| {name} | {q['status']} | {q['cold']} | {q['uncached']} | {q['warm']} |")
    fv = report["first_view"]
    lines += ["", "First view of the mission page (gzip as served):", ""]
    lines += ["| request | type | bytes |", "| --- | --- | ---: |"]
    for item in fv["items"]:
        lines.append(f"| {item['url']} | {item['type']} | {item['bytes']} |")
    lines.append(
        f"| **{fv['requests']} requests** | | **{fv['body_bytes']}** "
        f"({fv['bytes_with_headers']} with headers) |"
    )
    if "contact_after" in report:
        lines += ["", f"After the POST runs: {json.dumps(report['contact_after'])}"]
    if "proxy" in report:
        lines += bench_proxy.table(report["proxy"])
    lines += ["", "Targets:", ""] + [f"- {t}" for t in targets(report)]
    lines += [f"- note: {n}" for n in report["notes"]]
    lines += memory.table(report)
    for name, text in report.get("profiles", {}).items():
        lines += ["", f"Profile of 200 × {name} (in-process, cumulative time):", "", "```"]
        lines += text.splitlines()[:40] + ["```"]
    return "\n".join(lines)


def target_met(report, name):
    run = report["runs"].get(name, {}).get(8)
    floor = report["runs"].get(FLOOR, {}).get(8)
    if not run:
        return True
    if name == "contact POST":
        return run["p50"] is not None and run["p50"] <= TARGET_POST_P50_MS
    return bool(floor) and floor["rps"] > 0 and run["rps"] / floor["rps"] >= TARGET_FLOOR_RATIO


def targets(report):
    out = []
    floor = report["runs"].get(FLOOR, {}).get(8, {}).get("rps")
    mission = report["runs"].get("mission page", {}).get(8, {}).get("rps")
    if floor and mission:
        ratio = mission / floor
        ok = "met" if ratio >= TARGET_FLOOR_RATIO else "NOT met"
        out.append(
            f"cached mission page ≥ {TARGET_FLOOR_RATIO} × the floor outside the site's stack "
            f"at c=8: {ratio:.2f} — {ok}"
        )
        floor_cpu = report["runs"][FLOOR][8].get("cpu_us")
        mission_cpu = report["runs"]["mission page"][8].get("cpu_us")
        if floor_cpu and mission_cpu:
            out.append(
                f"the same by server CPU per request (floor ÷ mission page, steadier on a busy "
                f"machine): {floor_cpu:.0f} / {mission_cpu:.0f} µs = {floor_cpu / mission_cpu:.2f}"
            )
    post = report["runs"].get("contact POST", {}).get(8)
    if post:
        ok = "met" if post["p50"] <= TARGET_POST_P50_MS else "NOT met"
        out.append(f"contact POST p50 ≤ {TARGET_POST_P50_MS} ms at c=8: {post['p50']:.1f} — {ok}")
    else:
        out.append("contact POST p50: not available in this build")
    q = report["queries"]["mission page"]
    ok = "met" if q["uncached"] <= TARGET_QUERIES_UNCACHED and q["warm"] == 0 else "NOT met"
    out.append(
        f"mission page queries ≤ {TARGET_QUERIES_UNCACHED} uncached, 0 cached: "
        f"{q['uncached']} / {q['warm']} (cold cache: {q['cold']}) — {ok}"
    )
    if "proxy" in report:
        out += bench_proxy.targets(report["proxy"])
    fv = report["first_view"]
    ok = fv["bytes_with_headers"] <= BUDGET_BYTES and fv["requests"] <= BUDGET_REQUESTS
    out.append(
        f"first view ≤ {BUDGET_BYTES // 1024} KB in ≤ {BUDGET_REQUESTS} requests: "
        f"{fv['bytes_with_headers'] / 1024:.1f} KB in {fv['requests']} — "
        + ("met" if ok else "NOT met")
    )
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--duration", type=int, default=10, help="seconds per target and load")
    parser.add_argument("--rounds", type=int, default=2, help="slices the duration is cut into")
    parser.add_argument(
        "--concurrency", type=lambda s: [int(c) for c in s.split(",")], default=[8, 32]
    )
    parser.add_argument(
        "--content", type=int, default=BENCH_CONTENT, help="articles and events (each) seeded"
    )
    parser.add_argument(
        "--soak",
        type=int,
        default=120,
        help="seconds of mixed pages while memory is sampled (0: none; 600 to look for a leak)",
    )
    parser.add_argument(
        "--growth",
        choices=["default", "full", "off"],
        default="default",
        help="cost as content grows (bench/growth.py): full = 1000 events and articles, 10000 "
        "messages, 100 pages (minutes more)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk (make bench does it)")

    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    work = RESULTS / "tmp"
    work.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()
    header = (
        f"## Benchmark {stamp}\n\n"
        f"{platform.node()}: {os.cpu_count()} CPUs, load average {load[0]:.2f} at start; "
        f"Python {platform.python_version()}; wrk -t2 --latency, {args.duration} s per row in "
        f"{args.rounds} interleaved slices, with "
        f"Accept-Encoding gzip, from a second process on the same machine (it takes CPU from "
        f"the server: numbers are noisy, compare ratios)."
    )
    print(header, flush=True)
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    reports = [measure(kind, args, work) for kind in kinds]
    text = header + "\n\n" + "\n\n".join(table(r, args) for r in reports) + "\n"
    if args.growth != "off":
        from bench import growth

        for kind in kinds:
            options = ["--db", kind] + (["--full"] if args.growth == "full" else [])
            text += "\n" + growth.table(growth.main(options)) + "\n"
    print("\n" + text)
    (RESULTS / f"{stamp}.md").write_text(text, encoding="utf-8")
    (RESULTS / f"{stamp}.json").write_text(
        json.dumps({"stamp": stamp, "load_average": load, "reports": reports}, indent=1),
        encoding="utf-8",
    )
    print(f"Written to bench/results/{stamp}.md and .json")


if __name__ == "__main__":
    main()
