"""nginx in front of gunicorn, with the shipped config (docker/nginx/plac-nzs.conf).

A real nginx, started unprivileged by the tests, in front of a real gunicorn on its own SQLite
database and file cache: what every visitor gets alike comes from nginx, what belongs to one
visitor never does, a publish shows within seconds, and the pages stay up with the app down.
"""

import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench.proxy import NGINX, Nginx, check_config, renderer

PROJECT_DIR = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    not Path(NGINX).exists(),
    reason="nginx is not installed: apt-get install nginx (`make test` installs it)",
)


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body
        self.text = body.decode("utf-8", "replace")

    @property
    def cache(self):
        return self.headers.get("X-Cache-Status")


class ProxiedSite:
    """gunicorn with the project's config (2 workers) and nginx in front of it."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.app_port, self.proxy_port = free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.proxy_port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
        env.update(
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
            DJANGO_SETTINGS_MODULE="stowarzyszenie.settings",
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            SITE_URL="http://127.0.0.1",
            SECURE_SSL_REDIRECT="0",
            SECURE_HSTS_SECONDS="0",
            SECURE_COOKIES="0",
            DATABASE_URL=f"sqlite:///{self.folder / 'db.sqlite3'}",
            # A file cache: the publishing process and gunicorn's workers share it.
            CACHE_URL=f"filecache://{self.folder / 'cache'}",
            EMAIL_URL="consolemail://",
            STATIC_ROOT=str(self.folder / "static"),
            MEDIA_ROOT=str(self.folder / "media"),
            WEB_CONCURRENCY="2",
            LOG_LEVEL="WARNING",
            PYTHONDONTWRITEBYTECODE="1",
        )
        self.env = env
        self.app = None
        self.nginx = None

    def manage(self, *args):
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=PROJECT_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def prepare(self):
        (self.folder / "media").mkdir()
        self.manage("migrate", "--noinput", "-v0")
        self.manage("load_association_content", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        config = renderer().render(
            listen=f"127.0.0.1:{self.proxy_port}",
            upstreams=[f"127.0.0.1:{self.app_port}"],
            cache_path=self.folder / "nginx" / "cache",
            static_root=self.folder / "static",
            media_root=self.folder / "media",
        )
        self.nginx = Nginx(self.folder / "nginx", config)

    def start_app(self):
        self.app = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{self.app_port}",
            ],
            cwd=PROJECT_DIR,
            env=self.env,
            stdout=open(self.folder / "gunicorn.log", "ab"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.get("/healthz").status == 200:
                return
            assert self.app.poll() is None, (self.folder / "gunicorn.log").read_text()[-3000:]
            time.sleep(0.2)
        raise AssertionError("gunicorn did not answer through nginx")

    def kill_app(self):
        """SIGKILL to gunicorn and its workers, as when the machine runs out of memory."""
        os.killpg(self.app.pid, signal.SIGKILL)
        self.app.wait(10)
        self.app = None

    def stop(self):
        if self.app is not None:
            self.kill_app()
        if self.nginx is not None:
            self.nginx.stop()

    def get(self, path, headers=None, method="GET", data=None):
        request = urllib.request.Request(  # noqa: S310 (always http://127.0.0.1)
            self.base + path, headers=headers or {}, method=method, data=data
        )
        try:
            with OPENER.open(request, timeout=30) as response:
                return Answer(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers, error.read())

    def cached(self, path):
        """The page as a second visitor gets it: the first visit stored it."""
        first = self.get(path)
        assert first.status == 200, first.text[:500]
        return self.get(path)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = ProxiedSite(tmp_path_factory.mktemp("proxied"))
    try:
        site.prepare()
        site.nginx.wait_ready(site.base + "/healthz")
        site.start_app()
        yield site
    finally:
        site.stop()


def test_the_shipped_config_passes_nginx_own_check(site):
    assert "test is successful" in site.nginx.check()


def test_a_page_every_visitor_gets_alike_comes_from_nginx_on_the_second_visit(site):
    first = site.get("/")
    second = site.get("/")

    assert first.status == second.status == 200
    assert second.cache == "HIT"
    assert second.body == first.body
    cache_control = second.headers["Cache-Control"]
    assert "s-maxage=3" in cache_control and "stale-if-error=" in cache_control


def test_browsers_share_one_gzip_copy_and_others_get_the_page_uncompressed(site):
    chrome = {"Accept-Encoding": "gzip, deflate, br"}
    firefox = {"Accept-Encoding": "gzip, deflate, br, zstd"}
    site.get("/o-stowarzyszeniu/", chrome)

    shared = site.get("/o-stowarzyszeniu/", firefox)
    plain = site.get("/o-stowarzyszeniu/", {"Accept-Encoding": "identity"})

    assert shared.cache == "HIT"
    assert shared.headers["Content-Encoding"] == "gzip"
    assert shared.headers["Vary"] == "Accept-Encoding"  # for caches further along
    assert "Content-Encoding" not in plain.headers
    assert "</html>" in plain.text


def test_the_contact_forms_per_visitor_parts_never_come_from_the_cache(site):
    answers = [site.get("/kontakt/formularz.json") for _ in range(3)]

    assert [a.status for a in answers] == [200, 200, 200]
    assert "HIT" not in [a.cache for a in answers]
    # Each visitor its own question and token: nothing handed on to the next one.
    assert len({json.dumps(json.loads(a.body), sort_keys=True) for a in answers}) == 3
    assert all("csrftoken=" in a.headers.get("Set-Cookie", "") for a in answers)


def test_a_page_that_sets_a_cookie_is_never_kept(site):
    answers = [site.get("/kontakt/") for _ in range(3)]

    assert [a.status for a in answers] == [200, 200, 200]
    assert all("csrftoken=" in a.headers.get("Set-Cookie", "") for a in answers)
    assert "HIT" not in [a.cache for a in answers]


def test_the_admin_is_never_kept(site):
    for path in ("/admin/", "/admin/login/"):
        answers = [site.get(path) for _ in range(3)]
        assert answers[0].status in (200, 302)
        assert "HIT" not in [a.cache for a in answers], path


def test_a_post_goes_to_the_app_even_where_the_page_is_cached(site):
    assert site.cached("/").cache == "HIT"

    answers = [site.get("/", method="POST", data=b"a=1") for _ in range(2)]

    # Django's own refusal (no CSRF token): the app saw each one.
    assert [a.status for a in answers] == [403, 403]
    assert "HIT" not in [a.cache for a in answers]


def test_search_results_are_never_kept(site):
    answers = [site.get("/szukaj/?q=plac") for _ in range(3)]

    assert answers[0].status == 200
    assert "HIT" not in [a.cache for a in answers]


def test_a_signed_in_editor_never_gets_the_cached_page(site):
    assert site.cached("/").cache == "HIT"

    editor = site.get("/", headers={"Cookie": "csrftoken=x; sessionid=an-editors-session"})

    assert editor.status == 200
    assert editor.cache == "BYPASS"
    assert "private" in editor.headers["Cache-Control"]
    # And what the editor got is not handed to visitors either.
    assert site.get("/").headers["Cache-Control"].startswith("public")


def test_a_visitor_who_opened_the_form_still_gets_the_cached_page(site):
    """A csrftoken alone marks no one: cached pages carry no token."""
    assert site.cached("/").cache == "HIT"

    assert site.get("/", headers={"Cookie": "csrftoken=abc"}).cache == "HIT"


def test_a_publish_shows_through_nginx_within_five_seconds(site):
    assert site.cached("/").cache == "HIT"
    title = f"Plac NZS po publikacji {secrets.token_hex(4)}"
    code = (
        "import time; from pages.models import MissionPage; page = MissionPage.objects.get(); "
        f"page.title = {title!r}; page.save_revision().publish(); print(time.time())"
    )

    published = float(site.manage("shell", "--no-imports", "-c", code).split()[-1])

    while title not in site.get("/").text:
        assert time.time() - published < 5, "the publish did not show through nginx in 5 s"
        time.sleep(0.1)


def test_with_the_app_down_nginx_keeps_serving_the_last_good_pages(site):
    for path in ("/", "/o-stowarzyszeniu/"):
        assert site.cached(path).status == 200
    try:
        site.kill_app()

        deadline = time.monotonic() + 4  # past s-maxage: every copy is stale by then
        answers = []
        while time.monotonic() < deadline:
            answers += [site.get("/"), site.get("/o-stowarzyszeniu/")]
            time.sleep(0.1)
        assert {a.status for a in answers} == {200}
        assert "STALE" in {a.cache for a in answers}
        # Nothing else is made up: what was never cached is an error.
        assert site.get("/szukaj/?q=plac").status == 502
    finally:
        site.start_app()


def test_static_files_come_from_nginx_not_the_app(site):
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', site.get("/").text)
    assert stylesheet, "no hashed stylesheet on the mission page"
    try:
        site.kill_app()

        answer = site.get(stylesheet.group(1), headers={"Accept-Encoding": "gzip"})

        assert answer.status == 200
        assert answer.headers["Content-Type"] == "text/css"
        assert answer.headers["Content-Encoding"] == "gzip"  # collectstatic's .gz copy
        assert "immutable" in answer.headers["Cache-Control"]
        assert site.get("/static/css/site.css").status == 200
    finally:
        site.start_app()


def test_the_images_nginx_config_is_the_template_with_every_placeholder_filled(tmp_path):
    """The Dockerfile's `proxy` stage fills the placeholders with sed; nginx accepts the result."""
    dockerfile = (PROJECT_DIR / "Dockerfile").read_text()
    stage = dockerfile.split(" AS proxy", 1)[1].split("\nFROM ", 1)[0]
    replacements = dict(re.findall(r"-e 's\|(@[A-Z_]+@)\|([^|]*)\|'", stage))
    template = (PROJECT_DIR / "docker" / "nginx" / "plac-nzs.conf").read_text()
    settings = "\n".join(line.split("#")[0] for line in template.splitlines())
    assert set(replacements) == set(re.findall(r"@[A-Z_]+@", settings))
    config = template
    for placeholder, value in replacements.items():
        config = config.replace(placeholder, value)
    # Outside compose there is no `web` host; the cache folder is the image's.
    config = config.replace("server web:8000;", "server 127.0.0.1:8000;")
    config = config.replace("/var/cache/nginx/plac-nzs", str(tmp_path / "cache"))

    conf = renderer().standalone(tmp_path, config)

    assert "test is successful" in check_config(conf, tmp_path)


def test_a_config_for_several_app_servers_lists_each_and_nginx_accepts_it(tmp_path):
    """A second web node is one more --upstream: each becomes a `server` line of the upstream."""
    config = renderer().render(
        listen="127.0.0.1:8080",
        upstreams=["127.0.0.1:8001", "127.0.0.1:8002"],
        cache_path=tmp_path / "cache",
        static_root=tmp_path / "static",
        media_root=tmp_path / "media",
    )
    upstream = config.split("upstream plac_nzs_app {", 1)[1].split("}", 1)[0]
    assert upstream.split() == ["server", "127.0.0.1:8001;", "server", "127.0.0.1:8002;"]

    conf = renderer().standalone(tmp_path, config)

    assert "test is successful" in check_config(conf, tmp_path)
