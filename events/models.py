"""The association's events (debates, trainings, concerts, exhibitions) and registrations.

An ``EventPage`` has one or more ``EventDate`` rows; each date has its own capacity, its own
lasting calendar UID and its own registrations. Registrations are stored before anything
else happens; e-mails to residents go through ``EventMail`` (a durable outbox delivered by
the mail worker, see events/tasks.py).
"""

import uuid
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models, transaction
from django.db.models import Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from pages.blocks import MANIFESTO_FEATURES, BaseStreamBlock
from pages.cache import CacheablePageMixin, ShownOnCachedPages
from search.text import FoldedSearchMixin

ARCHIVE_PAGE_SIZE = 20
# Upcoming dates come in pages too: a weekly series for two years must not make one page of
# a hundred dates (and its cost grow with every date added).
UPCOMING_PAGE_SIZE = 20


@register_snippet
class EventCategory(ShownOnCachedPages, models.Model):
    """A kind of event residents can filter by: debata, szkolenie, koncert… Editors add more."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=False)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta:
        verbose_name = _("event category")
        verbose_name_plural = _("event categories")
        ordering = ["name"]

    def __str__(self):
        return self.name


class EventIndexPage(CacheablePageMixin, Page):
    """ "Wydarzenia": upcoming dates soonest first, then the archive, filterable by category."""

    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    subpage_types = ["events.EventPage"]
    max_count = 1
    show_in_menus_default = True
    template = "events/event_index_page.html"

    class Meta:
        verbose_name = _("event index")
        verbose_name_plural = _("event indexes")

    def dates(self):
        """Every live date under this index, with its event and category in the same query."""
        return (
            EventDate.objects.filter(
                event__live=True, event__path__startswith=self.path, event__depth=self.depth + 1
            )
            .select_related("event", "event__category", "event__image")
            .prefetch_related("event__image__renditions")
            .order_by("start", "pk")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        dates = self.dates()
        category = None
        if slug := request.GET.get("kategoria"):
            category = EventCategory.objects.filter(slug=slug).first()
            if category is None:
                raise Http404
            dates = dates.filter(event__category=category)
        now = timezone.now()
        archive = Paginator(dates.filter(end__lt=now).reverse(), ARCHIVE_PAGE_SIZE)
        upcoming = Paginator(dates.filter(end__gte=now), UPCOMING_PAGE_SIZE)
        try:
            archive = archive.page(request.GET.get("strona", 1))
            upcoming = upcoming.page(request.GET.get("nadchodzace", 1))
        except (EmptyPage, PageNotAnInteger):
            raise Http404 from None
        context.update(
            upcoming=upcoming,
            archive=archive,
            categories=list(EventCategory.objects.all()),
            category=category,
        )
        return context


class AttendanceMode(models.TextChoices):
    OFFLINE = "offline", _("in person")
    ONLINE = "online", _("online")
    MIXED = "mixed", _("in person and online")


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("planned")
    CANCELLED = "cancelled", _("cancelled")
    POSTPONED = "postponed", _("postponed")
    MOVED_ONLINE = "moved_online", _("moved online")
    RESCHEDULED = "rescheduled", _("rescheduled")


class ReportBlock(blocks.StreamBlock):
    """What editors add after the event: a report, photos and documents."""

    paragraph = blocks.RichTextBlock(label=_("Text"), features=MANIFESTO_FEATURES, icon="pilcrow")
    image = ImageBlock(label=_("Photo"))
    document = DocumentChooserBlock(label=_("Document"))


class EventPageForm(WagtailAdminPageForm):
    """Removing a date that people registered for needs a tick: they will be told by e-mail."""

    confirm_removing_dates = forms.BooleanField(
        label=_("Yes, remove dates with registrations and tell the people registered"),
        required=False,
    )
    repeat = forms.ChoiceField(
        label=_("Add more dates"),
        required=False,
        choices=[
            ("", _("no")),
            ("weekly", _("every week")),
            ("fortnightly", _("every second week")),
            ("monthly", _("every month, on the same weekday")),
        ],
        help_text=_(
            "Adds dates like the first one, with the same time and places, up to the day "
            "below. You can then move or remove single dates."
        ),
    )
    repeat_until = forms.DateField(label=_("until"), required=False)

    def save(self, commit=True):
        page = super().save(commit=False)
        rule, until = self.cleaned_data.get("repeat"), self.cleaned_data.get("repeat_until")
        dates = list(page.dates.all())
        if rule and until and dates:
            from .series import series_dates

            first = min(dates, key=lambda d: d.start)
            taken = {d.start for d in dates}
            extra = [
                EventDate(
                    start=start,
                    end=end,
                    all_day=first.all_day,
                    capacity=first.capacity,
                )
                for start, end in series_dates(first.start, first.end, rule, until)
                if start not in taken
            ]
            page.dates = dates + extra
        if commit:
            page.save()
        return page

    def clean(self):
        cleaned = super().clean()
        removed = [
            form.instance
            for form in self.formsets["dates"].forms
            # The formsets are validated after this form: read the tick as the browser sent it.
            if form.instance.pk and form["DELETE"].value()
        ]
        registered = Registration.objects.filter(
            event_date__in=removed, status__in=Registration.ACTIVE
        ).count()
        if registered and not cleaned.get("confirm_removing_dates"):
            self.add_error(
                "confirm_removing_dates",
                _(
                    "%(count)s people registered for the dates you remove. Tick the box to "
                    "remove them anyway; everyone registered will get an e-mail."
                )
                % {"count": registered},
            )
        return cleaned


class EventPage(FoldedSearchMixin, CacheablePageMixin, Page):
    """One debate, training, concert or exhibition, with one or more dates."""

    # Found by the site search like articles: without Polish letters and in other word forms.
    search_fields = Page.search_fields + [
        index.SearchField("lead"),
        index.SearchField("body"),
        index.SearchField("venue_name"),
        index.SearchField("folded_search_text"),
    ]

    lead = models.TextField(_("lead"), blank=True, help_text=_("One or two sentences."))
    body = StreamField(BaseStreamBlock(), verbose_name=_("body"), blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.ForeignKey(
        EventCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    venue_name = models.CharField(_("venue"), max_length=200, blank=True)
    street_address = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    locality = models.CharField(_("town"), max_length=120, blank=True, default="Białystok")
    map_url = models.URLField(
        _("OpenStreetMap link"),
        blank=True,
        help_text=_("A link to the place on openstreetmap.org (no map is embedded)."),
    )
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("Sent only to people who registered, never shown on the page."),
    )
    attendance_mode = models.CharField(
        _("attendance"), max_length=20, choices=AttendanceMode.choices, default="offline"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default="scheduled"
    )
    wheelchair_access = models.BooleanField(_("wheelchair access"), default=False)
    sign_language_interpreter = models.BooleanField(
        _("Polish Sign Language interpreter"), default=False
    )
    induction_loop = models.BooleanField(_("induction loop"), default=False)
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    price = models.CharField(
        _("price"), max_length=120, blank=True, help_text=_("Leave empty for a free event.")
    )
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    partners = models.TextField(_("partners"), blank=True, help_text=_("One per line."))

    registration_enabled = models.BooleanField(_("registration"), default=False)
    max_people_per_registration = models.PositiveSmallIntegerField(
        _("most people per registration"), default=4
    )
    ask_organisation = models.BooleanField(_("ask for the organisation"), default=False)
    ask_dietary_needs = models.BooleanField(_("ask about dietary needs"), default=False)
    ask_accessibility_needs = models.BooleanField(_("ask about accessibility needs"), default=False)
    reminder_hours = models.PositiveSmallIntegerField(
        _("reminder (hours before the start)"),
        default=24,
        help_text=_("0 sends no reminder."),
    )

    report = StreamField(
        ReportBlock(),
        verbose_name=_("report"),
        blank=True,
        help_text=_("After the event: a report, photos and documents."),
    )

    base_form_class = EventPageForm
    content_panels = Page.content_panels + [
        FieldPanel("lead"),
        FieldPanel("category"),
        FieldPanel("image"),
        FieldPanel("body"),
        InlinePanel("dates", heading=_("Dates"), label=_("Date"), min_num=1),
        MultiFieldPanel([FieldPanel("repeat"), FieldPanel("repeat_until")], heading=_("Series")),
        FieldPanel("confirm_removing_dates"),
        MultiFieldPanel(
            [
                FieldPanel("venue_name"),
                FieldPanel("street_address"),
                FieldPanel("postal_code"),
                FieldPanel("locality"),
                FieldPanel("map_url"),
                FieldPanel("online_url"),
                FieldPanel("attendance_mode"),
            ],
            heading=_("Place"),
        ),
        FieldPanel("status"),
        MultiFieldPanel(
            [
                FieldPanel("wheelchair_access"),
                FieldPanel("sign_language_interpreter"),
                FieldPanel("induction_loop"),
                FieldPanel("accessibility_notes"),
            ],
            heading=_("Accessibility"),
        ),
        MultiFieldPanel(
            [FieldPanel("price"), FieldPanel("organiser"), FieldPanel("partners")],
            heading=_("Price and organisers"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("registration_enabled"),
                FieldPanel("max_people_per_registration"),
                FieldPanel("ask_organisation"),
                FieldPanel("ask_dietary_needs"),
                FieldPanel("ask_accessibility_needs"),
                FieldPanel("reminder_hours"),
            ],
            heading=_("Registration"),
        ),
        FieldPanel("report"),
        InlinePanel(
            "registration_access",
            heading=_("Registrations visible to"),
            label=_("Person"),
            help_text=_(
                "Besides the board, these people see and manage this event's registrations."
            ),
        ),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []
    template = "events/event_page.html"

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    @cached_property
    def date_list(self):
        return list(self.dates.select_related("announcement"))

    @property
    def next_date(self):
        now = timezone.now()
        return next((d for d in self.date_list if d.end >= now), None)

    @property
    def is_past(self):
        return self.next_date is None

    @property
    def is_cancelled(self):
        return self.status == EventStatus.CANCELLED

    @property
    def is_in_person(self):
        return self.attendance_mode != AttendanceMode.ONLINE and self.status != "moved_online"

    @property
    def place_text(self):
        """The place in one line, as calendars and e-mails show it."""
        town = " ".join(p for p in (self.postal_code, self.locality) if p)
        return ", ".join(p for p in (self.venue_name, self.street_address, town) if p)

    @property
    def partner_list(self):
        return [line.strip() for line in self.partners.splitlines() if line.strip()]

    def get_context(self, request, *args, **kwargs):
        from .forms import RegistrationForm
        from .views import registration_form_context

        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        open_date = next((d for d in self.date_list if d.registration_open(now)), None)
        if open_date is not None:
            # Without the per-visitor parts: the page is the same for everyone and cacheable.
            context.update(
                registration_form_context(
                    request, open_date, RegistrationForm(event=self), captcha=None, form_token=""
                )
            )
        context["open_date"] = open_date
        context["now"] = now
        return context

    def announced_state(self):
        """What registered people are told about when it changes (dates add their own part)."""
        return [self.status, self.attendance_mode, self.place_text, self.online_url]


class EventDate(Orderable):
    """One date of an event: its own time, capacity, registrations and calendar UID."""

    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="dates")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    all_day = models.BooleanField(_("all day"), default=False)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("In people; empty for no limit.")
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Empty: registration closes when the event starts."),
    )
    cancelled = models.BooleanField(_("this date is cancelled"), default=False)
    # Lasting: a calendar that imported this date recognises every later change by it.
    uid = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)

    panels = [
        FieldPanel("start"),
        FieldPanel("end"),
        FieldPanel("all_day"),
        FieldPanel("capacity"),
        FieldPanel("registration_closes_at"),
        FieldPanel("cancelled"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("date")
        verbose_name_plural = _("dates")

    def __str__(self):
        local = timezone.localtime(self.start)
        return f"{self.event.title} – {local:%Y-%m-%d %H:%M}"

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end cannot be before the start.")})

    @property
    def calendar_uid(self):
        return f"{self.uid}@plac-nzs"

    @property
    def is_cancelled(self):
        return self.cancelled or self.event.is_cancelled

    @property
    def closes_at(self):
        return self.registration_closes_at or self.start

    def registration_open(self, now=None):
        now = now or timezone.now()
        return self.event.registration_enabled and not self.is_cancelled and now < self.closes_at

    def people_confirmed(self):
        return (
            self.registrations.filter(status=Registration.Status.CONFIRMED).aggregate(
                n=Sum("people")
            )["n"]
            or 0
        )

    def places_left(self):
        if self.capacity is None:
            return None
        return max(self.capacity - self.people_confirmed(), 0)

    def announced_state(self):
        return [
            self.start.isoformat(),
            self.end.isoformat(),
            self.all_day,
            self.cancelled,
            *self.event.announced_state(),
        ]


class DateAnnouncement(models.Model):
    """What registered people were last told about a date, and the calendar SEQUENCE.

    Kept outside EventDate on purpose: page revisions store and restore the dates' own
    fields, and publishing an old draft must never lower the SEQUENCE.
    """

    event_date = models.OneToOneField(
        EventDate, on_delete=models.CASCADE, related_name="announcement"
    )
    sequence = models.PositiveIntegerField(default=0)
    state = models.JSONField(default=list)
    previous_start = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.event_date} (SEQUENCE {self.sequence})"


class Registration(models.Model):
    """A resident's registration for one date, for one or more people."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITLISTED = "waitlisted", _("on the waitlist")
        CANCELLED = "cancelled", _("cancelled")

    ACTIVE = (Status.CONFIRMED, Status.WAITLISTED)

    event_date = models.ForeignKey(
        EventDate, verbose_name=_("date"), on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"), max_length=254, db_index=True)
    people = models.PositiveSmallIntegerField(_("number of people"), default=1)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    dietary_needs = models.CharField(_("dietary needs"), max_length=500, blank=True)
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=500, blank=True)
    consent_given = models.BooleanField(_("consent given"), default=False)
    consent_clause_version = models.CharField(_("information clause version"), max_length=40)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED
    )
    registered_at = models.DateTimeField(_("registered"), default=timezone.now, db_index=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    # RODO: the personal data goes N days after the date; the row stays for the counts.
    erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["registered_at", "pk"]
        permissions = [("manage_registrations", "Can see and manage event registrations")]

    def __str__(self):
        return f"{self.name} ({self.people})"

    @property
    def is_active(self):
        return self.status in self.ACTIVE

    def erase_personal_data(self):
        """RODO: the person's data goes; the row stays, so the counts for reports stay too."""
        type(self).erase_personal_data_of(type(self).objects.filter(pk=self.pk))

    @staticmethod
    def erase_personal_data_of(registrations):
        """The same for a whole queryset at once, in two queries whatever its size."""
        EventMail.objects.filter(registration__in=registrations).delete()
        return registrations.update(
            name="",
            email="",
            organisation="",
            dietary_needs="",
            accessibility_needs="",
            erased_at=timezone.now(),
        )


class RegistrationAccess(models.Model):
    """Someone the event's editor lets see its registrations (beyond the board)."""

    panels = [FieldPanel("user")]

    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="registration_access")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )

    class Meta:
        unique_together = [("event", "user")]

    def __str__(self):
        return f"{self.user} → {self.event}"


