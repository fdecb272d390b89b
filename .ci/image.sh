#!/usr/bin/env bash
# The container image as production runs it: built with podman from a debootstrapped Debian 12
# (no registry needed), then web and worker against this machine's PostgreSQL (a database of
# its own) and Redis. Checks /healthz and both health checks, the static files, the spoken
# question, one question delivered end to end (.ci/contact_probe.py), the unprivileged user,
# no pip in the image, no gunicorn control-socket error, and that compose.yaml is valid.
#   .ci/image.sh 9920
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-9920}"
smtp_port=$((port + 1))
cache="${CI_CACHE:-/var/cache/plac-nzs-ci}"
database="${IMAGE_DATABASE:-plac_nzs_ci_image}"
cache_url="${IMAGE_CACHE_URL:-redis://127.0.0.1:6379/9}"
image=localhost/plac-nzs:ci
web=plac-nzs-ci-web
worker=plac-nzs-ci-worker
work="$(mktemp -d)"

# podman and its runtime (Debian packages); runc, and limits this kind of host accepts
# (MACHINE-NOTES: crun is not usable here, higher nproc values fail).
if ! command -v podman >/dev/null || ! command -v runc >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman buildah runc >/dev/null
fi
if ! grep -qs '^runtime *= *"runc"' /etc/containers/containers.conf; then
    mkdir -p /etc/containers
    cat >>/etc/containers/containers.conf <<'EOF'
