from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import RegistrationPermissionPolicy, registration_viewset
from .models import Registration

register_permission_policy(Registration, RegistrationPermissionPolicy(Registration))


@hooks.register("register_admin_viewset")
def register_registration_viewset():
    return registration_viewset


@hooks.register("erase_sender")
def erase_registrations(email, dry_run):
    """`manage.py erase_sender EMAIL` covers event registrations too."""
    from .erasure import erase_person

    count = erase_person(email, dry_run=dry_run)
    return f"{count} event registration(s)"


@hooks.register("resume_deliveries")
def resume_event_mail():
    """`manage.py resume_deliveries` (run before the mail worker starts) re-queues residents'
    event e-mails left behind by a killed worker too."""
    from .tasks import resume

    return f"Queued delivery of {resume()} waiting event e-mail(s)."


@hooks.register("csrf_failure")
def registration_without_a_token(request, reason):
    """A registration POST that fails CSRF finishes on the registration page, text kept."""
    from .views import csrf_failure

    return csrf_failure(request, reason)
