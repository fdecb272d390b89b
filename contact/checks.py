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


@checks.register(checks.Tags.security, deploy=True)
def proxy_settings_agree(app_configs, **kwargs):
    """USE_X_FORWARDED_PROTO says a proxy is in front; TRUSTED_PROXY_COUNT must say so too."""
    trusts_proto = getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is not None
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if trusts_proto and proxies <= 0:
        return [
            checks.Warning(
                "USE_X_FORWARDED_PROTO is on but TRUSTED_PROXY_COUNT is 0: the site trusts the "
                "proxy's X-Forwarded-Proto, yet counts every visitor as the proxy's address, so "
                "one visitor's rate limit or login lockout stops everyone.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies in front of the site.",
                id="contact.W002",
            )
        ]
    if proxies > 0 and not trusts_proto:
        return [
            checks.Warning(
                f"TRUSTED_PROXY_COUNT is {proxies} but USE_X_FORWARDED_PROTO is off: behind a "
                "TLS-terminating proxy every request looks like plain http (redirect loops, "
                "insecure cookies refused).",
                hint="Set USE_X_FORWARDED_PROTO=1 if the proxy sets X-Forwarded-Proto, or "
                "TRUSTED_PROXY_COUNT=0 if there is no proxy.",
                id="contact.W003",
            )
        ]
    return []
