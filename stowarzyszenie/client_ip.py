"""The visitor's address as the throttles see it, behind 0, 1 or more reverse proxies.

Shared by the login throttle (django-axes) and the contact form's limits, so both count
the same client. TRUSTED_PROXY_COUNT says how many proxies in front of the app append to
X-Forwarded-For; entries left of those can be forged by the client and are ignored.
An IPv6 client is counted by its /64: one customer usually holds a whole /64, and could
otherwise try from a new address every time.
"""

import ipaddress

from django.conf import settings


def forwarded_address(request):
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


def client_ip(request):
    """The client's address, IPv6 grouped per /64 (e.g. "2001:db8:1:2::")."""
    address = forwarded_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6 and parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False).network_address)
    return str(parsed)
