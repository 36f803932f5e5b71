"""The single dispatch endpoint ``/api/`` and ``/healthz``."""
from __future__ import annotations

from flask import Blueprint, Config, Request, Response, current_app, request
from flask.sessions import SessionInterface

from actions import registry
from actions.base import Action

from . import auth, replay
from .config import API_VERSIONS, DEFAULT_API_VERSION
from .encoding import Params, decode_arguments, refuse_repeated_names, split_pairs
from .errors import AuthFailure, InvalidVersion, StoreUnavailable
from .health import store_problem
from .invocation import perform
from .rendering import json_response

bp = Blueprint("gateway", __name__)


class NoSessions(SessionInterface):
    """Flask's session hooks, answered without touching cookies (requests carry keys)."""

    def open_session(self, app, request):  # type: ignore[no-untyped-def]
        return None  # Flask substitutes its NullSession

    def save_session(self, app, session, response) -> None:  # type: ignore[no-untyped-def]
        return None


_FORM = "application/x-www-form-urlencoded"


def request_parameters(req: Request) -> Params:
    """The query string and the form body as one list of pairs, in arrival order.

    Both are split from the WSGI environ and the raw body (:func:`split_pairs`, what
    werkzeug's ``request.args`` decodes, without its MultiDict); only another body type
    goes through werkzeug's form machinery (the official client sends urlencoded bodies).
    """
    environ = req.environ
    query = environ.get("QUERY_STRING", "")
    # the WSGI string is bytes as latin-1: decoded as werkzeug's ``request.args`` does
    params = Params(split_pairs(query.encode("latin1").decode(), "werkzeug.url_quote")
                    if query else ())
    mimetype = environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower()
    if mimetype == _FORM:
        body = req.get_data(cache=False, as_text=True, parse_form_data=False)
        params.pairs.extend(split_pairs(body))
    elif mimetype:
        params.pairs.extend(req.form.items(multi=True))
    return params


def _authenticate(req: Request, config: Config, token: str | None,
                  transport: dict[str, str], arguments: list[tuple[str, str]]) -> auth.Caller:
    if token is not None:
        return auth.caller_for_token(config["SECRET_KEY"], token, config["TOKEN_MAX_MINUTES"])
    if not transport.get("access_key_id"):
        raise AuthFailure("The request is not signed: give access_key_id and signature, "
                          "or an Authorization: Bearer token")
    key = auth.verify_signed_request(req, transport, arguments,
                                     window=config["SIGNATURE_WINDOW"],
                                     trust_forwarded_host=config["TRUST_FORWARDED_HOST"])
    return auth.caller_for_key(key)


@bp.route("/api/", methods=["GET", "POST"], strict_slashes=False)
@bp.route("/api", methods=["GET", "POST"], strict_slashes=False)
def dispatch() -> Response:
    """Authenticate, find the action, validate its arguments, run it, render the result."""
    req: Request = request._get_current_object()  # type: ignore[attr-defined]
    config = current_app.config
    params = request_parameters(req)
    transport = params.transport()
    action_class = registry.get(transport.get("action"))
    version = transport.get("version") or DEFAULT_API_VERSION
    if version not in API_VERSIONS:
        raise InvalidVersion("Invalid API version.")
    arguments = params.arguments()
    refuse_repeated_names(action_class.args_schema, arguments)
    token = auth.bearer_token(req)

    def refuse_replays(action: type[Action]) -> None:
        # With REJECT_REPLAYS, a writing action uses up the signature of a signed request
        # (not a token's).
        if action.writes and config["REJECT_REPLAYS"] and token is None:
            replay.accept_once(transport.get("signature") or "", config["SIGNATURE_WINDOW"])

    return json_response(perform(
        action_class, lambda: _authenticate(req, config, token, transport, arguments),
        lambda schema: decode_arguments(schema, arguments), version=version,
        on_authorised=refuse_replays))


@bp.route("/healthz", methods=["GET"])
def healthz() -> Response:
    """200 when the gateway can serve; 503 ``StoreUnavailable`` naming what stops it."""
    problem = store_problem()
    if problem is not None:
        raise StoreUnavailable(problem)
    return json_response({"status": "ok"})
