"""Servers the fault tests start, break and restart: never the machine's shared ones.

Each test gets the site as production runs it (gunicorn and the mail worker, in their own
processes) on its own PostgreSQL (initdb/pg_ctl), its own Redis where it needs one, and an
SMTP server in the test process. Run with `RUN_FAULT_SUITE=1 pytest tests/faults` (.ci/run
does, once); `make test` leaves this folder out.
"""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout, step=0.1, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    raise AssertionError(f"{what} not reached within {timeout} s")


def database_readers(own_postgres, database):
    """What a test reads from a site's database: the captcha answer a resident would type
    (from the challenge's key), and one number from an SQL count."""

    def answer_of(key):
        rows = own_postgres.query(
            "SELECT response FROM captcha_captchastore WHERE hashkey = %s", key, database=database
        )
        return (rows or [("0",)])[0][0]

    def count(sql, *params):
        return own_postgres.query(sql, *params, database=database)[0][0]

    return answer_of, count


# --- PostgreSQL of our own ----------------------------------------------------------------


class OwnPostgres:
    """A PostgreSQL 15 cluster in a temporary folder, on its own port, run as `postgres` when
    the tests run as root (PostgreSQL refuses to run as root)."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="plac-faults-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")

    def run(self, *args, check=True):
        command = [str(PG_BIN / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)  # noqa: S603

    def init(self):
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        return self

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self.run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "log"),
            "-w",
            "start",
        )

    def stop(self, mode="fast"):
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def restart(self):
        self.stop()
        self.start()

    def url(self, database="plac"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name):
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def query(self, sql, *params, database="plac"):
        import psycopg

        with psycopg.connect(self.url(database).replace("postgres://", "postgresql://")) as conn:
            rows = conn.execute(sql, params).fetchall()
        return rows

    def execute(self, sql, *params, database="plac"):
        import psycopg

        with psycopg.connect(self.url(database).replace("postgres://", "postgresql://")) as conn:
            return conn.execute(sql, params).rowcount

    def remove(self):
        self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def own_postgres():
    server = OwnPostgres().init()
    server.start()
    yield server
    server.remove()


# --- Redis of our own -----------------------------------------------------------------------


class OwnRedis:
    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603
            [
                REDIS_SERVER,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.answers, 10, what="redis-server answering")

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self):
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
            self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"


@pytest.fixture
def own_redis():
    server = OwnRedis()
    server.start()
    yield server
    server.kill()


# --- The site, as production runs it --------------------------------------------------------


def site_environment(database_url, **overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CONTACT_", "AXES_", "EMAIL_", "CACHE_", "SECURE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="stowarzyszenie.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(40),
        # Plain http on loopback: SITE_URL turns the HTTPS switches off by itself.
        SITE_URL="http://127.0.0.1",
        DATABASE_URL=database_url,
        CACHE_URL="locmemcache://",
        EMAIL_URL="consolemail://",
        # Load from one address: the limits are proven elsewhere (tests/test_throttles_hold.py).
        CONTACT_RATE_LIMIT="100000/1m",
        CONTACT_CHALLENGE_RATE_LIMIT="100000/1m",
        CONTACT_MIN_FILL_SECONDS="0",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


def manage(env, *args, timeout=300):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """collectstatic once for the whole suite (production serves hashed file names)."""
    folder = tmp_path_factory.mktemp("static")
    return folder


class Site:
    """gunicorn serving the project on a free port, and the mail worker beside it."""

    def __init__(self, env, log_folder):
        self.env = env
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_folder = Path(log_folder)
        self.server = None
        self.worker = None

    def prepare(self):
        manage(self.env, "migrate", "--noinput", "-v0")
        manage(self.env, "load_association_content")
        if not (Path(self.env["STATIC_ROOT"]) / "staticfiles.json").exists():
            manage(self.env, "collectstatic", "--noinput", "-v0")
        return self

    def start_server(self, workers=2):
        self.server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                "4",
                "--timeout",
                "60",
                "stowarzyszenie.wsgi",
            ],
            cwd=PROJECT_DIR,
            env=self.env,
            stdout=open(self.log_folder / "gunicorn.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: self.status("/healthz") in (200, 503), 30, what="gunicorn answering")

    def start_worker(self):
        manage(self.env, "resume_deliveries")
        self.worker = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--backend",
                "mail",
                "--interval",
                "0.5",
                "--no-startup-delay",
                "--no-reload",
            ],
            cwd=PROJECT_DIR,
            env=self.env,
            stdout=open(self.log_folder / "worker.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )

    def kill_worker(self):
        if self.worker is not None:
            self.worker.send_signal(signal.SIGKILL)
            self.worker.wait(10)
            self.worker = None

    def stop(self):
        self.kill_worker()
        if self.server is not None:
            self.server.terminate()
            try:
                self.server.wait(15)
            except subprocess.TimeoutExpired:
                self.server.kill()
            self.server = None

    def status(self, path):
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return None

    def resident(self):
        return Resident(self)


class Resident:
    """A browser with its own cookies that fills in the contact form at /kontakt/."""

    def __init__(self, site):
        self.site = site
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect()
        )

    def get(self, path):
        try:
            with self.opener.open(self.site.base + path, timeout=15) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def post(self, path, fields):
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(self.site.base + path, data=data)  # noqa: S310
        request.add_header("Referer", self.site.base + path)
        try:
            with self.opener.open(request, timeout=15) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def send_question(self, text, answer_of):
        """(status of the POST, text sent). `answer_of(key)` reads the captcha's answer."""
        status, page = self.get("/kontakt/")
        if status != 200:
            return status, text
        fields = dict(
            re.findall(r'name="(csrfmiddlewaretoken|captcha_0|form_token)" value="([^"]*)"', page)
        )
        fields.update(
            sender_name="Anna Mieszkanka",
            sender_email="anna@example.org",
            text=text,
            consent="on",
            captcha_1=answer_of(fields.get("captcha_0", "")),
            website="",
        )
        return self.post("/kontakt/", fields), text


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def make_site(own_postgres, static_root, tmp_path):
    """make_site(**env) → a Site on a fresh database of the suite's own PostgreSQL."""
    started = []

    def make(**overrides):
        database = f"plac_{secrets.token_hex(4)}"
        own_postgres.create_database(database)
        env = site_environment(
            own_postgres.url(database), STATIC_ROOT=str(static_root), **overrides
        )
        site = Site(env, tmp_path).prepare()
        site.database = database
        site.answer_of, site.count = database_readers(own_postgres, database)
        site.execute = lambda sql, *params: own_postgres.execute(sql, *params, database=database)
        started.append(site)
        return site

    yield make
    for site in started:
        site.stop()
