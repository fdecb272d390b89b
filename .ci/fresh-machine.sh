#!/usr/bin/env bash
# A new user's server: a minimal Debian SUITE (bookworm, trixie) with only the packages the
# README asks for, the repository cloned inside, the README's `make run`, then one question
# sent through /kontakt/ (.ci/contact_probe.py) that must reach the board's SMTP server.
#   .ci/fresh-machine.sh bookworm 9910
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$1" = "--kill-worker" ]; then
    # Kill the mail worker running inside the chroot $2 (found by its root folder and command):
    # the Python process only, not the shell loop that restarts it.
    for proc in /proc/[0-9]*; do
        if [ "$(readlink "$proc/root" 2>/dev/null)" = "$2" ] \
            && tr '\0' ' ' <"$proc/cmdline" 2>/dev/null | grep -q '^[^ ]*python[^ ]* manage.py db_worker'; then
            kill -KILL "${proc#/proc/}" && echo "    killed the mail worker (pid ${proc#/proc/})"
        fi
    done
    exit 0
fi
suite="$1"
port="${2:-9910}"
smtp_port=$((port + 1))
project="$PWD"
cache="${CI_CACHE:-/var/cache/plac-nzs-ci}"
root="$cache/fresh-$suite"
app=/srv/plac-nzs

# The packages README.md tells a Debian user to install (section "Uruchomienie"): kept in one
# line there, read from it here, so the README cannot drift from what is tested.
packages="$(sed -n 's/^sudo apt-get install -y \(.*\)$/\1/p' README.md | head -1)"
[ -n "$packages" ] || { echo "README.md has no 'sudo apt-get install -y …' line" >&2; exit 1; }

cleanup() {
    # Processes started inside this chroot (the site's web server and mail worker), by PID.
    for proc in /proc/[0-9]*; do
        if [ "$(readlink "$proc/root" 2>/dev/null)" = "$root" ]; then
            kill -TERM "${proc#/proc/}" 2>/dev/null || true
        fi
    done
    sleep 2
    for mount in dev/pts dev proc mnt/source opt/wheels opt/pypi opt/pypi-more; do
        mountpoint -q "$root/$mount" && umount -l "$root/$mount"
    done
    return 0
}
trap cleanup EXIT

base="$(.ci/debian-base.sh "$suite")"
cleanup
rm -rf "$root"
cp -a "$base" "$root"
mount --bind /proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
mkdir -p "$root/mnt/source"
mount --bind -o ro "$project" "$root/mnt/source"
# This CI machine reaches PyPI through its own CA and package mirrors; a user's server
# would not need these lines.
for mirror in /opt/wheels /opt/pypi /opt/pypi-more; do
    if [ -d "$mirror" ]; then mkdir -p "$root$mirror" && mount --bind -o ro "$mirror" "$root$mirror"; fi
done
cp /etc/resolv.conf "$root/etc/resolv.conf"
[ -f /etc/pip.conf ] && cp /etc/pip.conf "$root/etc/pip.conf"
[ -d /etc/xdg/pip ] && mkdir -p "$root/etc/xdg" && cp -r /etc/xdg/pip "$root/etc/xdg/pip"

in_chroot() {
    chroot "$root" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

echo "    README's packages: $packages"
in_chroot apt-get update -qq
# shellcheck disable=SC2086
in_chroot apt-get install -y -qq --no-install-recommends $packages >/dev/null
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
in_chroot python3 --version

in_chroot git config --global --add safe.directory /mnt/source/.git
in_chroot git clone -q /mnt/source "$app"

# README: `make run` (the site's SMTP server is the probe's sink; nothing else is set).
log="$cache/fresh-$suite-make-run.log"
chroot "$root" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 PORT="$port" EMAIL_URL="smtp://127.0.0.1:$smtp_port" \
    sh -c "cd $app && exec make run" >"$log" 2>&1 &

# The mail worker is killed just before the question is sent: `make run` must start it again
# (and keep the web server serving) for the e-mail to arrive.
kill_worker="$PWD/.ci/fresh-machine.sh --kill-worker $root"
manage="chroot $root env -i PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8 PORT=$port $app/.venv/bin/python $app/manage.py"
# manage.py reads .env from its folder, wherever it is started from.
if ! .venv/bin/python .ci/contact_probe.py --url "http://127.0.0.1:$port" \
    --smtp-port "$smtp_port" --manage "$manage" --before-post "$kill_worker" --report "$cache/fresh-$suite.json"; then
    echo "---- make run (last lines of $log)" >&2
    tail -40 "$log" >&2
    exit 1
fi
echo "    $suite: $(cat "$cache/fresh-$suite.json")"
