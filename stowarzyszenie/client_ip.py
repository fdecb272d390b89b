"""The visitor's address as the app sees it behind 0, 1 or more reverse proxies.

Shared by the login throttle (django-axes) and the contact form's rate limiter, so
both count the same address. TRUSTED_PROXY_COUNT says how many proxies in front
of the app append to X-Forwarded-For; entries left of those can be forged by the
client and are ignored.
"""

from django.conf import settings


def client_ip(request):
    remote_addr = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return remote_addr
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if not forwarded:
        return remote_addr
    # Each trusted proxy appended the address it saw, so the client is `trusted`
    # entries from the right; with fewer entries the left-most one is the best guess.
    return forwarded[-trusted] if len(forwarded) >= trusted else forwarded[0]
