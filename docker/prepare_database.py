"""Wait for the database, then migrate and load the first content.

With --wait-only (the mail worker's start): wait for the database and for its migrations,
which the web container applies, so a worker started first does not fail on missing tables.

Run by docker/entrypoint.sh before gunicorn. Several web containers may start at the
same moment: on PostgreSQL an advisory lock lets one migrate while the others wait,
so nobody needs to start them one by one. RUN_MIGRATIONS=0 skips the step entirely
(e.g. when migrations run as a separate release command).
"""

import io
import logging
import os
import sys
import time

import django

logger = logging.getLogger("stowarzyszenie.deploy")

# Any fixed number shared by all app servers of this site.
MIGRATION_LOCK_ID = 7_305_001


def wait_for_database(connection, seconds):
    from django.db import Error

    deadline = time.monotonic() + seconds
    while True:
        try:
            connection.ensure_connection()
            return
        except Error as error:
            if time.monotonic() > deadline:
                sys.exit(f"The database did not answer within {seconds} s: {error}")
            logger.info("waiting for the database")
            time.sleep(1)


def wait_for_migrations(connection, seconds):
    from django.db.migrations.executor import MigrationExecutor

    deadline = time.monotonic() + seconds
    while True:
        executor = MigrationExecutor(connection)
        if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
            return
        if time.monotonic() > deadline:
            sys.exit(f"The database's migrations were not applied within {seconds} s.")
        logger.info("waiting for the migrations (the web container applies them)")
        time.sleep(2)


def run_command(name, **options):
    # Commands print plain text; the container logs one JSON line per event.
    output = io.StringIO()
    from django.core.management import call_command

    call_command(name, stdout=output, stderr=output, **options)
    for line in output.getvalue().splitlines():
        if line.strip():
            logger.info(line.strip(), extra={"command": name})


def main():
    django.setup()
    from django.db import connection

    wait_for_database(connection, int(os.environ.get("DATABASE_WAIT_SECONDS", "60")))
    if "--wait-only" in sys.argv:
        # The worker: the web container (or a release step) migrates; wait until it has.
        wait_for_migrations(connection, int(os.environ.get("MIGRATIONS_WAIT_SECONDS", "300")))
        return
    if os.environ.get("RUN_MIGRATIONS", "1") == "0":
        return
    locked = connection.vendor == "postgresql"
    if locked:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK_ID])
    try:
        run_command("migrate", interactive=False)
        # Creates the mission page only on an empty site; editors' changes are kept.
        run_command("load_association_content")
    finally:
        if locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK_ID])


if __name__ == "__main__":
    sys.path.insert(0, os.getcwd())
    main()
