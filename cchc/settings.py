"""Settings for cchc, read from environment variables (documented in README.md).

Every value has a safe default for the embedded demo (SQLite, debug off unless asked).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.utils.translation import gettext_lazy as _

django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CCHC_VAR_DIR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """The key comes from CCHC_SECRET_KEY; without it, one is made once and kept in var/ (never in git)."""
    key = os.environ.get("CCHC_SECRET_KEY")
    if key:
        return key
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = _env_bool("CCHC_DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = _env_list("CCHC_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = _env_list("CCHC_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "cchc.core",
    "cchc.workdays",
    "cchc.orgs",
    "cchc.catalog",
    "cchc.dossiers",
    "cchc.citizens",
    "cchc.payments",
    "cchc.feedback",
    "cchc.portal",
    "cchc.submissions",
    "cchc.stats",
    "cchc.serviceindex",
    "cchc.simulator",
    "cchc.dashboards",
    "cchc.parindex",
    "cchc.plans",
    "cchc.accountability",
    "cchc.reports",
    "cchc.backup",
    "cchc.signing",
    "cchc.postal",
    "cchc.nationalportal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cchc.core.locale.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cchc.core.security.ContentSecurityPolicyMiddleware",
    "cchc.core.security.RejectNullCharactersMiddleware",
    "cchc.serviceindex.middleware.MissingRulesMiddleware",
]

ROOT_URLCONF = "cchc.urls"
WSGI_APPLICATION = "cchc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cchc" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "cchc.portal.context_processors.visitor",
            ],
        },
    },
]

# DATABASE_URL: sqlite:///path or postgres://user@host:port/name. SQLite is the embedded default.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cchc.sqlite3'}"),
        conn_max_age=int(os.environ.get("CCHC_DB_CONN_MAX_AGE", "60")),
        # A kept connection is checked before a request uses it, so a database restart costs no failed request
        # once the database is back (bench/fault_load.py).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")

# Background tasks (django.tasks API through the django-tasks backport): a queue in the database, run by
# `manage.py db_worker` (django-tasks-db); many workers may share one PostgreSQL queue.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# REDIS_URL: when set, the cache (login throttling, rate limits) is shared through Redis.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CCHC_CACHE_PREFIX", "cchc"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Decree 13/2023/NĐ-CP: strong password hashing; Argon2 first.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "staff-login"
LOGIN_REDIRECT_URL = "/"
# Login throttling: attempts per (username, address) within the window, then locked for the window.
LOGIN_MAX_ATTEMPTS = int(os.environ.get("CCHC_LOGIN_MAX_ATTEMPTS", "5"))
LOGIN_WINDOW_SECONDS = int(os.environ.get("CCHC_LOGIN_WINDOW_SECONDS", "900"))
# How many reverse proxies in front append to X-Forwarded-For; 0 means trust only REMOTE_ADDR.
TRUSTED_PROXY_HOPS = int(os.environ.get("CCHC_TRUSTED_PROXY_HOPS", "0"))

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "vi")
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "cchc" / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
# Shown as dd/mm/yyyy everywhere.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "cchc" / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("CCHC_MEDIA_ROOT", VAR_DIR / "media"))

# Returning results by public post (cchc.postal.client; the contract is docs/postal.md).
CCHC_POSTAL_URL = os.environ.get("CCHC_POSTAL_URL", "")
CCHC_POSTAL_API_KEY = os.environ.get("CCHC_POSTAL_API_KEY", "")
# The electronic result's document code (mã số giấy tờ, cchc.dossiers.result_codes): a str.format pattern.
RESULT_CODE_PATTERN = os.environ.get("CCHC_RESULT_CODE_PATTERN", "{agency}-{year}-{seq:06d}.{type}")
# The national public service portal (Cổng DVCQG, docs/national-portal.md); without a URL the outbox only fills.
CCHC_NATIONAL_PORTAL_URL = os.environ.get("CCHC_NATIONAL_PORTAL_URL", "")
CCHC_NATIONAL_PORTAL_API_KEY = os.environ.get("CCHC_NATIONAL_PORTAL_API_KEY", "")

# Digital signatures (cchc.signing.keystore): the trusted roots and CRLs, and the local development authority.
CCHC_SIGNING_TRUST_DIR = os.environ.get("CCHC_SIGNING_TRUST_DIR", "")
CCHC_SIGNING_DIR = Path(os.environ.get("CCHC_SIGNING_DIR", VAR_DIR / "signing"))
CCHC_SIGNING_LOCAL_CA = _env_bool("CCHC_SIGNING_LOCAL_CA", False)
# The production means (cchc.signing.services): "pkcs11" (a token or HSM) or "remote" (a CSC signing service).
CCHC_SIGNING_BACKEND = os.environ.get("CCHC_SIGNING_BACKEND", "")
CCHC_SIGNING_USER_KEY = os.environ.get("CCHC_SIGNING_USER_KEY", "cchc-user-{username}")
CCHC_SIGNING_UNIT_KEY = os.environ.get("CCHC_SIGNING_UNIT_KEY", "cchc-unit-{identifier}")
CCHC_SIGNING_CHAIN_FILE = os.environ.get("CCHC_SIGNING_CHAIN_FILE", "")
CCHC_SIGNING_PKCS11_MODULE = os.environ.get("CCHC_SIGNING_PKCS11_MODULE", "")
CCHC_SIGNING_PKCS11_TOKEN = os.environ.get("CCHC_SIGNING_PKCS11_TOKEN", "")
CCHC_SIGNING_PKCS11_PIN = os.environ.get("CCHC_SIGNING_PKCS11_PIN", "")
CCHC_SIGNING_PKCS11_PIN_FILE = os.environ.get("CCHC_SIGNING_PKCS11_PIN_FILE", "")
CCHC_SIGNING_REMOTE_URL = os.environ.get("CCHC_SIGNING_REMOTE_URL", "")
CCHC_SIGNING_REMOTE_TOKEN = os.environ.get("CCHC_SIGNING_REMOTE_TOKEN", "")

# Security headers; cookies are secure whenever debug is off (CCHC_INSECURE_COOKIES=1 only for plain-http demo).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
_secure_cookies = not DEBUG and not _env_bool("CCHC_INSECURE_COOKIES", False)
SESSION_COOKIE_SECURE = _secure_cookies
CSRF_COOKIE_SECURE = _secure_cookies
SECURE_CONTENT_TYPE_NOSNIFF = True
# HSTS: sent on https answers only (SecurityMiddleware), so the plain-http demo is unaffected. One year by default;
# subdomains are left out, as a province's domain serves other systems.
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("CCHC_HSTS_SECONDS", "31536000"))
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _env_bool("CCHC_BEHIND_PROXY") else None
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)

# Notices (cchc.dossiers.notifications). Without EMAIL_HOST, e-mails are written to the console (demo).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", True)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "cchc@localhost")
CCHC_SMS_URL = os.environ.get("CCHC_SMS_URL", "")
CCHC_SMS_API_KEY = os.environ.get("CCHC_SMS_API_KEY", "")
CCHC_SMS_SENDER = os.environ.get("CCHC_SMS_SENDER", "")
# Base of the public tracking link (QR code on the receipt, Mẫu 01).
CCHC_PUBLIC_URL = os.environ.get("CCHC_PUBLIC_URL", "http://127.0.0.1:8000")

# The province this installation serves (official code from vietnam-provinces), used by the demo.
CCHC_PROVINCE_CODE = int(os.environ.get("CCHC_PROVINCE_CODE", "0") or 0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CCHC_LOG_LEVEL", "WARNING")},
}

# Feedback (phản ánh, kiến nghị): harassment reports also go to Home Affairs, the unit with this electronic
# identifier (else the department named "Sở Nội vụ…"); feedback on a procedure with no unit goes to
# CCHC_FEEDBACK_UNIT (else the Office of the provincial People's Committee).
CCHC_HOME_AFFAIRS_UNIT = os.environ.get("CCHC_HOME_AFFAIRS_UNIT", "")
CCHC_FEEDBACK_UNIT = os.environ.get("CCHC_FEEDBACK_UNIT", "")

# Online payment of fees (VNPAY 2.1.0-style gateway, cchc.payments). Without the merchant code and secret,
# online payment is refused with a message. The IPN address to register with the gateway is
# <CCHC_PAYMENT_PUBLIC_URL>/thanh-toan/ipn/. CCHC_PAYMENT_CHANNEL is the national payment channel code:
# 1 national portal, 2 provincial portal.
CCHC_PAYMENT_GATEWAY_URL = os.environ.get("CCHC_PAYMENT_GATEWAY_URL", "")  # default: cchc.payments.gateway
CCHC_PAYMENT_TMN_CODE = os.environ.get("CCHC_PAYMENT_TMN_CODE", "")
CCHC_PAYMENT_HASH_SECRET = os.environ.get("CCHC_PAYMENT_HASH_SECRET", "")
CCHC_PAYMENT_PUBLIC_URL = os.environ.get("CCHC_PAYMENT_PUBLIC_URL", "") or CCHC_PUBLIC_URL
CCHC_PAYMENT_CHANNEL = int(os.environ.get("CCHC_PAYMENT_CHANNEL", "2") or 2)
# The demo's built-in test gateway (cchc.payments.sandbox, never moves money): on only when asked for.
CCHC_PAYMENT_SANDBOX = _env_bool("CCHC_PAYMENT_SANDBOX", False)
if CCHC_PAYMENT_SANDBOX:
    CCHC_PAYMENT_TMN_CODE = CCHC_PAYMENT_TMN_CODE or "CCHCDEMO"
    CCHC_PAYMENT_HASH_SECRET = (
        CCHC_PAYMENT_HASH_SECRET or hashlib.sha256(f"payment-sandbox:{SECRET_KEY}".encode()).hexdigest()
    )
    CCHC_PAYMENT_GATEWAY_URL = (
        CCHC_PAYMENT_GATEWAY_URL or f"{CCHC_PAYMENT_PUBLIC_URL.rstrip('/')}/thanh-toan/cong-thu-nghiem/"
    )

# Citizen and staff sign-in through an OpenID Connect provider (VNeID-style, cchc.core.oidc): on when the issuer,
# client id and secret are all set. Empty values take the defaults documented in the README.
CCHC_OIDC_ISSUER = os.environ.get("CCHC_OIDC_ISSUER", "")
CCHC_OIDC_CLIENT_ID = os.environ.get("CCHC_OIDC_CLIENT_ID", "")
CCHC_OIDC_CLIENT_SECRET = os.environ.get("CCHC_OIDC_CLIENT_SECRET", "")
CCHC_OIDC_DISCOVERY_URL = os.environ.get("CCHC_OIDC_DISCOVERY_URL", "")
CCHC_OIDC_SCOPES = os.environ.get("CCHC_OIDC_SCOPES", "")
CCHC_OIDC_BUTTON_LABEL = os.environ.get("CCHC_OIDC_BUTTON_LABEL", "")
CCHC_OIDC_ID_NUMBER_CLAIM = os.environ.get("CCHC_OIDC_ID_NUMBER_CLAIM", "")
CCHC_OIDC_TOKEN_AUTH_METHOD = os.environ.get("CCHC_OIDC_TOKEN_AUTH_METHOD", "")
CCHC_OIDC_REDIRECT_URI = os.environ.get("CCHC_OIDC_REDIRECT_URI", "")
