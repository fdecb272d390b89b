"""System checks that keep the contact form's protection switched on."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def captcha_test_mode_is_off(app_configs, **kwargs):
    # The library's test mode accepts the answer "passed" for any question.
    if getattr(settings, "CAPTCHA_TEST_MODE", False) and not settings.DEBUG:
        return [
            checks.Error(
                "CAPTCHA_TEST_MODE is on outside DEBUG: the contact form would accept any answer.",
                hint="Remove CAPTCHA_TEST_MODE from the production settings.",
                id="contact.E001",
            )
        ]
    return []
