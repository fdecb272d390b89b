"""The benchmark's own pieces: the floor view stays out of production, wrk is read right."""

import os
import time

import pytest

from bench.firstview import same_origin_assets
from bench.run import parse_wrk

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.91ms    1.20ms  25.00ms   80.00%
    Req/Sec     1.02k    80.00     1.20k    70.00%
  Latency Distribution
     50%  850.00us
     75%    4.10ms
     90%    5.30ms
     99%    1.02s
  20345 requests in 10.01s, 45.67MB read
  Non-2xx or 3xx responses: 12
Requests/sec:   2032.52
Transfer/sec:      4.56MB
BENCH_POST redirects=20333 others=12 reused=0
"""


@pytest.mark.django_db
def test_framework_floor_view_is_not_reachable_in_production(client, association_content):
    assert client.get("/__bench__/floor", follow=True).status_code == 404


def test_wrk_report_is_read_with_its_units():
    result = parse_wrk(WRK_OUTPUT)

    assert result["rps"] == 2032.52
    assert result["p50"] == pytest.approx(0.85)
    assert result["p90"] == pytest.approx(5.3)
    assert result["p99"] == pytest.approx(1020.0)
    assert result["requests"] == 20345
    assert result["non_2xx_3xx"] == 12
    assert (result["redirects"], result["others"], result["reused"]) == (20333, 12, 0)


def test_first_view_counts_every_same_origin_asset_once():
    html = """<link rel="stylesheet" href="/static/css/site.css">
    <link rel="icon" href="/static/img/favicon.svg"><link rel="canonical" href="/">
    <script src="/static/js/contact-form.js" defer></script>
    <noscript><link rel="stylesheet" href="/static/css/noscript.css"></noscript>
    <img src="/static/img/favicon.svg" alt=""><a href="/kontakt/">kontakt</a>"""

    assert same_origin_assets(html, "http://127.0.0.1:8000/") == [
        "/static/css/site.css",
        "/static/img/favicon.svg",
        "/static/js/contact-form.js",
    ]


def test_first_view_refuses_assets_from_other_hosts():
    with pytest.raises(ValueError, match="another host"):
        same_origin_assets('<script src="https://cdn.example.com/x.js"></script>', "http://a/")


def test_memory_is_read_for_each_worker_of_a_server():
    """bench/memory.py finds a parent's children in /proc and reads what each holds."""
    import subprocess
    import sys

    from bench.memory import children, process_memory

    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import subprocess, sys; subprocess.run([sys.executable, '-c', "
            "'import time; big = bytearray(64 << 20); time.sleep(30)'])",
        ]
    )
    try:
        for _ in range(100):
            workers = children(parent.pid)
            memory = workers and process_memory(workers[0])
            if memory and memory["rss_mb"] > 64:
                break
            time.sleep(0.1)
        assert len(workers) == 1
        assert memory["rss_mb"] > 64
        assert 0 < memory["pss_mb"] <= memory["rss_mb"]
    finally:
        for pid in children(parent.pid):
            os.kill(pid, 9)
        parent.kill()
        parent.wait()
