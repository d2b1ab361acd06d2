"""Aigaq settings. Everything that differs between machines comes from the environment.

Environment variables (all optional on a laptop; see "Production mode" below):
  AIGAQ_DATA_DIR      data folder (database, media); default ./var
  AIGAQ_DB_KEY        the database key itself (64 hex chars = raw key, else a passphrase)
  AIGAQ_DB_KEY_FILE   file holding the key; default ~/.config/aigaq/key
  DATABASE_URL        postgres://... switches to PostgreSQL (or DATABASE_URL_FILE: a file
                      holding it, since the URL carries the database password)
  AIGAQ_SECRET_KEY    Django's signing key (or AIGAQ_SECRET_KEY_FILE: a file holding it)
  AIGAQ_DEBUG         1 to enable Django's debug mode (never on a server; refused in production)
  AIGAQ_ALLOWED_HOSTS comma-separated host names; default localhost names
  AIGAQ_STATIC_ROOT   where production mode collects the static files; default DATA_DIR/static
  AIGAQ_MAX_UPLOAD_MB largest accepted upload; default 4096
  AIGAQ_CLIENT_TIMEOUT, AIGAQ_CLIENT_MIN_RATE  `serve --production`: a request's body must come
                      within this many seconds (default 30) plus its length at this many bytes
                      a second (default 10000), never silent longer (docs/security.md)
  AIGAQ_CHANNEL_TIMEOUT  `serve` (waitress): a connection silent this long is closed; default 120
  AIGAQ_TIME_ZONE     the office's time zone; default Asia/Almaty
  AIGAQ_BEHIND_TLS_PROXY  1 on a server behind a reverse proxy that terminates TLS: Secure
                      cookies, HSTS, the proxy's X-Forwarded-Proto header, redirect to https
  AIGAQ_TRUSTED_PROXY the proxy's address, whose X-Forwarded-For/-Proto `aigaq serve` believes;
                      default 127.0.0.1 behind a TLS proxy, else none
  AIGAQ_HSTS_SECONDS  how long browsers keep to https (behind a TLS proxy); default one year
  AIGAQ_SESSION_IDLE_MINUTES  a session ends after this much inactivity; default 30
  AIGAQ_SIGNIN_FAILURES  failed sign-ins (one user name, one address) before a lockout; default 5
  AIGAQ_SIGNIN_LOCK_MINUTES  how long that lockout lasts; default 15
  AIGAQ_TRANSCRIPT_LANGUAGES  languages of transcripts and translations, comma-separated;
                      default kk,zh_Hans,en,ru,tr,ar,fr,de (ko, ja, ug can be added)
  AIGAQ_SUBTITLE_MAX_MB  the largest subtitle file imported; default 5
  AIGAQ_ASR_MODEL     a folder holding a faster-whisper (CTranslate2) model: machine drafts of
                      transcripts from a testimony's sound; none by default (docs/translation.md)
  AIGAQ_ASR_VAD       0 to transcribe silences too (default 1: only the parts with speech)
  AIGAQ_MT_MODEL      a folder holding a CTranslate2 translation model and its SentencePiece
                      model: machine drafts of translations; none by default
  AIGAQ_ENGINE_THREADS  CPU threads a speech or translation engine uses; default 2
  AIGAQ_PHONE_REGION  the country a phone number without +code belongs to; default KZ
  AIGAQ_GROUP_NAME    the group's name on the cover of dossiers and the wall of sorrow

Production mode (AIGAQ_PRODUCTION=1, which `aigaq serve --production` sets; docs/deploy.md):
settings come only from the environment. AIGAQ_SECRET_KEY (or _FILE) and AIGAQ_ALLOWED_HOSTS
are required (no key file is made in the home folder, no localhost default), DEBUG is off, and
static files are collected into STATIC_ROOT with hashed names and compressed copies, which
WhiteNoise serves with far-future cache headers.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from aigaq.core import keys

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = keys.data_dir()

PRODUCTION = keys.production()
DEBUG = os.environ.get("AIGAQ_DEBUG", "") == "1"
if PRODUCTION and DEBUG:
    raise keys.ConfigurationError(
        "AIGAQ_DEBUG=1 is refused in production mode: debug pages show settings and data."
    )
SECRET_KEY = keys.secret_key()
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get(
        "AIGAQ_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]"
    ).split(",")
    if h.strip()
]
if PRODUCTION and not ALLOWED_HOSTS:
    raise keys.ConfigurationError(
        "Production mode needs AIGAQ_ALLOWED_HOSTS: the host names the site answers to, "
        "comma-separated (aigaq.example.org)."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    # Before aigaq.core: axes counts a failed sign-in before core audits it.
    "axes",
    # Two-factor sign-in (aigaq/core/twofactor.py): authenticator apps and recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "aigaq.core",
    "aigaq.media",
    "aigaq.people",
    "aigaq.testimonies",
    "aigaq.search",
    "aigaq.dedup",
    "aigaq.mirrors",
    "aigaq.corrections",
    "aigaq.transcripts",
    "aigaq.disclosure",
    "aigaq.intake",
    "aigaq.transfer",
    "aigaq.petitions",
    "aigaq.esf",
    "aigaq.custody",
    "aigaq.backups",
    "aigaq.casework",
    "aigaq.demo",
    "aigaq.staff",
    "aigaq.public",
    "aigaq.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the database: a locked installation answers with one page.
    "aigaq.core.middleware.LockedMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Audit entries written while serving a request record its client address.
    "aigaq.core.middleware.AuditAddressMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks a session verified by a second factor (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "aigaq.core.middleware.SessionIdleTimeoutMiddleware",
    # Ends a session without a second factor for a role that needs one (before the password
    # change SecurityHeadersMiddleware asks for: the second factor comes first).
    "aigaq.core.middleware.TwoFactorMiddleware",
    "aigaq.core.middleware.SecurityHeadersMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
# `aigaq serve --public`: the public site alone, with only the middleware it needs (no
# sessions, no sign-in, no staff pages).
PUBLIC_URLCONF = "config.urls_public"
PUBLIC_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "aigaq.core.middleware.LockedMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "aigaq.public.middleware.PublicHeadersMiddleware",
]
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "aigaq.core.context_processors.aigaq",
            ],
        },
    }
]

DATABASES = {"default": keys.database_settings(DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:dashboard"
LOGOUT_REDIRECT_URL = "staff:login"
# django-axes first: it refuses a locked-out user name before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Sign-in throttling (django-axes): a user name tried from one address is locked after
# AIGAQ_SIGNIN_FAILURES failures in a row, for AIGAQ_SIGNIN_LOCK_MINUTES; each failure and each
# lockout is in Aigaq's audit log (aigaq.core.signin); `aigaq unlock-user NAME` lifts a lockout.
AXES_FAILURE_LIMIT = int(os.environ.get("AIGAQ_SIGNIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AIGAQ_SIGNIN_LOCK_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A try during the lockout does not start the wait again (an office behind one address would
# otherwise keep a colleague locked out by mistyping).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "aigaq.core.signin.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are in the audit log already
AXES_VERBOSE = False

# Two-factor sign-in (django-otp): the name authenticator apps show, and no secret of a device
# in the Django admin (a superuser resets a lost device, never reads one).
OTP_TOTP_ISSUER = "Aigaq"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A session ends after AIGAQ_SESSION_IDLE_MINUTES without a request
# (aigaq.core.middleware.SessionIdleTimeoutMiddleware renews it at most once a minute).
SESSION_IDLE_SECONDS = int(os.environ.get("AIGAQ_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# On a server behind a reverse proxy that terminates TLS (docs/deployment.md): cookies only
# over https, browsers told to keep to https, plain http redirected, and the proxy's
# X-Forwarded-Proto believed (`aigaq serve` clears it unless it comes from AIGAQ_TRUSTED_PROXY).
BEHIND_TLS_PROXY = os.environ.get("AIGAQ_BEHIND_TLS_PROXY", "") == "1"
AIGAQ_TRUSTED_PROXY = os.environ.get(
    "AIGAQ_TRUSTED_PROXY", "127.0.0.1" if BEHIND_TLS_PROXY else ""
).strip()
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("AIGAQ_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LANGUAGE_CODE = "en"
# The staff interface ships in every interface language, like the public site
# (aigaq.public.languages); its switcher offers these. Each catalogue is complete
# (tests/core/test_translations.py).
STAFF_LANGUAGES = ["kk", "ru", "en", "zh-hans", "tr", "ar", "fr", "de"]
LANGUAGES = [
    ("kk", _("Kazakh")),
    ("ru", _("Russian")),
    ("en", _("English")),
    ("zh-hans", _("Chinese")),
    ("tr", _("Turkish")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("de", _("German")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Times are stored in UTC; days (desk tickets, day reports) and display follow the office's
# zone. Kazakhstan uses one zone, UTC+5, since 2024 (tzdata 2024a).
TIME_ZONE = os.environ.get("AIGAQ_TIME_ZONE", "Asia/Almaty")
USE_I18N = True
USE_TZ = True
# Phone numbers typed without a country code (8 701 …, 701 …) belong to this country
# (ISO 3166 code); every number is stored in the international form, +77011234567.
# The languages a testimony may be transcribed and translated into (aigaq/transcripts/
# languages.py knows the scripts of more: ko, ja, ug, ky, uz can be added here).
TRANSCRIPT_LANGUAGES = [
    code.strip()
    for code in os.environ.get("AIGAQ_TRANSCRIPT_LANGUAGES", "kk,zh_Hans,en,ru,tr,ar,fr,de").split(
        ","
    )
    if code.strip()
]
# The largest subtitle file `aigaq subtitles import` reads (refused before it is parsed).
SUBTITLE_MAX_BYTES = int(float(os.environ.get("AIGAQ_SUBTITLE_MAX_MB", "5")) * 1024 * 1024)
# Machine drafts (aigaq/transcripts/engines.py, decision 0034): the model folders the operator
# names; nothing is ever downloaded. Empty: the engine is not set up, and its button says how.
ASR_MODEL_PATH = os.environ.get("AIGAQ_ASR_MODEL", "").strip()
ASR_VAD = os.environ.get("AIGAQ_ASR_VAD", "1").strip() != "0"
MT_MODEL_PATH = os.environ.get("AIGAQ_MT_MODEL", "").strip()
ENGINE_THREADS = int(os.environ.get("AIGAQ_ENGINE_THREADS", "2"))
# The JSON API (docs/api.md): requests per token in each window of so many seconds (a fixed
# window counted in the table aigaq_api_rate; 0 turns the limit off).
AIGAQ_API_RATE = int(os.environ.get("AIGAQ_API_RATE", "600"))
AIGAQ_API_RATE_WINDOW = int(os.environ.get("AIGAQ_API_RATE_WINDOW", "60"))
# Caches: "default" is each process's own memory; "shared" is a table in the database (made by
# the migration api/0002_shared_cache_table), the same for every process and machine on that
# database (the API's rate limit counted there until it got a table of its own, docs/api.md).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "aigaq_shared_cache",
        # One entry per token and window: far more tokens than any group has before a cull.
        "OPTIONS": {"MAX_ENTRIES": 100_000, "CULL_FREQUENCY": 4},
    },
}
AIGAQ_PHONE_REGION = os.environ.get("AIGAQ_PHONE_REGION", "KZ").strip().upper() or "KZ"
# The group's name, printed on the cover of dossiers and on the wall of sorrow (aigaq dossier).
AIGAQ_GROUP_NAME = os.environ.get("AIGAQ_GROUP_NAME", "").strip()

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# On a laptop, static files are served by WhiteNoise from the app folders (no collectstatic
# step needed). In production mode `aigaq serve --production` collects them into STATIC_ROOT
# with a content hash in each name and gzip (and Brotli, when installed) copies beside them;
# WhiteNoise serves those compressed when the browser accepts it, cached for a year.
STATIC_ROOT = os.environ.get("AIGAQ_STATIC_ROOT") or (DATA_DIR / "static" if PRODUCTION else None)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# The media archive (docs/deploy.md, "Media on shared storage"; decision 0032). Its sealed
# files live in a folder, MEDIA_ROOT (AIGAQ_MEDIA_ROOT: a file system several machines share,
# say; default DATA_DIR/media), or, with AIGAQ_MEDIA_STORAGE=s3, in a bucket of an
# S3-compatible object store. Either way they are sealed here before they are written, and
# MEDIA_ROOT stays this machine's work folder (files being sealed, resumable uploads).
MEDIA_ROOT = Path(os.environ.get("AIGAQ_MEDIA_ROOT") or DATA_DIR / "media")
AIGAQ_MEDIA_STORAGE = os.environ.get("AIGAQ_MEDIA_STORAGE", "").strip().lower() or "filesystem"
AIGAQ_S3 = {
    "bucket": os.environ.get("AIGAQ_S3_BUCKET", "").strip(),
    "endpoint_url": os.environ.get("AIGAQ_S3_ENDPOINT_URL", "").strip(),
    "region": os.environ.get("AIGAQ_S3_REGION", "").strip(),
    "prefix": os.environ.get("AIGAQ_S3_PREFIX", "").strip(),
    # Secrets: the variable, or the file VAR_FILE names (systemd credentials).
    "access_key_id": keys.env_or_file("AIGAQ_S3_ACCESS_KEY_ID"),
    "secret_access_key": keys.env_or_file("AIGAQ_S3_SECRET_ACCESS_KEY"),
}

# Uploads: refused before they fill the disk (checked by the upload handler, see aigaq.media).
AIGAQ_MAX_UPLOAD_BYTES = int(os.environ.get("AIGAQ_MAX_UPLOAD_MB", "4096")) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "aigaq.media.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    # Not Django's TemporaryFileUploadHandler: it would write the upload in clear to /tmp.
    "aigaq.media.uploads.SealedFileUploadHandler",
]
FILE_UPLOAD_TEMP_DIR = None

# Backups (docs/backup.md): the dashboard warns when a destination's last good backup is older.
BACKUP_MAX_AGE_HOURS = int(os.environ.get("AIGAQ_BACKUP_MAX_AGE_HOURS", "24"))

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Seconds a worker may go unheard before its running job is run again by another (aigaq/core/
# jobs.py, "Several workers"): `aigaq worker --lease`, and the worker `aigaq serve` starts.
AIGAQ_WORKER_LEASE_SECONDS = float(os.environ.get("AIGAQ_WORKER_LEASE_SECONDS", "60"))
# Only tests/worker_settings.py turns this on: the crash tests' pause points (core/faults.py).
AIGAQ_FAULT_POINTS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    # Never log SQL: queries carry the contents of restricted fields.
    "loggers": {"django.db.backends": {"handlers": [], "level": "WARNING", "propagate": False}},
}
