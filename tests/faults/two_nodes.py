"""Two web nodes behind one nginx, for the fault suite: what a second server adds.

`nginx_config` is the one place the proxy's configuration is written; the nodes are the
suite's `Site` (gunicorn + mail worker), each with its own temporary folder, sharing the
suite's PostgreSQL and a Redis.
"""

import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from tests.faults.conftest import free_port, wait_until

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_config(listen_port, upstreams, folder):
    """A minimal reverse proxy: both nodes in one upstream, no caching, forwarded headers set.

    `folder` holds nginx's pid, logs and temporary files, so it runs beside anything else.
    """
    servers = "\n".join(f"        server {host}:{port};" for host, port in upstreams)
    return f"""
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    upstream site {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{listen_port};
        location / {{
            proxy_pass http://site;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_next_upstream off;
        }}
    }}
}}
"""


class OwnNginx:
    """nginx started from a configuration of ours, on a free port."""

    def __init__(self, upstreams):
        self.folder = Path(tempfile.mkdtemp(prefix="plac-faults-nginx-"))
        self.folder.chmod(0o755)  # its workers may run as another user when we are root
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.conf = self.folder / "nginx.conf"
        self.conf.write_text(nginx_config(self.port, upstreams, self.folder))
        self.process = None

    def start(self):
        # In the foreground, so that the process we hold is nginx's master itself.
        self.process = subprocess.Popen(  # noqa: S603
            [NGINX, "-c", str(self.conf), "-p", str(self.folder), "-g", "daemon off;"],
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
