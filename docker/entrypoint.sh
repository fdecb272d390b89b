#!/bin/sh
# The container's entry point (also usable on a plain server from the project folder).
#
#   web          wait for the database, apply migrations, load the association's
#                content if the site is empty, then serve with gunicorn (default)
#   worker       wait for the database, then send the board's e-mails:
#                `manage.py db_worker --backend mail` (extra arguments are passed on)
#   healthcheck  Docker's HEALTHCHECK: the web server's /healthz, or in the worker's
#                container docker/worker_health.py (database up, no e-mail overdue)
#   manage ...   any manage.py command, e.g. `manage createsuperuser`
#   anything else is run as given
set -eu

cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-stowarzyszenie.settings}"

command="${1:-web}"
[ "$#" -gt 0 ] && shift

case "$command" in
    web)
        python docker/prepare_database.py
        # exec: gunicorn replaces the shell, so Docker's stop signal reaches it directly.
        exec gunicorn --config gunicorn.conf.py
        ;;
    worker)
        python docker/prepare_database.py --wait-only
        # A worker killed mid-task leaves its task "running" for ever: queue those messages again.
        python manage.py resume_deliveries
        # Scheduled publishing runs on this worker, once a minute (pages/tasks.py).
        python manage.py schedule_publishing
        # Unsent replies again; with IMAP_URL or CONTACT_DIGEST_HOUR set, the mailbox and the digest.
        python manage.py start_mail_jobs
        exec python manage.py db_worker --backend mail "$@"
        ;;
    healthcheck)
        # One HEALTHCHECK for both roles: the worker container checks its queue, not the web.
        if tr '\0' ' ' < /proc/1/cmdline 2>/dev/null | grep -q db_worker; then
            exec python docker/worker_health.py
        fi
        exec python -c 'import os, sys, urllib.request
port = os.environ.get("PORT", "8000")
try:
    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=4)
except Exception as error:
    sys.exit(f"unhealthy: {error}")'
        ;;
    manage)
        exec python manage.py "$@"
        ;;
    *)
        exec "$command" "$@"
        ;;
esac
