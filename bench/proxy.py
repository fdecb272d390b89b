"""The site behind the shipped nginx (docker/nginx/plac-nzs.conf), for `make bench`.

In one run, against a gunicorn of its own (the project's config, the benchmark's database):
- the mission page, an event page and the article index through nginx's cache, each against
  the same nginx serving the same bytes (and the page's headers) as a static file, in turns
  (target: ≥ 0.9×);
- how long a publish takes to show through nginx (target: ≤ 5 s), polling every 50 ms;
- gunicorn killed (SIGKILL): how many requests for cached pages nginx still answers with 200.

``Nginx`` also serves the tests (tests/test_proxy.py): nginx started unprivileged from a
rendered config, every file it writes in one folder.
"""

import gzip
import importlib.util
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TARGET_STATIC_RATIO = 0.9
TARGET_PUBLISH_SECONDS = 5.0
KILLED_SECONDS = 5
CONNECTIONS = 8
PUBLISH_MARKER = "Opublikowano przed chwilą"


def renderer():
    """docker/nginx/render.py, which is not in a package (it runs on a bare server too)."""
    spec = importlib.util.spec_from_file_location(
        "plac_nzs_nginx_render", ROOT / "docker" / "nginx" / "render.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Nginx:
    """nginx in the foreground from ``standalone()``'s config; stopped by its own PID."""

    def __init__(self, folder, server_blocks, workers=1):
        self.folder = Path(folder)
        self.conf = renderer().standalone(self.folder, server_blocks, workers=workers)
        self.log = open(self.folder / "logs" / "nginx.out", "ab")  # noqa: SIM115
        self.process = subprocess.Popen(  # noqa: S603
            [NGINX, "-c", str(self.conf), "-p", str(self.folder)],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def check(self):
        return check_config(self.conf, self.folder)

    def wait_ready(self, url, timeout=20):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.error_log()}")
            try:
                urllib.request.urlopen(url, timeout=2).close()
                return
            except urllib.error.HTTPError:
                return  # answering
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"nginx did not answer in time: {self.error_log()}")

    def error_log(self):
        path = self.folder / "logs" / "error.log"
        return path.read_text()[-2000:] if path.exists() else ""

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: finishes open requests
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def check_config(conf, folder):
    """``nginx -t``: its output, or an AssertionError with it."""
    result = subprocess.run(  # noqa: S603
        [NGINX, "-t", "-c", str(conf), "-p", str(folder)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


# What nginx itself writes for a file, or what belongs to one connection or one copy.
OWN_HEADERS = {
    "date",
    "server",
    "content-length",
    "content-type",
    "content-encoding",
    "connection",
    "transfer-encoding",
    "keep-alive",
    "x-cache-status",
    "etag",
    "last-modified",
    "accept-ranges",
}


def static_block(listen, root, headers_by_file=None):
    """The yardstick: nginx serving files, the precompressed copy to clients taking gzip.

    Each file is sent with the headers the app gave its page (Content-Security-Policy,
    Cache-Control, …): the same response, so the comparison weighs only what the proxy does.
    """
    locations = []
    for name, headers in (headers_by_file or {}).items():
        lines = "".join(
            f'        add_header {key} "{value.replace(chr(34), chr(92) + chr(34))}" always;\n'
            for key, value in headers
            if key.lower() not in OWN_HEADERS
        )
        locations.append(f"    location = /{name} {{\n{lines}    }}\n")
    return f"""
server {{
    listen {listen};
    server_tokens off;
    root {root};
    gzip_static on;
    charset utf-8;
{"".join(locations)}}}
"""


# A browser's (Firefox 126+), written unlike wrk's: nginx keeps one gzip copy for both.
BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()
    except OSError as error:
        return None, {}, str(error).encode()


def event_page(proxy_base):
    status, _headers, body = get(proxy_base + "/wydarzenia/")
    if status != 200:
        return None
    html = body.decode("utf-8", "replace")
    match = re.search(r'href="(/wydarzenia/(?!kalendarz|kanal)[^"/?#]+/)[#"]', html)
    return match.group(1) if match else None


def publish_mission_page(env, title):
    """Publish the mission page with a new title as an editor would; returns when it committed."""
    code = (
        "import time; from pages.models import MissionPage; page = MissionPage.objects.get(); "
        f"page.title = {title!r}; page.save_revision().publish(); print(time.time())"
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def publish_to_visible(env, proxy_base):
    """Seconds from the publish's commit until nginx hands out the new page (polled)."""
    seen = {}
    stop = threading.Event()
    title = f"{PUBLISH_MARKER} {secrets.token_hex(4)}"

    def poll():
        while not stop.is_set():
            status, _headers, body = get(proxy_base + "/")
            if status == 200 and title.encode() in body and "at" not in seen:
                seen["at"] = time.time()
                return
            time.sleep(0.05)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    published = publish_mission_page(env, title)
    watcher.join(timeout=60)
    stop.set()
    return round(seen["at"] - published, 2) if "at" in seen else None


def while_killed(server, urls):
    """SIGKILL to gunicorn's whole process group, then ask nginx for the pages for a while."""
    os.killpg(server.pid, signal.SIGKILL)
    server.process.wait()
    statuses = {}
    deadline = time.monotonic() + KILLED_SECONDS
    while time.monotonic() < deadline:
        for url in urls:
            status = get(url, BROWSER)[0]
            statuses[str(status)] = statuses.get(str(status), 0) + 1
        time.sleep(0.05)
    return {
        "seconds": KILLED_SECONDS,
        "requests": sum(statuses.values()),
        "ok": statuses.get("200", 0),
        "statuses": statuses,
    }


def measure(env, work, args):
    """Everything above against a gunicorn of its own (the run's server stays untouched)."""
    from bench import run as bench

    folder = work / "proxy"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "files").mkdir(parents=True)
    app_port, proxy_port, static_port = bench.free_port(), bench.free_port(), bench.free_port()
    server = bench.Server(env, app_port, work / "gunicorn-proxy.log")
    render = renderer().render
    settings = {"STATIC_ROOT": ROOT / "staticfiles", "MEDIA_ROOT": ROOT / "media"}
    settings.update({k: Path(env[k]) for k in settings if env.get(k)})
    site = render(
        f"127.0.0.1:{proxy_port}",
        [f"127.0.0.1:{app_port}"],
        folder / "cache",
        settings["STATIC_ROOT"],
        settings["MEDIA_ROOT"],
    )
    nginx = None
    result = {"runs": {}, "notes": []}
    try:
        server.wait_ready()
        # Started once to learn each page's bytes and headers, then again with the files.
        nginx = Nginx(folder, site)
        proxy_base = f"http://127.0.0.1:{proxy_port}"
        nginx.wait_ready(proxy_base + "/healthz")
        print(f"==> nginx (docker/nginx/plac-nzs.conf) at {proxy_base}", flush=True)
        pages = {"mission page": "/", "article index": "/aktualnosci/"}
        event = event_page(proxy_base)
        if event:
            pages["event page"] = event
        else:
            result["notes"].append("no event page linked from /wydarzenia/")
        gz = {"Accept-Encoding": "gzip, deflate, br"}
        page_headers = {}
        for name, path in pages.items():
            status, headers, body = get(proxy_base + path, gz)
            # The same bytes as a file: gzip as sent, and the page itself beside it.
            file = folder / "files" / f"{name.replace(' ', '-')}.html"
            plain = gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body
            file.write_bytes(plain)
            if plain is not body:
                file.with_suffix(".html.gz").write_bytes(body)
            status, headers, _ = get(proxy_base + path, gz)
            result["runs"][name] = {"path": path, "cache_status": headers.get("X-Cache-Status")}
            page_headers[file.name] = list(headers.items())
        nginx.stop()
        nginx = Nginx(
            folder, site + static_block(f"127.0.0.1:{static_port}", folder / "files", page_headers)
        )
        nginx.wait_ready(proxy_base + "/healthz")
        # One-second slices, proxy and file in turn: nginx answers tens of thousands of
        # requests a second, and load from elsewhere then weighs on both sides alike.
        seconds, rounds = 1, max(args.rounds, args.duration)
        slices = {}
        for round_number in range(rounds):
            for name, run in result["runs"].items():
                static_url = f"http://127.0.0.1:{static_port}/{name.replace(' ', '-')}.html"
                for how, url in (("proxy", proxy_base + run["path"]), ("static", static_url)):
                    print(
                        f"    nginx {how:6} {name:24} c={CONNECTIONS} {seconds}s "
                        f"(round {round_number + 1}/{rounds})",
                        flush=True,
                    )
                    cpu = bench.server_cpu_seconds(nginx.process.pid)
                    part = bench.wrk(url, CONNECTIONS, seconds)
                    part["cpu_seconds"] = bench.server_cpu_seconds(nginx.process.pid) - cpu
                    slices.setdefault((name, how), []).append(part)
        for (name, how), parts in slices.items():
            result["runs"][name][how] = bench.combine(parts)
        print("    publish, then poll through nginx", flush=True)
        result["publish_visible_s"] = publish_to_visible(env, proxy_base)
        print(f"    gunicorn killed: asking nginx for {KILLED_SECONDS} s", flush=True)
        urls = [proxy_base + run["path"] for run in result["runs"].values()]
        result["killed"] = while_killed(server, urls)
    finally:
        server.stop()
        if nginx is not None:
            nginx.stop()
    return result


def _fmt(value, spec=".0f"):
    return "n/a" if value is None else format(value, spec)


def table(result):
    """Markdown lines for bench/run.py's report."""
    lines = [
        "",
        f"Through nginx (docker/nginx/plac-nzs.conf, 1 worker) against the same nginx serving "
        f"the same bytes as a static file, c={CONNECTIONS}:",
        "",
        "| page | cache | via nginx cache req/s | p50 ms | p99 ms | static file req/s | ÷ static "
        "| nginx CPU µs/request, cache / static | static ÷ cache by CPU |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, run in result["runs"].items():
        proxy, static = run.get("proxy"), run.get("static")
        if not proxy or not static:
            continue
        errors = proxy["non_2xx_3xx"] + static["non_2xx_3xx"]
        note = f" ({errors} non-2xx)" if errors else ""
        lines.append(
            f"| {name} `{run['path']}` | {run['cache_status']} | {_fmt(proxy['rps'])}{note} "
            f"| {_fmt(proxy['p50'], '.2f')} | {_fmt(proxy['p99'], '.2f')} "
            f"| {_fmt(static['rps'])} | {proxy['rps'] / static['rps']:.2f} "
            f"| {_fmt(proxy.get('cpu_us'), '.1f')} / {_fmt(static.get('cpu_us'), '.1f')} "
            f"| {_fmt(cpu_ratio(run), '.2f')} |"
        )
    killed = result.get("killed", {})
    lines += [
        "",
        f"- publish → visible through nginx: {_fmt(result.get('publish_visible_s'), '.2f')} s",
        f"- gunicorn killed: {killed.get('ok', 0)} of {killed.get('requests', 0)} requests "
        f"for cached pages answered 200 in {killed.get('seconds', 0)} s "
        f"({json.dumps(killed.get('statuses', {}))})",
    ]
    lines += [f"- note: {note}" for note in result.get("notes", [])]
    return lines


def cpu_ratio(run):
    """The same comparison by nginx's own CPU time per request: a slice that another job on
    the machine slowed costs nginx no more CPU per request, so this moves far less than req/s."""
    proxy, static = run.get("proxy") or {}, run.get("static") or {}
    if proxy.get("cpu_us") and static.get("cpu_us"):
        return static["cpu_us"] / proxy["cpu_us"]
    return None


def targets(result):
    out = []
    by_cpu = [cpu_ratio(run) for run in result["runs"].values() if cpu_ratio(run)]
    if by_cpu:
        out.append(
            f"the same by nginx CPU per request (static ÷ cache, steadier on a busy machine): "
            f"lowest {min(by_cpu):.2f}"
        )
    ratios = [
        run["proxy"]["rps"] / run["static"]["rps"]
        for run in result["runs"].values()
        if run.get("proxy") and run.get("static")
    ]
    if ratios:
        ok = "met" if min(ratios) >= TARGET_STATIC_RATIO else "NOT met"
        out.append(
            f"pages through nginx ≥ {TARGET_STATIC_RATIO} × nginx static at c={CONNECTIONS}: "
            f"lowest {min(ratios):.2f} — {ok}"
        )
    visible = result.get("publish_visible_s")
    ok = "met" if visible is not None and visible <= TARGET_PUBLISH_SECONDS else "NOT met"
    out.append(f"publish visible through nginx ≤ {TARGET_PUBLISH_SECONDS:.0f} s: {visible} — {ok}")
    killed = result.get("killed", {})
    ok = "met" if killed.get("requests") and killed["ok"] == killed["requests"] else "NOT met"
    out.append(
        f"cached pages answered with the app killed: {killed.get('ok', 0)}/"
        f"{killed.get('requests', 0)} — {ok}"
    )
    return out
