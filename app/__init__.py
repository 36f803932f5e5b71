"""actiongate: a gateway for the legacy action-style RPC protocol."""
from __future__ import annotations

import os
from typing import Any, Mapping

from flask import Flask

__version__ = "0.1.0"


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the WSGI application: configuration, store, the dispatch endpoint, errors, CLI."""
    app = Flask(__name__, instance_path=os.environ.get("ACTIONGATE_INSTANCE_PATH"),
                instance_relative_config=True)
    from . import cli, config, db, dialects, errors, gateway, request_id

    app.config.from_mapping(config.defaults(app.instance_path))
    app.config.update(config.from_environment())
    if test_config is not None:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.instance_secret(app.instance_path)

    # SECRET_KEY signs bearer tokens; the gateway has no cookie sessions, and opening one
    # per request would cost more than authenticating the request.
    app.session_interface = gateway.NoSessions()
    # A doubled slash is an unknown path (a JSON 404), not Werkzeug's HTML 308 redirect.
    app.url_map.merge_slashes = False
    db.init_database(app.config["DATABASE_URL"], busy_timeout=app.config["BUSY_TIMEOUT"])
    db.init_app(app)
    errors.init_app(app)
    request_id.init_app(app)
    import actions  # noqa: F401  (registers every action)
    app.register_blueprint(gateway.bp)
    dialects.init_app(app)
    cli.init_app(app)
    return app