class EventMail(models.Model):
    """One e-mail to a resident, rendered when it was decided and kept until it is sent.

    Rendering up front means a notice about a removed date can still be sent after the date
    (and its registrations) are gone; the worker only sends what is stored here.
    """

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("confirmation")
        WAITLIST = "waitlist", _("waitlist")
        PROMOTION = "promotion", _("moved from the waitlist")
        REMINDER = "reminder", _("reminder")
        CHANGE = "change", _("change")
        CANCELLATION = "cancellation", _("cancellation")

    class State(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("not delivered")

    registration = models.ForeignKey(
        Registration, null=True, blank=True, on_delete=models.SET_NULL, related_name="mails"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    recipient = models.EmailField(max_length=254, db_index=True)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    ics = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail to a resident")
        verbose_name_plural = _("e-mails to residents")

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    def queue(self):
        """Hand the stored e-mail to the mail worker once the transaction that made it commits."""
        from .tasks import deliver_event_mail

        def enqueue():
            deliver_event_mail.enqueue(mail_id=self.pk, attempt=1)

        transaction.on_commit(enqueue, robust=True)


def upcoming_dates(limit):
    """The next dates of live events, soonest first, for the mission page."""
    return list(
        EventDate.objects.filter(event__live=True, end__gte=timezone.now())
        .filter(~Q(cancelled=True))
        .select_related("event", "event__category", "event__image")
        .prefetch_related("event__image__renditions")
        .order_by("start", "pk")[:limit]
    )


def past_registrations_to_erase(days):
    """Registrations whose date ended more than `days` days ago and still hold personal data."""
    return Registration.objects.filter(
        event_date__end__lt=timezone.now() - timedelta(days=days), erased_at__isnull=True
    )
