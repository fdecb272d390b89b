"""`make mutants`: make each slip in mutants/slips.toml, one at a time, and check the tests notice.

The slips are applied to a copy of the working tree in a temporary folder, never to the tree
itself, so an interrupted run (Ctrl+C, a CI timeout) leaves nothing behind to restore. For each
slip only its own test files run (pytest -x -q), against a database copied from one migrated
once at the start, so a slip costs seconds.

A slip is "caught" when its tests fail, "missed" when they pass, "stale" when its old text is no
longer in the file (the code moved on: update the slip), and "broken" when the tests could not
run at all (a typo in the slip or a test that was renamed). Anything but "caught" fails the run.

The database is the one `make test` would use: SQLite, or PostgreSQL when DATABASE_URL names
one. Slips marked `needs = "postgresql"` are "not run" on SQLite, which fails the run too unless
--allow-skips is given: CI runs with PostgreSQL so that every slip is tried.

    .venv/bin/python mutants/run.py                   # every slip
    .venv/bin/python mutants/run.py --only cache-     # the slips whose id contains "cache-"
    .venv/bin/python mutants/run.py --list            # what the slips are
    .venv/bin/python mutants/run.py --only mail-no-reply-to --tests tests/browser/test_x.py
"""

import argparse
import contextlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
SLIPS_FILE = ROOT / "mutants" / "slips.toml"
# Not needed by the tests, large, or rebuilt by them; node_modules is linked instead.
NOT_COPIED_AT_TOP = {
    ".git",
    ".venv",
    "node_modules",
    "data",
    "media",
    "staticfiles",
    "test-artifacts",
}
NOT_COPIED_ANYWHERE = {"__pycache__", ".pytest_cache", ".ruff_cache"}
FIELDS = {"id", "about", "file", "old", "new", "tests", "needs"}

CAUGHT, MISSED, STALE, BROKEN, NOT_RUN = "caught", "MISSED", "STALE", "BROKEN", "not run"


@dataclass
class Slip:
    id: str
    about: str
    file: str
    old: str
    new: str
    tests: list
    needs: str = ""
    result: str = ""
    detail: str = ""
    seconds: float = 0.0
    output: str = field(default="", repr=False)


def load_slips(path=SLIPS_FILE):
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    slips, seen = [], set()
    for number, entry in enumerate(data.get("slip", []), start=1):
        unknown = set(entry) - FIELDS
        missing = {"id", "about", "file", "old", "new", "tests"} - set(entry)
        if unknown or missing:
            raise SystemExit(
                f"{path.name}: slip {number}: unknown {unknown or '{}'}, missing {missing or '{}'}"
            )
        if entry["id"] in seen:
            raise SystemExit(f"{path.name}: two slips are called {entry['id']!r}")
        if entry["old"] == entry["new"]:
            raise SystemExit(f"{path.name}: slip {entry['id']!r} changes nothing")
        if entry.get("needs", "") not in ("", "postgresql"):
            raise SystemExit(f"{path.name}: slip {entry['id']!r}: needs must be 'postgresql'")
        seen.add(entry["id"])
        slips.append(Slip(**entry))
    return slips


def check_against_tree(slip, tree=ROOT):
    """Mark the slip stale or broken if it no longer fits the code and tests in `tree`."""
    source = tree / slip.file
    if not source.is_file():
        slip.result, slip.detail = STALE, f"{slip.file} does not exist"
        return
    found = source.read_text(encoding="utf-8").count(slip.old)
    if found != 1:
        slip.result = STALE
        slip.detail = "old text not found" if not found else f"old text found {found} times"
        return
    for target in slip.tests:
        if not (tree / target.split("::")[0]).is_file():
            slip.result, slip.detail = BROKEN, f"no test file {target.split('::')[0]}"
            return


# --- The copy of the working tree and its databases --------------------------------------------


def copy_tree(destination):
    def ignore(folder, names):
        skipped = {name for name in names if name in NOT_COPIED_ANYWHERE}
        if Path(folder) == ROOT:
            skipped |= {name for name in names if name in NOT_COPIED_AT_TOP}
        return skipped

    shutil.copytree(ROOT, destination, ignore=ignore, symlinks=True)
    if (ROOT / "node_modules").is_dir():
        (destination / "node_modules").symlink_to(ROOT / "node_modules")


class SqliteDatabases:
    """A migrated SQLite file, copied afresh as the test database before every run."""

    label = "SQLite"
    vendor = "sqlite"

    def __init__(self, folder):
        self.pristine = folder / "pristine.sqlite3"
        self.work = folder / "test.sqlite3"

    def env(self):
        return {"DATABASE_URL": f"sqlite:///{self.pristine}", "TEST_DATABASE_NAME": str(self.work)}

    def fresh_copy(self):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{self.work}{suffix}").unlink(missing_ok=True)
        source, target = sqlite3.connect(self.pristine), sqlite3.connect(self.work)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()

    def drop(self):
        pass


