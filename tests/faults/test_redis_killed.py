"""The site's Redis is killed while visitors read pages and residents write: no page fails,
every message is stored and queued, and /healthz says the cache is degraded."""

import threading
import time

from tests.faults.conftest import wait_until

PAGES = ["/", "/kontakt/", "/polityka-prywatnosci/", "/kontakt/formularz.json"]


def test_redis_killed_under_load_no_500_and_every_message_stored(make_site, own_redis, capsys):
    site = make_site(CACHE_URL=own_redis.url)
    site.start_server()
    assert site.status("/") == 200
    assert site.status("/") == 200  # now from the page cache in Redis

    statuses, posts, stop = [], [], threading.Event()

    def reader():
        while not stop.is_set():
            for path in PAGES:
                statuses.append((path, site.status(path)))

    def writer(number):
        resident = site.resident()
        n = 0
        while not stop.is_set():
            posts.append(resident.send_question(f"Pytanie {number}-{n}", site.answer_of))
            n += 1

    threads = [threading.Thread(target=reader) for _ in range(3)]
    threads += [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    own_redis.kill()
    killed_at = len(statuses), len(posts)
    time.sleep(10)
    stop.set()
    for thread in threads:
        thread.join(30)

    health = site.resident().get("/healthz")
    after_kill = statuses[killed_at[0] :]
    errors = [(path, status) for path, status in statuses if status != 200]
    accepted = [text for status, text in posts if status == 303]
    stored = site.count("SELECT count(*) FROM contact_contactmessage")
    queued = site.count(
        "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'"
    )

    assert after_kill, "pages were requested after the kill"
    assert errors == []
    assert [status for status, _text in posts] == [303] * len(posts)
    assert stored == len(accepted) and queued == len(accepted)
    assert len(posts) > killed_at[1], "messages were sent after the kill"
    assert health[0] == 200 and '"cache": "degraded"' in health[1]
    wait_until(lambda: site.status("/") == 200, 5, what="pages still served")
    with capsys.disabled():
        print(
            f"\n[faults] Redis killed under load: {len(statuses)} page requests "
            f"({len(after_kill)} after the kill), 0 errors; {len(posts)} messages sent "
            f"({len(posts) - killed_at[1]} after the kill), {stored} stored and queued; "
            "/healthz: cache degraded."
        )
