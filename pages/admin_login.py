"""The admin's sign-in form with its password field labelled in the editor's language.

Wagtail 8.0's form leaves that label to Django's field-name fallback, which is never
translated ("Password"); reported upstream, overridden here until it is fixed there.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm


class AssociationLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