class PostgresDatabases:
    """A migrated database that each run's test database is cloned from (CREATE … TEMPLATE)."""

    label = "PostgreSQL"
    vendor = "postgresql"

    def __init__(self, url):
        self.url = urlsplit(url)
        base = self.url.path.lstrip("/") or "plac_nzs"
        self.pristine = f"{base}_mutants"
        self.work = f"test_{base}_mutants"

    def _url(self, name):
        return urlunsplit(self.url._replace(path=f"/{name}"))

    def _admin(self, *statements):
        import psycopg

        with psycopg.connect(self._url("postgres"), autocommit=True) as connection:
            for statement in statements:
                connection.execute(statement)

    def env(self):
        return {"DATABASE_URL": self._url(self.pristine), "TEST_DATABASE_NAME": self.work}

    def create_pristine(self):
        self._admin(
            f'DROP DATABASE IF EXISTS "{self.work}"',
            f'DROP DATABASE IF EXISTS "{self.pristine}"',
            f'CREATE DATABASE "{self.pristine}"',
        )

    def fresh_copy(self):
        self._admin(
            f'DROP DATABASE IF EXISTS "{self.work}" WITH (FORCE)',
            f'CREATE DATABASE "{self.work}" TEMPLATE "{self.pristine}"',
        )

    def drop(self):
        self._admin(
            f'DROP DATABASE IF EXISTS "{self.work}" WITH (FORCE)',
            f'DROP DATABASE IF EXISTS "{self.pristine}" WITH (FORCE)',
        )


def databases_for(folder):
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return PostgresDatabases(url)
    return SqliteDatabases(folder)


# --- Running the tests -------------------------------------------------------------------------


class Runner:
    def __init__(self, tree, databases, timeout):
        self.tree = tree
        self.databases = databases
        self.timeout = timeout
        self.env = {
            **os.environ,
            **databases.env(),
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            # A slip may keep a file's size and second of change: never run stale bytecode.
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        self.process = None

    def run(self, command, timeout):
        """Run a command in the copy; returns (exit code or None on timeout, output)."""
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            command,
            cwd=self.tree,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # Ctrl+C reaches us; we stop the whole group
        )
        try:
            output, _ = self.process.communicate(timeout=timeout)
            return self.process.returncode, output
        except subprocess.TimeoutExpired:
            self.stop()
            output, _ = self.process.communicate()
            return None, output
        except BaseException:  # Ctrl+C or SIGTERM: the tests stop with us
            self.stop()
            raise
        finally:
            self.process = None

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)

    def check_the_copy_is_imported(self):
        code, output = self.run(
            [sys.executable, "-c", "import contact; print(contact.__file__)"], timeout=60
        )
        if code != 0 or not output.strip().startswith(str(self.tree)):
            raise SystemExit(f"The tests would not import the copy in {self.tree}: {output}")

    def migrate(self):
        if isinstance(self.databases, PostgresDatabases):
            self.databases.create_pristine()
        code, output = self.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
            timeout=self.timeout,
        )
        if code != 0:
            raise SystemExit(f"Migrating the {self.databases.label} database failed:\n{output}")

    def pytest(self, targets):
        self.databases.fresh_copy()
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-x",
            "-q",
            "--no-header",
            "-p",
            "no:cacheprovider",
            "--reuse-db",
            *targets,
        ]
        return self.run(command, timeout=self.timeout)


def try_slip(runner, slip):
    source = runner.tree / slip.file
    original = source.read_text(encoding="utf-8")
    source.write_text(original.replace(slip.old, slip.new, 1), encoding="utf-8")
    started = time.monotonic()
    try:
        code, output = runner.pytest(slip.tests)
    finally:
        source.write_text(original, encoding="utf-8")
    slip.seconds = time.monotonic() - started
    slip.output = output
    if code is None:
        slip.result, slip.detail = CAUGHT, f"tests stopped after {runner.timeout} s"
    elif code == 1:
        slip.result = CAUGHT
        slip.detail = first_failure(output)
    elif code == 0:
        slip.result, slip.detail = MISSED, summary_line(output)
    else:
        # 2: interrupted or a collection error (e.g. the slip is not valid Python),
        # 4: usage error, 5: no tests collected (a renamed test).
        slip.result, slip.detail = BROKEN, f"pytest exit code {code}: {summary_line(output)}"


def summary_line(output):
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return lines[-1].strip("= ") if lines else ""


FAILED_TEST = re.compile(r"^(?:FAILED|ERROR) [^:\s]+::(.+?)(?: - |$)", re.MULTILINE)


def first_failure(output):
    """The name of the test that failed, from pytest's short summary."""
    found = FAILED_TEST.search(output)
    return found.group(1) if found else summary_line(output)