[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[engine]
runtime = "runc"
EOF
fi

cleanup() {
    podman rm -f -t 5 "$web" "$worker" >/dev/null 2>&1 || true
    psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $database" postgres >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
cleanup
mkdir -p "$work"

# The base image: a debootstrapped bookworm, imported once per week's base.
base_dir="$(.ci/debian-base.sh bookworm)"
base_image="localhost/debian-minbase:$(basename "$base_dir")"
if ! podman image exists "$base_image"; then
    echo "    podman import $base_dir -> $base_image"
    tar -C "$base_dir" --exclude=./.complete -c . | podman import -q - "$base_image" >/dev/null
fi

# This machine's way to PyPI (a CA bundle for its TLS proxy, local wheel mirrors), handed in
# the way the Dockerfile offers to anyone behind a proxy: build secrets.
build_args=(--secret "id=ca_bundle,src=/etc/ssl/certs/ca-certificates.crt")
printf '[global]\ndefault-timeout = 180\n' >"$work/pip.conf"
for mirror in /opt/wheels /opt/pypi /opt/pypi-more; do
    [ -d "$mirror" ] && build_args+=(-v "$mirror:$mirror:ro")
done
[ -d /opt/wheels ] && echo "find-links = /opt/wheels" >>"$work/pip.conf"
extra=""
for index in /opt/pypi/simple /opt/pypi-more/simple; do
    [ -d "$index" ] && extra="$extra file://$index"
done
[ -n "$extra" ] && echo "extra-index-url =$extra" >>"$work/pip.conf"
build_args+=(--secret "id=pip_conf,src=$work/pip.conf")

started=$(date +%s)
if ! nice podman build --format docker --network host --layers \
    --build-arg "BASE_IMAGE=$base_image" "${build_args[@]}" -t "$image" . >"$cache/image-build.log" 2>&1; then
    grep -v '^WARNING: Location' "$cache/image-build.log" | tail -40 >&2
    exit 1
fi
echo "    built $image in $(($(date +%s) - started)) s, $(podman image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}')"

# Static facts about the image.
user="$(podman image inspect --format '{{.Config.User}}' "$image")"
[ "$user" = "10001:10001" ] || { echo "the image runs as '$user', not the unprivileged user" >&2; exit 1; }
quiet_run() { podman run --rm "$@" 2> >(grep -v 'systemd connection' >&2); }
if quiet_run --entrypoint /opt/venv/bin/python "$image" -c "import pip" 2>/dev/null; then
    echo "pip is still in the image's virtual environment" >&2; exit 1
fi
if quiet_run --entrypoint /opt/venv/bin/python "$image" -c "import setuptools" 2>/dev/null; then
    echo "setuptools is still in the image's virtual environment" >&2; exit 1
fi
quiet_run --entrypoint sh "$image" -c 'command -v espeak-ng >/dev/null' \
    || { echo "espeak-ng is missing from the image" >&2; exit 1; }
echo "    runs as $user; no pip or setuptools; espeak-ng present"

psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $database" postgres >/dev/null
secret="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
run_env=(
    -e "SECRET_KEY=$secret"
    -e "DATABASE_URL=postgres://postgres@127.0.0.1:5432/$database"
    -e "CACHE_URL=$cache_url"
    -e "EMAIL_URL=smtp://127.0.0.1:$smtp_port"
    -e "SITE_URL=http://127.0.0.1:$port"
    -e "PORT=$port"
    # Host networking: listen on this machine's loopback only.
    -e "GUNICORN_HOST=127.0.0.1"
    -e "WEB_CONCURRENCY=2"
)
# The worker first: it must wait for the web container's migrations, not fail on missing tables.
# (podman's complaint that there is no systemd to time the health checks is left out.)
podman run -d --name "$worker" --network host "${run_env[@]}" "$image" worker \
    2>&1 >/dev/null | grep -v 'systemd connection' >&2 || true
sleep 5
podman run -d --name "$web" --network host "${run_env[@]}" "$image" \
    2>&1 >/dev/null | grep -v 'systemd connection' >&2 || true

for _ in $(seq 120); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 1
done
health="$(curl -fsS "http://127.0.0.1:$port/healthz")" || { podman logs "$web" | tail -30 >&2; exit 1; }
echo "    /healthz: $health"
podman healthcheck run "$web" || { echo "the web container's HEALTHCHECK fails" >&2; exit 1; }
podman healthcheck run "$worker" || { echo "the worker's HEALTHCHECK fails" >&2; podman logs "$worker" | tail -30 >&2; exit 1; }
echo "    HEALTHCHECK passes in web and worker"

home="$(curl -fsS "http://127.0.0.1:$port/")"
stylesheet="$(grep -o '/static/css/site\.[0-9a-f]*\.css' <<<"$home" | head -1)"
[ -n "$stylesheet" ] || { echo "no hashed stylesheet on the home page" >&2; exit 1; }
curl -fsS -o /dev/null -D "$work/css.headers" "http://127.0.0.1:$port$stylesheet"
grep -qi 'cache-control:.*max-age=31536000' "$work/css.headers" \
    || { echo "$stylesheet is not cached for a year" >&2; exit 1; }
echo "    static file $stylesheet served, cached for a year"

curl -fsS -c "$work/cookies" -o "$work/form.html" "http://127.0.0.1:$port/kontakt/"
audio="$(grep -o 'href="/kontakt/pytanie/[0-9a-f]*\.wav"' "$work/form.html" | head -1 | cut -d'"' -f2)"
[ -n "$audio" ] || { echo "no spoken question on /kontakt/" >&2; exit 1; }
curl -fsS -b "$work/cookies" -o "$work/question.wav" "http://127.0.0.1:$port$audio"
[ "$(head -c 4 "$work/question.wav")" = "RIFF" ] || { echo "$audio is not a WAV file" >&2; exit 1; }
echo "    spoken question: $(stat -c %s "$work/question.wav") bytes of WAV"

.venv/bin/python .ci/contact_probe.py --url "http://127.0.0.1:$port" --smtp-port "$smtp_port" \
    --wait 60 --manage "podman exec $web /app/docker/entrypoint.sh manage" \
    --report "$cache/image.json" || { podman logs "$worker" | tail -30 >&2; exit 1; }

if podman logs "$web" 2>&1 | grep -q "Control server error"; then
    echo "gunicorn still reports a control server error" >&2; exit 1
fi

# compose.yaml stays valid (podman-compose, in a tools venv of its own).
tools="$cache/tools"
[ -x "$tools/bin/podman-compose" ] || {
    python3 -m venv "$tools" && "$tools/bin/pip" install -q podman-compose 2>&1 | grep -v WARNING || true
}
POSTGRES_PASSWORD=x SITE_DOMAIN=example.org "$tools/bin/podman-compose" -f compose.yaml config >/dev/null
echo "    compose.yaml is valid (podman-compose config)"
