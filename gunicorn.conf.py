"""gunicorn settings for the container (and any production server).

`docker/entrypoint.sh web` runs `gunicorn -c gunicorn.conf.py`; every value can be
changed by an environment variable, so the same image fits a 1-CPU VPS and a bigger host.
"""

import os
import sys

# gunicorn loads this file before the project is importable; the logging setup lives there.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from stowarzyszenie.logs import logging_config  # noqa: E402

wsgi_app = "stowarzyszenie.wsgi:application"

# This machine only by default: a reverse proxy on the same host talks to it. The container
# image sets GUNICORN_HOST=0.0.0.0, where Docker's port publishing decides who reaches it.
# GUNICORN_BIND (e.g. "unix:/run/plac.sock") replaces both.
bind = os.environ.get("GUNICORN_BIND") or (
    f"{os.environ.get('GUNICORN_HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)

# gunicorn's control socket (`gunicornc`) is not used: with it on, gunicorn writes to
# $HOME/.gunicorn, which the image's unprivileged user cannot, and logs an error at every start.
control_socket_disable = True


def _cpus():
    # CPUs this process may actually use (a container limited to 1 CPU on a 16-CPU host
    # reports 16 in os.cpu_count()).
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# Sync workers: our pages are quick and mostly cached, so the classic 2 x CPUs + 1 is
# right; each worker holds ~60-90 MB, so cap it for small servers (WEB_CONCURRENCY wins).
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * _cpus() + 1, 8)))

# A request that takes longer than this is stuck (e.g. a database that stopped answering):
# the worker is killed and replaced rather than tying up a slot forever.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On restart/deploy, requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Slightly longer than a typical load balancer's idle timeout is not needed for sync
# workers; a few seconds lets a proxy reuse the connection for the page's CSS and JS.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# The app is imported once, in the master, and the workers are forked from it: a worker
# recycled by max_requests starts in milliseconds instead of importing Wagtail again (over a
# second of CPU each time, about every thousand requests), and the workers share
# that memory. A new release needs a restart rather than a HUP, as deploys do anyway.
preload_app = True

# Recycle each worker after this many requests (with jitter so they do not all restart
# at once): caps slow memory growth in long-running processes. Evenly loaded workers reach
# the limit together: a jitter of a tenth still restarted all five within two seconds under
# the benchmark, and the site stalled meanwhile; half spreads them out.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "500"))

# Worker heartbeat files in memory: Docker's overlay filesystem can make the default
# (a temp dir on disk) block and get healthy workers killed.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# Logs: one JSON line per event on stdout, same format as the application's.
# The access line leaves out the client address, user agent and query string
# (personal data) and /healthz (a load balancer asks every few seconds).
accesslog = "-"
access_log_format = "%(m)s %(U)s %(s)s %(B)s %(M)sms"
logconfig_dict = logging_config(os.environ.get("LOG_LEVEL", "INFO"))


def worker_exit(server, worker):
    """A worker that ends normally (recycled by max_requests, or at shutdown) leaves at once.

    Tearing down the interpreter object by object touches every page it shares with the
    preloaded master, so each one is copied first: under load that took seconds of CPU per
    recycled worker, and the master forks the replacement only once it is gone. The database
    connections are closed and queued error reports sent first, as a normal exit would.
    """
    exiting = sys.exc_info()[1]
    if not isinstance(exiting, SystemExit) or exiting.code not in (0, None):
        return  # a worker that failed keeps its exit code: gunicorn stops on a boot error
    from django.db import connections

    connections.close_all()
    try:
        import sentry_sdk

        sentry_sdk.flush(timeout=2)
    except ImportError:
        pass
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
