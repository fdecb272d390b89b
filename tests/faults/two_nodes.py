"""Two web nodes behind one nginx, for the fault suite: what a second server adds.

`nginx_config` fills in the shipped proxy configuration; the nodes are the
suite's `Site` (gunicorn + mail worker), each with its own temporary folder, sharing the
suite's PostgreSQL and a Redis.
"""

import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from bench.proxy import renderer
from tests.faults.conftest import free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_config(listen_port, upstreams, folder):
    """The shipped proxy (docker/nginx/plac-nzs.conf, caching included) in front of both nodes,
    as a whole nginx.conf under `folder` (pid, logs, temporary files, cache); returns its path."""
    site = renderer().render(
        listen=f"127.0.0.1:{listen_port}",
        upstreams=[f"{host}:{port}" for host, port in upstreams],
        cache_path=folder / "cache",
        static_root=ROOT / "staticfiles",
        media_root=folder / "media",
    )
    return renderer().standalone(folder, site)


class OwnNginx:
    """nginx started from a configuration of ours, on a free port."""

    def __init__(self, upstreams):
        self.folder = Path(tempfile.mkdtemp(prefix="plac-faults-nginx-"))
        self.folder.chmod(0o755)  # its workers may run as another user when we are root
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.conf = nginx_config(self.port, upstreams, self.folder)
        self.process = None

    def start(self):
        # In the foreground (the config says `daemon off`): the process we hold is nginx's master.
        self.process = subprocess.Popen(  # noqa: S603
            [NGINX, "-c", str(self.conf), "-p", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=open(self.folder / "stderr.log", "ab"),  # noqa: SIM115
        )

        def answers():
            import urllib.request

            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2):  # noqa: S310
                    return True
            except OSError:
                return self.process.poll() is not None

        wait_until(answers, 15, what="nginx answering")
        assert self.process.poll() is None, (self.folder / "stderr.log").read_text()

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)
