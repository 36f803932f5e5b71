"""The framework ceiling: a minimal Flask app with one JSON endpoint, served like actiongate."""
from flask import Flask, Response, json

app = Flask(__name__)


@app.route("/api/", methods=["GET", "POST"])
def hello() -> Response:
    return Response(json.dumps({"hello": "world"}), mimetype="application/json")
