"""Resident memory of the site's processes, for bench/run.py: per gunicorn worker and per mail
worker after the load, and its growth over a soak (a mix of pages for a while, sampled).

RSS counts every page a process maps, the ones the preloaded gunicorn workers share with their
master too; PSS divides each shared page among the processes sharing it, so the workers' PSS add
up to what they really cost. Both come from /proc (Linux only).
"""

import os
import signal
import subprocess
import time
from pathlib import Path

# Cached pages, pages every visitor gets rendered (a search, a further page of a listing, the
# form's per-visitor parts) and a 404: whatever a leak could hide behind.
SOAK_PATHS = [
    "/",
    "/kontakt/",
    "/aktualnosci/",
    "/aktualnosci/?page=2",
    "/aktualnosci/kanal/rss/",
    "/wydarzenia/",
    "/kalendarz/wydarzenia.ics",
    "/szukaj/?q=debata",
    "/szukaj/?q=zrodla",
    "/kontakt/formularz.json",
    "/sitemap.xml",
    "/nie-ma-takiej-strony/",
]


def process_memory(pid):
    """{"rss_mb", "pss_mb"} of a process, or None if it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    rss = next(
        (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0
    )
    pss = None
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return {"rss_mb": round(rss / 1024, 1), "pss_mb": None if pss is None else round(pss / 1024, 1)}


def children(pid):
    """The PIDs whose parent is pid (gunicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: the fields follow the last ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def snapshot(workers, mail_worker):
    """Memory of each gunicorn worker (by PID) and of the mail worker."""
    return {
        "workers": {pid: process_memory(pid) for pid in workers},
        "mail_worker": mail_worker and process_memory(mail_worker.pid),
    }


class MailWorker:
    """The real mail worker (Procfile.local's `db_worker --backend mail`), started by us."""

    def __init__(self, python, root, env, log):
        self.log = open(log, "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [python, "manage.py", "db_worker", "--backend", "mail", "--no-reload"],
            cwd=root,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.pid = self.process.pid

    def running(self):
        return self.process.poll() is None

    def stop(self):
        stop_group(self.process, self.log)


def stop_group(process, log):
    """SIGTERM to a server's own process group (started with start_new_session), SIGKILL if
    it has not ended in 20 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    log.close()


def soak(load, workers, mail_worker, seconds, every=60):
    """Run load(duration) in steps of `every` seconds for `seconds`, sampling memory after
    each step (and once before). Returns the samples, each with its time in seconds."""
    every = max(1, min(every, seconds))
    started = time.monotonic()
    samples = [{"t": 0, **snapshot(workers(), mail_worker)}]
    while (elapsed := time.monotonic() - started) < seconds - 0.5:
        load(max(1, round(min(every, seconds - elapsed))))
        samples.append({"t": round(time.monotonic() - started), **snapshot(workers(), mail_worker)})
    return samples


def _mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def _fmt(value):
    return "n/a" if value is None else f"{value:.1f}"


def table(report):
    """Markdown lines: memory after the load, and over the soak."""
    memory = report.get("memory")
    if not memory:
        return []
    lines = [
        "",
        "Resident memory (MB; PSS shares the pages the preloaded workers share with gunicorn's "
        "master):",
        "",
        "| process | when | RSS | PSS | note |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    after = memory["after_load"]
    for pid, m in after["workers"].items():
        if m:
            lines.append(
                f"| gunicorn worker {pid} | after the load | {m['rss_mb']} | {m['pss_mb']} | |"
            )
    mail = after["mail_worker"]
    if mail:
        note = f"{memory.get('mail_sent', 'n/a')} e-mails sent by then"
        lines.append(
            f"| mail worker | after the load | {mail['rss_mb']} | {mail['pss_mb']} | {note} |"
        )
    samples = memory.get("soak")
    if samples:
        first, last = samples[0], samples[-1]
        # The first interval fills each worker's caches (templates, the URL resolver, the
        # pages kept in-process); a leak is what grows after it.
        settled = samples[1] if len(samples) > 2 else first
        for name, pick in (
            (
                "gunicorn worker (mean)",
                lambda s, key: _mean([m[key] for m in s["workers"].values() if m]),
            ),
            ("mail worker", lambda s, key: s["mail_worker"] and s["mail_worker"][key]),
        ):
            end = pick(last, "rss_mb")
            growth = [
                None if start is None or end is None else end - start
                for start in (pick(first, "rss_mb"), pick(settled, "rss_mb"))
            ]
            each = ", ".join(_fmt(pick(s, "rss_mb")) for s in samples)
            lines.append(
                f"| {name} | soak {last['t']} s, RSS at each sample | {_fmt(end)} | "
                f"{_fmt(pick(last, 'pss_mb'))} | {each}; growth {_fmt(growth[0])} MB, "
                f"{_fmt(growth[1])} MB after {settled['t']} s |"
            )
        lines.append("")
        lines.append(
            f"Soak: {memory['soak_requests']} requests over {last['t']} s, a mix of "
            f"{len(SOAK_PATHS)} paths (cached, rendered each time, JSON, 404), on a gunicorn with "
            "the same config but no worker recycling (GUNICORN_MAX_REQUESTS=0), so a leak "
            "would show; samples every "
            f"{memory['soak_every']} s."
        )
    return lines