# --- Report ------------------------------------------------------------------------------------


def short_tests(slip):
    return ", ".join(target.removeprefix("tests/") for target in slip.tests)


def print_table(slips, out=sys.stdout):
    rows = [("slip", "file", "tests", "result", "s")]
    for slip in slips:
        seconds = f"{slip.seconds:.1f}" if slip.seconds else ""
        rows.append((slip.id, slip.file, short_tests(slip), slip.result or "-", seconds))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    print(file=out)
    for number, row in enumerate(rows):
        cells = [row[i].ljust(widths[i]) for i in range(4)] + [row[4].rjust(6)]
        print("  ".join(cells).rstrip(), file=out)
        if number == 0:
            print("  ".join("-" * w for w in widths) + "  " + "-" * 6, file=out)
    print(file=out)
    for slip in slips:
        if slip.result not in (CAUGHT, ""):
            print(f"{slip.result}: {slip.id} – {slip.about}", file=out)
            print(f"    {slip.file}: {slip.detail}", file=out)


def summary(slips):
    counts = {}
    for slip in slips:
        counts[slip.result or "-"] = counts.get(slip.result or "-", 0) + 1
    caught = counts.get(CAUGHT, 0)
    return f"{caught} of {len(slips)} slips caught" + "".join(
        f", {count} {result}" for result, count in counts.items() if result != CAUGHT
    )


def stop_as_for_ctrl_c(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], help="run slips whose id has this")
    parser.add_argument("--list", action="store_true", help="list the slips and stop")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per test run")
    parser.add_argument(
        "--allow-skips", action="store_true", help="do not fail for slips this database cannot run"
    )
    parser.add_argument(
        "--no-baseline",
        action="store_true",
        help="skip the first run without slips (it proves the selected tests pass)",
    )
    parser.add_argument(
        "--tests",
        nargs="+",
        metavar="TEST",
        help="run these tests against the chosen slips instead of their own (to try a new test)",
    )
    parser.add_argument("--verbose", action="store_true", help="print pytest's output per slip")
    options = parser.parse_args(argv)

    slips = load_slips()
    if options.only:
        slips = [s for s in slips if any(part in s.id for part in options.only)]
        if not slips:
            raise SystemExit(f"No slip id contains {' or '.join(options.only)}.")
    if options.tests:
        for slip in slips:
            slip.tests = options.tests
    if options.list:
        for slip in slips:
            print(f"{slip.id}\n    {slip.about}\n    {slip.file} -> {short_tests(slip)}")
        return 0

    for slip in slips:
        check_against_tree(slip)

    folder = Path(tempfile.mkdtemp(prefix="plac-nzs-mutants-"))
    databases = databases_for(folder)
    for slip in slips:
        if not slip.result and slip.needs and slip.needs != databases.vendor:
            slip.result = NOT_RUN
            slip.detail = "needs PostgreSQL: run with DATABASE_URL=postgres://…"
    runnable = [slip for slip in slips if not slip.result]

    # CI stops a job with SIGTERM: clean up as for Ctrl+C (which a script's `&` would ignore).
    signal.signal(signal.SIGTERM, stop_as_for_ctrl_c)
    signal.signal(signal.SIGINT, stop_as_for_ctrl_c)
    started = time.monotonic()
    try:
        tree = folder / "tree"
        copy_tree(tree)
        runner = Runner(tree, databases, options.timeout)
        print(
            f"==> {len(slips)} slips; a copy of the tree in {folder}; {databases.label}",
            flush=True,
        )
        runner.check_the_copy_is_imported()
        runner.migrate()
        if runnable and not options.no_baseline:
            targets = sorted({target for slip in runnable for target in slip.tests})
            print(f"==> Without any slip: {' '.join(targets)}", flush=True)
            began = time.monotonic()
            code, output = runner.pytest(targets)
            if code != 0:
                print(output)
                print("The selected tests fail without any slip: fix them first.")
                return 1
            print(f"    pass ({time.monotonic() - began:.0f} s)", flush=True)
        for number, slip in enumerate(runnable, start=1):
            print(f"==> [{number}/{len(runnable)}] {slip.id}", end=" ", flush=True)
            try_slip(runner, slip)
            print(f"{slip.result} ({slip.seconds:.1f} s) {slip.detail}", flush=True)
            if options.verbose or slip.result in (MISSED, BROKEN):
                print(slip.output)
    except KeyboardInterrupt:
        print_table(slips)
        print("Interrupted; the working tree was never changed.")
        return 130
    finally:
        try:
            databases.drop()
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    print_table(slips)
    print(f"{summary(slips)} in {time.monotonic() - started:.0f} s.")
    failed = [
        s
        for s in slips
        if s.result in (MISSED, STALE, BROKEN) or (s.result == NOT_RUN and not options.allow_skips)
    ]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
