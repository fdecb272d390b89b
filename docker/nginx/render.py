"""Fill in docker/nginx/plac-nzs.conf's placeholders (standard library only).

    python3 docker/nginx/render.py --listen 80 --upstream 127.0.0.1:8000 \\
        --cache-path /var/cache/nginx/plac-nzs --static-root /srv/plac-nzs/staticfiles \\
        --media-root /srv/plac-nzs/media > /etc/nginx/conf.d/plac-nzs.conf

``--upstream`` may be given more than once (several app servers). The tests and the benchmark
use ``render()`` and ``standalone()``: the latter wraps the result in a whole nginx.conf that an
unprivileged user can run (``nginx -c FILE -p FOLDER``), every path in one folder.
"""

import argparse
import os
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent / "plac-nzs.conf"


def render(listen, upstreams, cache_path, static_root, media_root):
    text = TEMPLATE.read_text(encoding="utf-8")
    servers = "\n    ".join(f"server {address};" for address in upstreams)
    values = {
        "@LISTEN@": str(listen),
        "@UPSTREAM@": servers,
        "@CACHE_PATH@": str(cache_path),
        "@STATIC_ROOT@": str(static_root).rstrip("/"),
        "@MEDIA_ROOT@": str(media_root).rstrip("/"),
    }
    # Comments keep their placeholders: several upstreams fill more than one line, and the
    # second would fall outside the comment that names them.
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines):
        if not line.lstrip().startswith("#"):
            for placeholder, value in values.items():
                line = line.replace(placeholder, value)
            lines[number] = line
    text = "".join(lines)
    if "@" in "".join(line.split("#")[0] for line in text.splitlines()):
        raise ValueError("a placeholder in plac-nzs.conf has no value")
    return text


def standalone(folder, server_block, workers=1):
    """A whole nginx.conf around ``server_block`` with its pid, logs and temporary files
    under ``folder``; returns its path."""
    folder = Path(folder)
    (folder / "logs").mkdir(parents=True, exist_ok=True)
    (folder / "site.conf").write_text(server_block, encoding="utf-8")
    temp = {
        name: folder / "temp" / name
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    }
    for path in temp.values():
        path.mkdir(parents=True, exist_ok=True)
    # Started by root (a CI container), the workers would run as nobody, who may not enter
    # a private temporary folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""{user}daemon off;
worker_processes {workers};
pid {folder}/nginx.pid;
error_log {folder}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log off;
    client_body_temp_path {temp["client_body"]};
    proxy_temp_path {temp["proxy"]};
    fastcgi_temp_path {temp["fastcgi"]};
    uwsgi_temp_path {temp["uwsgi"]};
    scgi_temp_path {temp["scgi"]};
    include {folder}/site.conf;
}}
""",
        encoding="utf-8",
    )
    return conf


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", default="80")
    parser.add_argument("--upstream", action="append", required=True)
    parser.add_argument("--cache-path", default="/var/cache/nginx/plac-nzs")
    parser.add_argument("--static-root", required=True)
    parser.add_argument("--media-root", required=True)
    args = parser.parse_args()
    print(
        render(args.listen, args.upstream, args.cache_path, args.static_root, args.media_root),
        end="",
    )


if __name__ == "__main__":
    main()
