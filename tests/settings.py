"""Settings for the test run: the project's settings with test-only speed-ups."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")

from stowarzyszenie.settings import *  # noqa: E402,F403

# Tests render templates without running collectstatic first.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SITE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = "http://testserver"
# Serve static files straight from the source folders; no collectstatic in tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Each test run gets its own in-memory cache (the default is a file cache under data/).
if "CACHE_URL" not in os.environ:
    CACHES = {
        "default": {
            "BACKEND": "stowarzyszenie.degrading_cache.DegradingCache",
            "OPTIONS": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        }
    }


# The test client speaks plain http whatever .env says.
SECURE_SSL_REDIRECT = False

# A test database kept between runs (mutants/run.py copies a migrated one for each slip).
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}  # noqa: F405
