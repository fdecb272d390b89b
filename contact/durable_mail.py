"""Durable sending of stored e-mails, shared by every kind the mail worker sends: the board's
e-mails (contact/tasks.py), the board's replies (contact/replies.py) and the residents' event
e-mails (events/tasks.py).

Each kind is a model whose rows carry a state (pending → sending → sent or failed), an attempt
number, a claim time and the last error; an `Outbox` names those fields, so the scheme needs
no shared model. Exactly once, as far as SMTP allows:
- Before talking to SMTP, a task claims its row with one conditional UPDATE (pending → sending,
  only if the attempt number is the one it expects). A duplicate task, a retry racing a
  "resend", or a task re-run after a crash finds nothing to claim and stops.
- If the worker dies after the SMTP server accepted the e-mail but before "sent" is written
  (milliseconds), the row stays "sending". Losing a resident's mail is worse than a duplicate,
  so after stale_claim() another attempt takes it over and sends it again (at least once).
- A task row left "RUNNING" by a crashed worker is never run again by django-tasks-db;
  `Outbox.resume`, run before the worker starts, queues an attempt for every row that has none.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from contact.mail import is_permanent

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


def stale_claim():
    """Longer than any SMTP conversation (connect, a few commands and DATA, each bounded by
    EMAIL_TIMEOUT): a claim this old belongs to a worker that died. 2 minutes by default.
    """
    return timedelta(seconds=max(settings.EMAIL_TIMEOUT, 10) * 3 + 30)


def pause_after(retry):
    """The pause after the 1st, 2nd, … failed attempt (CONTACT_DELIVERY_BACKOFF_SECONDS); the
    last one repeats until giving up."""
    pauses = settings.CONTACT_DELIVERY_BACKOFF_SECONDS
    return timedelta(seconds=pauses[min(retry, len(pauses) - 1)])


def describe(exc):
    """What the board sees as the last error: the kind of failure and the server's answer."""
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def close_abandoned_attempts(task, **kwargs):
    """Mark failed the task rows a killed worker left RUNNING (those of `task`, and with these
    keyword arguments if given): django-tasks-db never runs or ends them, and no live worker
    spends this long on one e-mail."""
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(
        status="RUNNING",
        task_path=task.module_path,
        started_at__lt=timezone.now() - stale_claim(),
    )
    for name, value in kwargs.items():
        rows = rows.filter(**{f"args_kwargs__kwargs__{name}": value})
    return rows.update(status="FAILED", finished_at=timezone.now())


def queued_ids(task, id_kwarg):
    """The rows that already have an attempt of `task` waiting to run, in one query."""
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(task_path=task.module_path, status="READY")
    ids = (
        (kw or {}).get("kwargs", {}).get(id_kwarg)
        for kw in rows.values_list("args_kwargs", flat=True)
    )
    return {pk for pk in ids if pk is not None}


@dataclass(frozen=True)
class Outbox:
    """One kind of stored e-mail: its model, the names of its delivery fields, the filter that
    leaves out rows never to be sent, and the task keyword that names a row."""

    model: type
    id_kwarg: str
    state: str = "delivery_state"
    attempts: str = "delivery_attempts"
    claimed_at: str = "delivery_claimed_at"
    last_error: str = "delivery_last_error"
    sent_at: str = "delivered_at"
    next_attempt_at: str = ""
    only: tuple = ()

    def sendable(self):
        return self.model.objects.filter(**dict(self.only))

    def claim(self, pk, attempt, now):
        """Take the row for this attempt; False if it is sent, gone, or another attempt's."""
        changes = {self.state: SENDING, self.attempts: attempt, self.claimed_at: now}
        if self.next_attempt_at:
            changes[self.next_attempt_at] = None
        claimable = Q(**{self.state: PENDING}) | Q(
            **{self.state: SENDING, f"{self.claimed_at}__lt": now - stale_claim()}
        )
        rows = self.sendable().filter(claimable, pk=pk, **{self.attempts: attempt - 1})
        return bool(rows.update(**changes))

    def mark_sent(self, pk):
        self.model.objects.filter(pk=pk).update(
            **{
                self.state: SENT,
                self.sent_at: timezone.now(),
                self.last_error: "",
                self.claimed_at: None,
            }
        )

    def after_failure(self, pk, attempt, retry, exc, started, queue_next):
        """Record a failed attempt: "failed" once CONTACT_DELIVERY_GIVE_UP_HOURS have passed
        since `started` or the SMTP server refused for good, else back to pending and
        `queue_next(run_after)` queues the next attempt; returns "failed" or "retry"."""
        now = timezone.now()
        give_up = now >= started + timedelta(hours=settings.CONTACT_DELIVERY_GIVE_UP_HOURS)
        mine = self.model.objects.filter(pk=pk, **{self.state: SENDING, self.attempts: attempt})
        changes = {self.last_error: describe(exc), self.claimed_at: None}
        with transaction.atomic():
            # A 5xx answer is final for every kind of e-mail: retrying for a day cannot help.
            if give_up or is_permanent(exc):
                if self.next_attempt_at:
                    changes[self.next_attempt_at] = None
                mine.update(**changes, **{self.state: FAILED})
                return "failed"
            next_at = now + pause_after(retry)
            if self.next_attempt_at:
                changes[self.next_attempt_at] = next_at
            if mine.update(**changes, **{self.state: PENDING}):
                # Same transaction as the state change: the next attempt exists iff "pending" does.
                queue_next(next_at)
        return "retry"

    def resume(self, task, next_attempt, now=None):
        """Queue an attempt of `task` for every row still waiting that has none queued;
        returns how many. `next_attempt(row, now)` gives the task's other keyword arguments.

        Duplicated attempts are harmless: the claim lets only one of them send.
        """
        now = now or timezone.now()
        waiting = self.sendable().filter(**{f"{self.state}__in": [PENDING, SENDING]})
        queued = 0
        for row in waiting.exclude(pk__in=queued_ids(task, self.id_kwarg)):
            run_after = now
            claimed_at = getattr(row, self.claimed_at)
            if getattr(row, self.state) == SENDING and claimed_at:
                # Perhaps still being sent by a live worker: take over only once stale.
                run_after = max(now, claimed_at + stale_claim())
            task.using(run_after=run_after).enqueue(
                **{self.id_kwarg: row.pk}, **next_attempt(row, now)
            )
            queued += 1
        return queued
