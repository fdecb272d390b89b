"""Project settings, read from the environment (12-factor).

Every variable is documented in README.md and `.env.example`. A `.env` file in
the project folder is read too (``make run`` writes one with a fresh
SECRET_KEY on the first run); real environment variables win over it.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / "data"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment or in .env "
            '(e.g. SECRET_KEY=$(python3 -c "import secrets; print(secrets.token_urlsafe(50))")), '
            "or set DEBUG=1 for local development."
        )
    # Development only: a key that changes on every start is safer than a literal one.
    SECRET_KEY = "insecure-dev-" + __import__("secrets").token_urlsafe(40)

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])

# Application definition

INSTALLED_APPS = [
    "pages",
    "contact",
    "wagtail.contrib.settings",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "captcha",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "stowarzyszenie.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "stowarzyszenie.wsgi.application"

# Database: an embedded SQLite file by default, so `make run` needs no server.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the mail worker writes; IMMEDIATE avoids
    # "database is locked" when two processes start a write at once.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Stowarzyszenie Plac NZS <noreply@localhost>"
)
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalization: the site speaks Polish; English is the second language.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="pl")
LANGUAGES = [("pl", _("Polish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Warsaw")
USE_I18N = True
USE_TZ = True

WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Static files and media
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Background tasks (django-tasks). Wagtail's own small tasks run at once in the request;
# the board e-mails go through the "mail" backend: a queue in the database, run by
# `manage.py db_worker --backend mail`, so a message survives a crash or an SMTP outage.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "mail": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}

# Wagtail
WAGTAIL_SITE_NAME = env.str("WAGTAIL_SITE_NAME", default="Stowarzyszenie Plac NZS")
# Absolute links in e-mails to the board (e.g. to a message in the admin).
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAIL_ENABLE_UPDATE_CHECK = False  # the server makes no calls to other hosts

# --- Contact form, the resident's side (issue 3) -----------------------------
# Sending attempts per client address ("5/10m" = 5 per 10 minutes); failed captchas count too.
CONTACT_RATE_LIMIT = env.str("CONTACT_RATE_LIMIT", default="5/10m")
# A form sent sooner than this after it was handed out is stored as spam (time trap).
CONTACT_MIN_FILL_SECONDS = env.int("CONTACT_MIN_FILL_SECONDS", default=3)
# Reverse proxies in front of the site whose X-Forwarded-For is trusted (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# The spoken question; empty switches it off, and it is hidden where espeak-ng is not installed.
ESPEAK_NG_PATH = env.str("ESPEAK_NG_PATH", default="espeak-ng")
# django-simple-captcha: a Polish arithmetic question, valid CAPTCHA_TIMEOUT minutes and once.
CAPTCHA_CHALLENGE_FUNCT = "contact.captcha.arithmetic_challenge"
CAPTCHA_TIMEOUT = env.int("CAPTCHA_TIMEOUT", default=10)
# Readable first (WCAG): large, barely rotated, no lines across the digits. The bots are
# kept out mostly by the honeypot, the time trap and the rate limit.
CAPTCHA_FONT_SIZE = 36
CAPTCHA_LETTER_ROTATION = (-8, 8)
CAPTCHA_NOISE_FUNCTIONS = ("captcha.helpers.noise_null",)
# Never read from the environment; a system check fails if it is ever on without DEBUG.
CAPTCHA_TEST_MODE = False
# django-ratelimit counts in the default cache; if the cache is down, residents get through.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_FAIL_OPEN = True
# A rejected contact form comes back with the resident's text instead of a bare 403 page.
CSRF_FAILURE_VIEW = "contact.views.csrf_failure"
