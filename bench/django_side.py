"""The benchmark's parts that need Django (run by bench/run.py with the server's environment).

python bench/django_side.py bundles N FILE BASE_URL   prepared contact submissions for wrk
python bench/django_side.py queries                  SQL queries per page, cold and warm
python bench/django_side.py counts                   stored messages and queued e-mails
"""

import json
import re
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

PAGES = {"mission page": "/", "contact page": "/kontakt/"}
FORM_PARTS = "/kontakt/formularz.json"


def _get(url):
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        return response.read().decode(), {k: m.value for k, m in cookies.items()}


def _hidden(html, name):
    match = re.search(rf'name="{name}"[^>]*value="([^"]*)"', html) or re.search(
        rf'value="([^"]*)"[^>]*name="{name}"', html
    )
    return match.group(1) if match else ""


def one_submission(base_url, number):
    """Per-visitor parts as a browser gets them: the JSON the form's script fetches
    (or, failing that, the server-rendered form page)."""
    try:
        body, cookies = _get(base_url + FORM_PARTS)
        parts = json.loads(body)
        csrf, form_token, key = parts["csrf_token"], parts["form_token"], parts["captcha"]["key"]
    except Exception:  # noqa: BLE001 - fall back to the form page
        html, cookies = _get(base_url + "/kontakt/")
        csrf, form_token = _hidden(html, "csrfmiddlewaretoken"), _hidden(html, "form_token")
        key = _hidden(html, "captcha_0")
    return {
        "cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        "fields": {
            "csrfmiddlewaretoken": csrf,
            "sender_name": f"Mieszkanka Testowa {number}",
            "sender_email": f"mieszkanka{number}@example.org",
            "text": f"Pytanie numer {number} z testu wydajności: kiedy jest następne spotkanie?",
            "consent": "on",
            "captcha_0": key,
            "website": "",
            "form_token": form_token,
        },
    }


def bundles(count, out_file, base_url):
    from captcha.models import CaptchaStore

    with ThreadPoolExecutor(max_workers=8) as pool:
        prepared = list(pool.map(lambda n: one_submission(base_url, n), range(count)))
    answers = dict(
        CaptchaStore.objects.filter(
            hashkey__in=[p["fields"]["captcha_0"] for p in prepared]
        ).values_list("hashkey", "response")
    )
    with open(out_file, "w", encoding="utf-8") as out:
        for p in prepared:
            fields = {**p["fields"], "captcha_1": answers.get(p["fields"]["captcha_0"], "")}
            out.write(f"{p['cookie']}\t{urlencode(fields)}\n")
    print(json.dumps({"prepared": len(prepared), "answered": len(answers)}))


def queries():
    from pages.cache import invalidate

    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    result = {}
    client.get("/")  # the process's own first-use work (content types, URL resolver) is not
    # what a visitor pays after a publish: only the configured cache starts empty below.
    for name, path in PAGES.items():
        counts = {}
        cache.clear()
        for state in ("cold", "uncached", "warm"):
            if state == "uncached":
                invalidate()  # as when an editor publishes: settings and site caches stay warm
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            counts[state] = len(captured.captured_queries)
            counts["status"] = response.status_code
            if state == "cold":
                counts["cold_sql"] = [q["sql"][:160] for q in captured.captured_queries]
        result[name] = counts
    print(json.dumps(result))


def counts():
    out = {}
    try:
        from contact.models import ContactMessage

        out["messages"] = ContactMessage.objects.count()
    except Exception as error:  # noqa: BLE001
        out["messages"] = str(error)
    try:
        from django_tasks_db.models import DBTaskResult

        out["queued_tasks"] = DBTaskResult.objects.count()
        out["finished_tasks"] = DBTaskResult.objects.exclude(status="READY").count()
    except Exception as error:  # noqa: BLE001
        out["queued_tasks"] = str(error)
    print(json.dumps(out))


def profile(what, count):
    """Where the time goes, in-process (no server, no network): the top functions."""
    import cProfile
    import io
    import pstats

    from pages.cache import invalidate

    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    client.get("/")
    if what == "post":
        from captcha.models import CaptchaStore

        parts = [json.loads(client.get(FORM_PARTS).content) for _ in range(count)]
        time.sleep(float(getattr(settings, "CONTACT_MIN_FILL_SECONDS", 1)) + 0.2)
        answers = dict(CaptchaStore.objects.values_list("hashkey", "response"))

        def run():
            for n, p in enumerate(parts):
                client.post(
                    "/kontakt/",
                    {
                        "sender_name": "Profil",
                        "sender_email": f"profil{n}@example.org",
                        "text": "Pytanie z profilowania.",
                        "consent": "on",
                        "captcha_0": p["captcha"]["key"],
                        "captcha_1": answers.get(p["captcha"]["key"], ""),
                        "website": "",
                        "form_token": p["form_token"],
                    },
                )
    else:

        def run():
            for _ in range(count):
                invalidate()
                client.get("/")

    profiler = cProfile.Profile()
    profiler.runcall(run)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    text = "\n".join(line for line in out.getvalue().splitlines() if line.strip())
    print(json.dumps({"profile": text}))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "bundles":
        bundles(int(sys.argv[2]), sys.argv[3], sys.argv[4])
    elif command == "queries":
        queries()
    elif command == "counts":
        counts()
    elif command == "profile":
        profile(sys.argv[2], int(sys.argv[3]))
    else:
        raise SystemExit(__doc__)
