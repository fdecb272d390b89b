"""A real IMAP server for the tests: Debian's Dovecot, run with its own configuration on a
free port over a Maildir in a temporary folder (`make test-tools` installs it)."""

import os
import pwd
import shutil
import socket
import subprocess
import time
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"

CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
instance_name = plac-nzs-test-{port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
first_valid_uid = 1
default_login_user = {login_user}
default_internal_user = {internal_user}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LocalImapServer:
    """Dovecot on 127.0.0.1 with one mailbox, `user` / `password`."""

    user = "skrzynka@plac-nzs.example"
    password = "haslo-skrzynki"

    def __init__(self, root):
        self.root = Path(root)
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"imap://{self.user.replace('@', '%40')}:{self.password}@127.0.0.1:{self.port}/INBOX"

    def start(self):
        # Dovecot's own unprivileged processes read the password file in here.
        self.root.chmod(0o755)
        for folder in ("run", "state", "mail", "home"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            # As root Dovecot drops privileges: the mail belongs to an ordinary account.
            mail_user = pwd.getpwnam("nobody")
            login_user, internal_user = "dovenull", "dovecot"
            for folder in ("mail", "home"):
                os.chown(self.root / folder, mail_user.pw_uid, mail_user.pw_gid)
        else:
            mail_user = pwd.getpwuid(os.geteuid())
            login_user = internal_user = mail_user.pw_name
        (self.root / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}\n")
        config = self.root / "dovecot.conf"
        config.write_text(
            CONFIG.format(
                root=self.root,
                port=self.port,
                uid=mail_user.pw_uid,
                gid=mail_user.pw_gid,
                login_user=login_user,
                internal_user=internal_user,
            )
        )
        self.process = subprocess.Popen(  # noqa: S603 - Debian's dovecot, our own config
            [DOVECOT, "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    "Dovecot stopped: " + self.process.stderr.read().decode(errors="replace")
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                    if conn.recv(200).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("Dovecot did not start in time")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
            self.process = None

    def connect(self):
        import imaplib

        connection = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        connection.login(self.user, self.password)
        return connection

    def deliver(self, raw):
        """Put a mail into the inbox, unread, as the mail server would on arrival."""
        connection = self.connect()
        try:
            status, _ = connection.append("INBOX", "", None, raw)
            assert status == "OK"
        finally:
            connection.logout()

    def inbox(self):
        """[(flags, raw)] of every mail in the inbox, read without changing a thing."""
        connection = self.connect()
        try:
            connection.select("INBOX", readonly=True)
            _, data = connection.uid("SEARCH", None, "ALL")
            found = []
            for uid in data[0].split():
                _, fetched = connection.uid("FETCH", uid, "(FLAGS BODY.PEEK[])")
                found.append((fetched[0][0].decode(), fetched[0][1]))
            return found
        finally:
            connection.logout()
