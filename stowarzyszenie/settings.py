"""Project settings, read from the environment (12-factor).

Every variable is documented in README.md and `.env.example`. A `.env` file in
the project folder is read too (``make run`` writes one with a fresh
SECRET_KEY on the first run); real environment variables win over it.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

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

# The site's public address, e.g. https://plac-nzs.pl. Host names, trusted origins, the admin's
# links, the Wagtail Site and the HTTPS switches follow from it; each keeps its own variable as
# an override. Default: this machine on PORT (what `make run` serves).
# Configurations from before SITE_URL existed name the address in one of the older variables.
_older_address = (
    env.str("WAGTAILADMIN_BASE_URL", default="")
    or next(iter(env.list("CSRF_TRUSTED_ORIGINS", default=[])), "")
    or next((f"https://{host}" for host in env.list("ALLOWED_HOSTS", default=[])[:1]), "")
)
SITE_URL = env.str(
    "SITE_URL", default=_older_address or f"http://127.0.0.1:{env.int('PORT', default=8000)}"
)
_site = urlsplit(SITE_URL)
if _site.scheme not in ("http", "https") or not _site.hostname:
    raise ImproperlyConfigured(f"SITE_URL must look like https://example.org, not {SITE_URL!r}.")
SITE_URL = f"{_site.scheme}://{_site.netloc}"
SITE_IS_HTTPS = _site.scheme == "https"
_LOOPBACK = ("127.0.0.1", "localhost", "::1")
SITE_IS_LOCAL = _site.hostname in _LOOPBACK

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=["127.0.0.1", "localhost", "[::1]"] if SITE_IS_LOCAL else [_site.hostname],
)

# Application definition

INSTALLED_APPS = [
    "pages",
    "contact",
    "articles",
    "search",
    "wagtail.contrib.routable_page",
    "events",
    "wagtail.contrib.settings",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.typed_table_block",
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
    "axes",  # login throttle for /admin/ (Production section below)
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # First: a cached page is answered before anything else runs, with the headers the whole
    # stack below gave it when it was stored (security headers included).
    "pages.cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Security headers on every response, static files included (Production section below).
    "stowarzyszenie.security.SitePolicyMiddleware",
    # Before anything reads a form: a body in a character set the site cannot read gets 400.
    "stowarzyszenie.security.RequestCharsetMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # /healthz answers before the host check and the rest of the stack.
    "stowarzyszenie.health.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires: answers locked-out login attempts with 429.
    "axes.middleware.AxesMiddleware",
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

# A file cache by default: shared by all the server's worker processes, so publishing a page
# clears the page cache for every one of them (an in-process cache would not). Redis for
# several machines.
# The cache only keeps copies: if it breaks, pages render without it (stowarzyszenie/
# degrading_cache.py) and /healthz says "degraded". Nothing that must survive lives there.
_CACHE = env.cache_url("CACHE_URL", default=f"filecache://{DATA_DIR / 'cache'}")
_CACHE_OPTIONS = {"BACKEND": _CACHE.pop("BACKEND"), **_CACHE.pop("OPTIONS", {})}
if _CACHE_OPTIONS["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that hangs must not hang every request with it.
    _CACHE_OPTIONS.setdefault("socket_connect_timeout", 1)
    _CACHE_OPTIONS.setdefault("socket_timeout", 1)
CACHES = {
    "default": {
        **_CACHE,
        "BACKEND": "stowarzyszenie.degrading_cache.DegradingCache",
        "OPTIONS": _CACHE_OPTIONS,
    }
}

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
WAGTAILADMIN_USER_LOGIN_FORM = "pages.admin_login.AssociationLoginForm"
# Absolute links in e-mails to the board (e.g. to a message in the admin).
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default=SITE_URL)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
# Logos may be SVG; Wagtail resizes SVG images without rasterising them.
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp", "svg"]
WAGTAIL_ENABLE_UPDATE_CHECK = False  # the server makes no calls to other hosts

# --- Residents' messages: delivery to the board and RODO housekeeping ---
# An SMTP server that accepts the connection and then hangs must not block the mail worker
# forever (Django's default is no timeout at all); a timeout counts as a failed attempt.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# The worker keeps retrying an undelivered e-mail with growing pauses for at least this many
# hours, then marks the message "not delivered" (the board can resend it from the admin).
CONTACT_DELIVERY_GIVE_UP_HOURS = env.int("CONTACT_DELIVERY_GIVE_UP_HOURS", default=26)
# Pauses in seconds after the 1st, 2nd, … failed delivery attempt; the last one repeats.
CONTACT_DELIVERY_BACKOFF_SECONDS = [
    int(seconds)
    for seconds in env.list(
        "CONTACT_DELIVERY_BACKOFF_SECONDS", default=["60", "120", "300", "600", "1800", "3600"]
    )
]
# `manage.py delete_old_messages` deletes messages older than this.
CONTACT_RETENTION_MONTHS = env.int("CONTACT_RETENTION_MONTHS", default=24)
# The board's replies to residents: answers come back to this address (its "+14.signature"
# variants must reach the same mailbox); empty: Reply-To is the association's public e-mail.
CONTACT_REPLY_ADDRESS = env.str("CONTACT_REPLY_ADDRESS", default="")
# The association's mailbox, read by the mail worker for residents' answers, e.g.
# imaps://user:password@imap.example.org/INBOX. Empty: nothing is read.
IMAP_URL = env.str("IMAP_URL", default="")
IMAP_POLL_SECONDS = env.int("IMAP_POLL_SECONDS", default=120)
# The dashboard counts a question as waiting too long after this many days without an answer.
CONTACT_UNANSWERED_DAYS = env.int("CONTACT_UNANSWERED_DAYS", default=3)
# A daily e-mail to the board listing the questions waiting too long, at this hour (0-23,
# Warsaw time); empty: no digest.
CONTACT_DIGEST_HOUR = env.int("CONTACT_DIGEST_HOUR", default=None)
# `manage.py erase_old_registrations` removes registrants' personal data this many days after
# the date (the number of people stays for reports).
EVENTS_RETENTION_DAYS = env.int("EVENTS_RETENTION_DAYS", default=30)
# --- Page cache and benchmark (see pages/cache.py and bench/) ---
# How long the server keeps a page; 0 turns the page cache off. Our own copy is dropped at
# once when an editor publishes or changes a setting.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)
# How long a visitor's browser keeps it without asking again.
PAGE_CACHE_BROWSER_SECONDS = env.int("PAGE_CACHE_BROWSER_SECONDS", default=60)
# How long a shared cache in front (nginx, a CDN) keeps a page as fresh (`s-maxage`). It cannot
# be told about a publish, so this bounds how long a publish takes to show through it.
PAGE_CACHE_SHARED_SECONDS = env.int("PAGE_CACHE_SHARED_SECONDS", default=3)
# Only `make bench` sets this: it adds the constant "framework floor" view (stowarzyszenie/urls.py).
BENCH_FLOOR = env.bool("BENCH_FLOOR", default=False)

# --- Production: HTTPS, security headers, login throttle, media storage, logging ---
# Everything below is safe by default with DEBUG=0 and stays out of the way of
# `make run` (DEBUG=1 over plain http on 127.0.0.1). Variables: README "Konfiguracja".

# HTTPS. Behind a TLS-terminating proxy, opt in to trusting its X-Forwarded-Proto header
# (only if the proxy always sets or overwrites it, or clients could fake HTTPS).
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Redirect, HSTS and secure cookies only where the public address is https (SITE_URL).
_HTTPS = SITE_IS_HTTPS and not DEBUG
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_HTTPS)
# Load balancers and Docker call /healthz over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=_HTTPS)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=_HTTPS)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[SITE_URL])
if SITE_IS_LOCAL and not SITE_IS_HTTPS:
    # `make run` on one's own machine over plain http: the HTTPS warnings of `check --deploy`
    # describe a public server, which this is not (a public SITE_URL keeps them).
    SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016"]
# Number of reverse proxies in front of the app whose X-Forwarded-For is trusted
# (shared with the contact form's rate limiter; see stowarzyszenie/client_ip.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Security headers. SecurityMiddleware sends nosniff, Referrer-Policy and
# Cross-Origin-Opener-Policy; X-Frame-Options comes from XFrameOptionsMiddleware.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"


def _origin(url):
    parts = urlsplit(url if "//" in url else f"https://{url}")
    return f"{parts.scheme}://{parts.netloc}"


# Images and audio come from our own host, or from the S3 bucket's host when media
# files live there (see "Static and media" below).
_MEDIA_ORIGINS = []
VIDEO_PLAYER_ORIGINS = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # Self-hosted script files only: no inline code, no eval, no other hosts.
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        # Only the privacy-enhanced video players, framed after the visitor presses play.
        "frame-src": VIDEO_PLAYER_ORIGINS,
    },
}
PERMISSIONS_POLICY = {
    # The video players may start playing on the same click that loaded them.
    "autoplay": VIDEO_PLAYER_ORIGINS,
} | {
    feature: []
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# Admin login throttle: django-axes counts failures per client address (IPv6 per /64) in the
# database, where no flood of cache keys can evict them, and every app server sees the same.
AUTHENTICATION_BACKENDS = [
    # AxesBackend = AxesStandaloneBackend + ModelBackend (so force_login and sessions work).
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
# Successful logins are not recorded: the database keeps only what the throttle needs.
AXES_DISABLE_ACCESS_LOG = True
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_CLIENT_IP_CALLABLE = "stowarzyszenie.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
# A fixed pause: an editor retrying too early does not restart the clock.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "security/login_locked.html"
AXES_ENABLE_ADMIN = False  # no django.contrib.admin here
AXES_VERBOSE = False  # its lines name the address and username (personal data)

# The admin's password-reset e-mail goes through the mail queue (no SMTP wait in the request),
# and each client may ask for a few per hour.
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "contact.accounts.QueuedPasswordResetForm"  # noqa: S105
PASSWORD_RESET_RATE_LIMIT = env.str("PASSWORD_RESET_RATE_LIMIT", default="3/h")

# The admin shows no Gravatar images: no visitor data goes to other hosts.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Static and media. Static files: hashed names, compressed, cached by browsers for a
# year (the name changes when the file does).
WHITENOISE_MAX_AGE = 365 * 24 * 60 * 60
# Uploaded images stay on a volume (MEDIA_ROOT) unless an S3-compatible bucket is set.
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME")
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default=None)
    AWS_S3_CUSTOM_DOMAIN = env.str("AWS_S3_CUSTOM_DOMAIN", default=None)
    AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default=None)
    AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default=None)
    AWS_QUERYSTRING_AUTH = env.bool("AWS_QUERYSTRING_AUTH", default=False)
    AWS_S3_FILE_OVERWRITE = False
    AWS_DEFAULT_ACL = None  # the bucket's own policy decides who reads
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    _bucket_origin = (
        f"https://{AWS_S3_CUSTOM_DOMAIN}"
        if AWS_S3_CUSTOM_DOMAIN
        else _origin(AWS_S3_ENDPOINT_URL or f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com")
    )
    _MEDIA_ORIGINS.append(_bucket_origin)
    if not AWS_S3_CUSTOM_DOMAIN and AWS_S3_ENDPOINT_URL:
        # Virtual-hosted style URLs put the bucket name in front of the endpoint's host.
        _MEDIA_ORIGINS.append(_origin(AWS_S3_ENDPOINT_URL).replace("://", "://*.", 1))
for _directive in ("img-src", "media-src"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"][_directive] += _MEDIA_ORIGINS

# PostgreSQL: a database that does not answer fails fast instead of hanging a worker.
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5)
    )

# Logging: one JSON line per event on stdout, e-mail addresses redacted.
from stowarzyszenie.logs import logging_config  # noqa: E402

LOGGING = logging_config(env.str("LOG_LEVEL", default="INFO"))

# Error reporting (optional): only with SENTRY_DSN; no personal data, no request bodies
# (a resident's message must not leave the server), no local variables in tracebacks.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
# --- Contact form, the resident's side ---
# Sending attempts per client address ("5/10m" = 5 per 10 minutes); failed captchas count too.
CONTACT_RATE_LIMIT = env.str("CONTACT_RATE_LIMIT", default="5/10m")
# New security questions per client address (each page view of the form makes one).
CONTACT_CHALLENGE_RATE_LIMIT = env.str("CONTACT_CHALLENGE_RATE_LIMIT", default="60/10m")
# Spoken questions per client address (espeak-ng runs for each).
CONTACT_SPOKEN_RATE_LIMIT = env.str("CONTACT_SPOKEN_RATE_LIMIT", default="20/10m")
# A form sent sooner than this after it was handed out is stored as spam (time trap).
CONTACT_MIN_FILL_SECONDS = env.int("CONTACT_MIN_FILL_SECONDS", default=3)
# TRUSTED_PROXY_COUNT (Production section above) also decides whose address is rate limited.
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
# A rejected contact form comes back with the resident's text instead of a bare 403 page.
CSRF_FAILURE_VIEW = "contact.views.csrf_failure"
