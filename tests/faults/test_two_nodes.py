"""Past one machine: two web nodes (separate gunicorns, each with its own temporary folder and
uploads folder) and two mail workers share one PostgreSQL and one Redis behind one nginx.

What a visitor, an editor and a resident see must not depend on which node answers: a page
published on one node is served by the other at once, the contact form's limit and the admin
login lockout count on both, and each message reaches the board exactly once.
"""

import re
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

from tests.conftest import LocalSmtpServer
from tests.faults.conftest import (
    OwnRedis,
    Site,
    database_readers,
    manage,
    site_environment,
    wait_until,
)
from tests.faults.two_nodes import OwnNginx

PASSWORD = secrets.token_urlsafe(16)
PRIVACY = "/polityka-prywatnosci/"
NEW_TITLE = "Polityka prywatności (wersja druga)"
RATE_LIMIT = 3
LOGIN_FAILURES = 3


@pytest.fixture(scope="module")
def cluster(own_postgres, static_root, tmp_path_factory):
    """Node A and node B, their mail workers, nginx in front, an SMTP server for the board."""
    smtp = LocalSmtpServer()
    smtp.start()
    redis = OwnRedis()
    redis.start()
    database = f"plac_{secrets.token_hex(4)}"
    own_postgres.create_database(database)
    nodes = []
    # One .env for every node: a key of its own would split the keyed counters and sessions.
    secret_key = secrets.token_urlsafe(40)
    for name in ("a", "b"):
        local = tmp_path_factory.mktemp(f"node-{name}")
        (local / "tmp").mkdir()
        env = site_environment(
            own_postgres.url(database),
            STATIC_ROOT=str(static_root),
            CACHE_URL=redis.url,
            MEDIA_ROOT=str(local / "media"),
            TMPDIR=str(local / "tmp"),
            EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
            DEFAULT_FROM_EMAIL="noreply@plac-nzs.example",
            CONTACT_RATE_LIMIT=f"{RATE_LIMIT}/10m",
            AXES_FAILURE_LIMIT=str(LOGIN_FAILURES),
            DJANGO_SUPERUSER_PASSWORD=PASSWORD,
            SECRET_KEY=secret_key,
        )
        nodes.append(Site(env, local))
    node_a, node_b = nodes
    node_a.prepare()
    manage(node_a.env, "createsuperuser", "--noinput", "--username", "admin", "--email", "a@x.pl")
    own_postgres.execute(
        "UPDATE pages_associationsettings SET board_recipients = 'zarzad@plac-nzs.example'",
        database=database,
    )
    proxy = OwnNginx([("127.0.0.1", node_a.port), ("127.0.0.1", node_b.port)])
    try:
        for node in nodes:
            node.start_server(workers=1)
            node.start_worker()
            node.answer_of, node.count = database_readers(own_postgres, database)
        proxy.start()
        yield {"a": node_a, "b": node_b, "nginx": proxy, "smtp": smtp}
    finally:
        proxy.stop()
        for node in nodes:
            node.stop()
        redis.kill()
        smtp.stop()


