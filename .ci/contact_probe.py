"""Send one question through the contact form as a browser does, and see it reach the board.

Used by .ci/fresh-machine.sh and .ci/image.sh against a server they started (the README's
`make run` in a fresh Debian, or the container image). The probe starts the board's SMTP
server itself (aiosmtpd); the server under test must send to it (EMAIL_URL). What a person
reads in the captcha picture comes from the challenge store, through MANAGE (a command that
runs the site's manage.py, e.g. in the chroot or with `podman exec`).

    .venv/bin/python .ci/contact_probe.py --url http://127.0.0.1:9910 --smtp-port 9911 \
        --manage "podman exec plac-nzs-ci-web /app/docker/entrypoint.sh manage"
"""

import argparse
import http.cookiejar
import json
import shlex
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from aiosmtpd.controller import Controller
from bs4 import BeautifulSoup

BOARD = "zarzad@plac-nzs.example.org"


class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def step(text):
    print(f"    probe: {text}", flush=True)


def manage(command, *args):
    result = subprocess.run(  # noqa: S603 - the CI's own command line
        [*shlex.split(command), *args], capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def wait_for(url, seconds):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        if time.monotonic() > deadline:
            sys.exit(f"{url} did not answer 200 within {seconds} s")
        time.sleep(2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--smtp-port", type=int, required=True)
    parser.add_argument("--manage", required=True)
    parser.add_argument("--wait", type=int, default=900, help="seconds to wait for /")
    parser.add_argument("--pause", type=float, default=None, help="seconds a person takes")
    parser.add_argument("--report", help="write the figures as JSON here")
    parser.add_argument(
        "--before-post", help="a command run just before the form is sent (e.g. kill the worker)"
    )
    options = parser.parse_args()
    base = options.url.rstrip("/")
    figures = {}

    mailbox = Mailbox()
    sink = Controller(mailbox, hostname="127.0.0.1", port=options.smtp_port)
    sink.start()
    try:
        started = time.monotonic()
        wait_for(f"{base}/", options.wait)
        figures["seconds_until_home_page"] = round(time.monotonic() - started, 1)
        step(f"/ answers ({figures['seconds_until_home_page']} s)")
        try:
            urllib.request.urlopen(f"{base}/nie-ma-takiej-strony/", timeout=30)  # noqa: S310
            sys.exit("a missing page did not answer 404")
        except urllib.error.HTTPError as error:
            missing = error.read().decode()
            if error.code != 404 or "Nie znaleziono strony" not in missing:
                sys.exit(f"a missing page is not the Polish 404 ({error.code}):\n{missing[:2000]}")
        step("a missing page is the Polish 404")

        code = (
            "from wagtail.models import Site; from pages.models import AssociationSettings;"
            "s = AssociationSettings.for_site(Site.objects.get(is_default_site=True));"
            f"s.board_recipients = {BOARD!r}; s.save();"
            "from django.conf import settings; print(settings.CONTACT_MIN_FILL_SECONDS)"
        )
        min_fill = int(manage(options.manage, "shell", "-c", code).split()[-1])
        step(f"board address set to {BOARD}; the form wants at least {min_fill} s")

        jar = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), NoRedirects()
        )
        with browser.open(f"{base}/kontakt/", timeout=30) as response:
            page = response.read().decode()
        form = BeautifulSoup(page, "html.parser").find("form", id="formularz-kontaktowy")
        fields = {
            element["name"]: element.get("value", "")
            for element in form.find_all("input")
            if element.get("name") and element.get("type") not in ("submit", "checkbox")
        }
        picture = form.find("img", attrs={"data-captcha-image": True})
        with browser.open(urllib.parse.urljoin(base, picture["src"]), timeout=30) as response:
            png = response.read()
            assert response.headers["Content-Type"] == "image/png", response.headers
        assert png.startswith(b"\x89PNG"), "the question's picture is not a PNG"
        step(f"question picture {len(png)} bytes, <img> {picture['width']}x{picture['height']}")
        figures["captcha_png_bytes"] = len(png)

        key = fields["captcha_0"]
        answer_code = (
            "from captcha.models import CaptchaStore;"
            f"print(CaptchaStore.objects.get(hashkey={key!r}).response)"
        )
        answer = manage(options.manage, "shell", "-c", answer_code).split()[-1]
        pause = options.pause if options.pause is not None else min_fill + 1
        step(f"reading the question like a person: {pause} s")
        time.sleep(pause)
        if options.before_post:
            subprocess.run(shlex.split(options.before_post), check=True, timeout=60)  # noqa: S603
            step(f"ran {options.before_post}")

        marker = f"fresh-machine probe {uuid.uuid4()}"
        fields.update(
            sender_name="Anna Mieszkanka",
            sender_email="anna@example.org",
            text=f"Kiedy jest następne spotkanie? ({marker})",
            consent="on",
            captcha_1=answer,
        )
        request = urllib.request.Request(  # noqa: S310 - our own server
            f"{base}/kontakt/",
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Referer": f"{base}/kontakt/", "Origin": base},
        )
        try:
            response = browser.open(request, timeout=30)
            status, location = response.status, response.headers.get("Location")
        except urllib.error.HTTPError as error:
            status, location = error.code, error.headers.get("Location")
            if status not in (302, 303):
                sys.exit(f"POST /kontakt/ answered {status}:\n{error.read().decode()[:3000]}")
        if status not in (302, 303) or "dziekujemy" not in (location or ""):
            sys.exit(f"POST /kontakt/ answered {status} (Location {location}), not the thanks page")
        sent = time.monotonic()
        step("the form thanked the resident; waiting for the board's e-mail")

        deadline = sent + 180
        while not any(marker in content for _, content in mailbox.messages):
            if time.monotonic() > deadline:
                sys.exit(
                    f"no e-mail with the question arrived in 180 s: {mailbox.messages!r:.2000}"
                )
            time.sleep(0.5)
        recipients = next(rcpt for rcpt, content in mailbox.messages if marker in content)
        assert BOARD in recipients, recipients
        figures["seconds_until_delivered"] = round(time.monotonic() - sent, 1)
        step(f"delivered to {', '.join(recipients)} in {figures['seconds_until_delivered']} s")
    finally:
        sink.stop()
    if options.report:
        with open(options.report, "w") as report:
            json.dump(figures, report)


if __name__ == "__main__":
    main()
