"""Every way of starting the site starts the same mail worker: `make run`, `make dev`, the image."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def commands_before_the_worker(text):
    """The manage.py commands run before `db_worker`, in order."""
    return re.findall(r"manage\.py (\w+)", text.split("db_worker")[0])


def procfile_worker(name):
    [line] = [line for line in (ROOT / name).read_text().splitlines() if line.startswith("worker:")]
    return line


def test_make_dev_starts_the_same_mail_worker_as_make_run():
    assert procfile_worker("Procfile.dev") == procfile_worker("Procfile.local")


def test_the_image_prepares_the_worker_as_make_run_does():
    entrypoint = (ROOT / "docker/entrypoint.sh").read_text()
    worker_branch = entrypoint.split("worker)")[1].split(";;")[0]

    assert commands_before_the_worker(worker_branch) == commands_before_the_worker(
        procfile_worker("Procfile.local")
    )
    assert commands_before_the_worker(worker_branch) == [
        "resume_deliveries",
        "schedule_publishing",
        "start_mail_jobs",
    ]