class Browser:
    """Cookies, no redirects followed, headers kept: enough for the admin's forms."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), NoRedirect()
        )

    def request(self, path, fields=None):
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        request = urllib.request.Request(self.base + path, data=data)  # noqa: S310
        try:
            with self.opener.open(request, timeout=15) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode(errors="replace")

    def form_token(self, path):
        _status, _headers, html = self.request(path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def log_in(self, password):
        token = self.form_token("/admin/login/")
        fields = {"csrfmiddlewaretoken": token, "username": "admin", "password": password}
        return self.request("/admin/login/", fields)[0]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def title_of(html):
    return re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()


def test_a_page_published_on_node_a_is_served_by_node_b_at_once(cluster, capsys):
    node_a, node_b, nginx = cluster["a"], cluster["b"], cluster["nginx"]
    # An editor's draft: saved, not yet published, so nothing is invalidated yet.
    code = (
        "from wagtail.models import Page; "
        f"p = Page.objects.get(url_path='/home{PRIVACY}').specific; "
        f"p.title = {NEW_TITLE!r}; p.save_revision(); print(p.pk)"
    )
    page_id = manage(node_a.env, "shell", "-c", code).strip().splitlines()[-1]
    visitor_b, through_nginx = Browser(node_b.base), Browser(nginx.base)
    old_title = title_of(visitor_b.request(PRIVACY)[2])
    status, headers, html = visitor_b.request(PRIVACY)
    assert headers.get("X-Page-Cache") == "hit" and title_of(html) == old_title
    for _ in range(4):  # both nodes behind nginx have it cached too
        assert title_of(through_nginx.request(PRIVACY)[2]) == old_title

    editor = Browser(node_a.base)
    assert editor.log_in(PASSWORD) == 302
    publish = f"/admin/bulk/wagtailcore/page/publish/?id={page_id}"
    token = editor.form_token(publish)
    assert editor.request(publish, {"csrfmiddlewaretoken": token})[0] == 302
    published_at = time.monotonic()

    status, headers, html = visitor_b.request(PRIVACY)
    seen_after = time.monotonic() - published_at
    assert status == 200 and title_of(html) == NEW_TITLE
    assert headers.get("X-Page-Cache") == "miss"

    # nginx keeps its copy for the app's s-maxage (a few seconds), then asks whichever node.
    def nginx_serves_the_new_page():
        return title_of(through_nginx.request(PRIVACY)[2]) == NEW_TITLE

    wait_until(nginx_serves_the_new_page, 5, what="the publish through nginx")
    for _ in range(4):
        assert nginx_serves_the_new_page()
    with capsys.disabled():
        print(f"\n[faults] two nodes: published on A, served new by B {seen_after:.2f} s later.")


def test_the_contact_limit_counts_on_both_nodes(cluster):
    node_a, node_b, nginx = cluster["a"], cluster["b"], cluster["nginx"]
    resident_a = node_a.resident()
    sent = [resident_a.send_question(f"Pytanie {n}", node_a.answer_of) for n in range(RATE_LIMIT)]
    assert [status for status, _text in sent] == [303] * RATE_LIMIT
    assert resident_a.send_question("Jeszcze jedno", node_a.answer_of)[0] == 429

    resident_b = node_b.resident()
    assert resident_b.send_question("Z drugiego węzła", node_b.answer_of)[0] == 429
    behind_nginx = Site(node_b.env, node_b.log_folder)
    behind_nginx.base = nginx.base
    assert behind_nginx.resident().send_question("Przez nginx", node_b.answer_of)[0] == 429


@pytest.fixture
def lockout_lifted_afterwards(cluster):
    yield
    manage(cluster["a"].env, "axes_reset")


def test_the_login_lockout_counts_on_both_nodes(cluster, lockout_lifted_afterwards):
    node_a, node_b = cluster["a"], cluster["b"]
    guesser = Browser(node_a.base)
    statuses = [guesser.log_in("zle-haslo") for _ in range(LOGIN_FAILURES)]
    assert statuses[:-1] == [200] * (LOGIN_FAILURES - 1) and statuses[-1] == 429

    # The right password, on the other node, from the same address: still locked out.
    assert Browser(node_b.base).log_in(PASSWORD) == 429


def test_each_message_reaches_the_board_exactly_once_with_two_workers(cluster, capsys):
    node_a, smtp = cluster["a"], cluster["smtp"]
    count = 30
    # Stored and queued as the contact form does (the form's limit is exercised above).
    code = (
        "from contact.models import ContactMessage\n"
        f"for n in range({count}):\n"
        "    ContactMessage.objects.create(sender_name='Anna', sender_email='anna@example.org',"
        " text=f'Pytanie do dwóch pracowników {n}', consent_given=True,"
        " consent_clause_version='test').queue_delivery()\n"
    )
    started = time.monotonic()
    manage(node_a.env, "shell", "-c", code)

    def ours():
        return [
            mail["message"]
            for mail in list(smtp.received)
            if "Pytanie do dwóch pracowników" in mail["message"].get_body().get_content()
        ]

    wait_until(lambda: len(ours()) >= count, 90, step=0.5, what=f"{count} e-mails")
    delivered_in = time.monotonic() - started
    time.sleep(3)  # a second delivery of any of them would arrive now
    mails = ours()
    message_ids = {mail["Message-ID"] for mail in mails}
    texts = {
        re.search(r"Pytanie do dwóch pracowników \d+", mail.get_body().get_content()).group(0)
        for mail in mails
    }
    workers = node_a.count(
        "SELECT count(DISTINCT w) FROM django_tasks_database_dbtaskresult, "
        "jsonb_array_elements_text(worker_ids) AS w WHERE task_path LIKE %s",
        "%deliver_message",
    )
    assert len(mails) == count and len(message_ids) == count and len(texts) == count
    with capsys.disabled():
        print(
            f"\n[faults] two nodes: {count} messages, two mail workers ({workers} took part): "
            f"{len(mails)} e-mails {delivered_in:.1f} s after queueing began, "
            f"{len(message_ids)} distinct Message-IDs."
        )
