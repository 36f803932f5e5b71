"""The single dispatch endpoint ``/api/`` and ``/healthz``."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, request
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


def request_parameters() -> Params:
    """The query string and the form body as one list of pairs, in arrival order.

    Both are split from the WSGI environ and the raw body (:func:`split_pairs`, what
    werkzeug's ``request.args`` decodes, without its MultiDict); only another body type
    goes through werkzeug's form machinery (the official client sends urlencoded bodies).
    """
    environ = request.environ
    query = environ.get("QUERY_STRING", "")
    # the WSGI string is bytes as latin-1: decoded as werkzeug's ``request.args`` does
    params = Params(split_pairs(query.encode("latin1").decode(), "werkzeug.url_quote")
                    if query else ())
    mimetype = environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower()
    if mimetype == _FORM:
        body = request.get_data(cache=False, as_text=True, parse_form_data=False)
        params.pairs.extend(split_pairs(body))
    elif mimetype:
        params.pairs.extend(request.form.items(multi=True))
    return params


def _authenticate(transport: dict[str, str], arguments: list[tuple[str, str]]) -> auth.Caller:
    config = current_app.config
    token = auth.bearer_token(request)
    if token is not None:
        return auth.caller_for_token(config["SECRET_KEY"], token, config["TOKEN_MAX_MINUTES"])
    if not transport.get("access_key_id"):
        raise AuthFailure("The request is not signed: give access_key_id and signature, "
                          "or an Authorization: Bearer token")
    key = auth.verify_signed_request(request, transport, arguments,
                                     window=config["SIGNATURE_WINDOW"],
                                     trust_forwarded_host=config["TRUST_FORWARDED_HOST"])
    return auth.caller_for_key(key)


def _refuse_replays(transport: dict[str, str]) -> None:
    """With ``REJECT_REPLAYS``, use up the signature of a signed request (not a token's)."""
    config = current_app.config
    if config["REJECT_REPLAYS"] and auth.bearer_token(request) is None:
        replay.accept_once(transport.get("signature") or "", config["SIGNATURE_WINDOW"])


@bp.route("/api/", methods=["GET", "POST"], strict_slashes=False)
@bp.route("/api", methods=["GET", "POST"], strict_slashes=False)
def dispatch() -> Response:
    """Authenticate, find the action, validate its arguments, run it, render the result."""
    params = request_parameters()
    transport = params.transport()
    action_class = registry.get(transport.get("action"))
    version = transport.get("version") or DEFAULT_API_VERSION
    if version not in API_VERSIONS:
        raise InvalidVersion("Invalid API version.")
    arguments = params.arguments()
    refuse_repeated_names(action_class.args_schema, arguments)

    def refuse_replays(action: type[Action]) -> None:
        if action.writes:
            _refuse_replays(transport)

    return json_response(perform(
        action_class, lambda: _authenticate(transport, arguments),
        lambda schema: decode_arguments(schema, arguments), version=version,
        on_authorised=refuse_replays))


@bp.route("/healthz", methods=["GET"])
def healthz() -> Response:
    """200 when the gateway can serve; 503 ``StoreUnavailable`` naming what stops it."""
    problem = store_problem()
    if problem is not None:
        raise StoreUnavailable(problem)
    return json_response({"status": "ok"})
