"""Configuration: defaults, overridden by ``ACTIONGATE_*`` environment variables."""
from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any, Mapping

API_VERSIONS = ("2011-08-01", "2013-11-04")
DEFAULT_API_VERSION = API_VERSIONS[0]
#: seconds a request waits for another writer's lock before answering 503 (below the
#: worker timeout of gunicorn.conf.py, so that the client gets an answer)
DEFAULT_BUSY_TIMEOUT = 5.0


def from_environment(environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """Read the ``ACTIONGATE_*`` settings of CONTRACT §6 that are present in ``environ``."""
    config: dict[str, Any] = {}
    if "ACTIONGATE_DATABASE_URL" in environ:
        config["DATABASE_URL"] = environ["ACTIONGATE_DATABASE_URL"]
    if "ACTIONGATE_SECRET_KEY" in environ:
        config["SECRET_KEY"] = environ["ACTIONGATE_SECRET_KEY"]
    if "ACTIONGATE_SIGNATURE_WINDOW" in environ:
        config["SIGNATURE_WINDOW"] = int(environ["ACTIONGATE_SIGNATURE_WINDOW"])
    if "ACTIONGATE_BUSY_TIMEOUT" in environ:
        config["BUSY_TIMEOUT"] = float(environ["ACTIONGATE_BUSY_TIMEOUT"])
    if "ACTIONGATE_TRUST_FORWARDED_HOST" in environ:
        config["TRUST_FORWARDED_HOST"] = environ["ACTIONGATE_TRUST_FORWARDED_HOST"].lower() in (
            "1", "true", "yes", "on")
    if environ.get("ACTIONGATE_PUBLIC_CATALOGUE"):
        config["PUBLIC_CATALOGUE"] = environ["ACTIONGATE_PUBLIC_CATALOGUE"]
    config.update(_security_settings(environ))
    return config


def _security_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """Login throttling and replay protection (README "Security decisions")."""
    config: dict[str, Any] = {}
    for name in ("LOGIN_FREE_FAILURES", "LOGIN_FREE_FAILURES_PER_ADDRESS"):
        if "ACTIONGATE_" + name in environ:
            config[name] = int(environ["ACTIONGATE_" + name])
    for name in ("REJECT_REPLAYS", "TRUST_FORWARDED_FOR"):
        if "ACTIONGATE_" + name in environ:
            config[name] = environ["ACTIONGATE_" + name].lower() in ("1", "true", "yes", "on")
    return config


def defaults(instance_path: str) -> dict[str, Any]:
    """The built-in defaults; the SQLite file lives in the instance folder."""
    return {
        "DATABASE_URL": "sqlite:///" + os.path.join(instance_path, "actiongate.db"),
        "SIGNATURE_WINDOW": 900,
        "BUSY_TIMEOUT": DEFAULT_BUSY_TIMEOUT,
        "TRUST_FORWARDED_HOST": False,
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        "TOKEN_MAX_MINUTES": 43200,
        "TOKEN_DEFAULT_MINUTES": 1440,
        "LOGIN_FREE_FAILURES": 5,
        "LOGIN_FREE_FAILURES_PER_ADDRESS": 30,
        "REJECT_REPLAYS": False,
        "TRUST_FORWARDED_FOR": False,
        #: the account whose catalogue the pkgdb2 dialect serves to anonymous GETs (None: none)
        "PUBLIC_CATALOGUE": None,
    }


def instance_secret(instance_path: str) -> str:
    """The token-signing key kept in the instance folder, created once.

    Every gunicorn worker must sign and verify with the same key, so a generated key is
    written to disk (mode 0600) rather than kept in memory.
    """
    path = Path(instance_path) / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    candidate = secrets.token_urlsafe(48)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker won the race
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(candidate)
    return candidate
