"""The admin's password-reset e-mail, sent through the mail queue and limited per client.

Here because the durable mail queue and its worker live in this app (contact/tasks.py).
Wired in by WAGTAILADMIN_USER_PASSWORD_RESET_FORM.
"""

import logging

from django.conf import settings
from django.template import loader
from wagtail.admin.forms.auth import PasswordResetForm

from contact import throttle
from contact.tasks import send_email

logger = logging.getLogger(__name__)


class QueuedPasswordResetForm(PasswordResetForm):
    def save(self, *args, request=None, **kwargs):
        # Over the limit nothing is sent, and the page says what it always says, so the
        # limit tells nobody which addresses have accounts.
        if request is not None and throttle.hit(
            "admin.password-reset", request, settings.PASSWORD_RESET_RATE_LIMIT
        ):
            logger.warning("Password reset requests over the limit; nothing sent.")
            return
        super().save(*args, request=request, **kwargs)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = (
            loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else None
        )
        send_email.enqueue(
            subject=subject, body=body, to=[to_email], from_email=from_email, html=html
        )
