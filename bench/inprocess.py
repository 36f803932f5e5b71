"""Signed limit-20 ``GetActivities`` requests served in-process through Flask's test client:
a quick before/after figure for changes on the request path (no gunicorn, no sockets).

    python -m bench.inprocess [--requests 2000] [--rounds 5]

Seeds a 10,000-activity demo account in a temporary SQLite store, then sends the same
signed requests back to back and prints the best and median microseconds per request
over the rounds (CPU time of this process).
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from app import create_app
from app.auth import TIMESTAMP_FORMAT, sign
from app.db import upgrade_schema
from app.demo import seed

QUERY = "status:succeeded computer:tag:laptop"


def signed_body(keys: dict[str, str], host: str) -> str:
    params = {"action": "GetActivities", "version": "2011-08-01", "query": QUERY,
              "limit": "20", "access_key_id": keys["access_key"],
              "signature_method": "HmacSHA256", "signature_version": "2",
              "timestamp": time.strftime(TIMESTAMP_FORMAT, time.gmtime())}
    params["signature"] = sign(keys["secret_key"], "POST", host, "/api/", params)
    return urlencode(params)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.db'}",
                          "SECRET_KEY": "bench", "TESTING": True})
        with app.app_context():
            upgrade_schema()
            keys = seed("bench", computers=1000, activities=10000)
        client = app.test_client()
        host = "localhost"
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        bodies = [signed_body(keys, host) for _ in range(args.requests)]
        assert client.post("/api/", data=bodies[0], headers=headers).status_code == 200
        per_request = []
        for _ in range(args.rounds):
            started = time.process_time()
            for body in bodies:
                if client.post("/api/", data=body, headers=headers).status_code != 200:
                    raise SystemExit("a request failed")
            per_request.append((time.process_time() - started) / args.requests * 1e6)
        print(f"limit-20 GetActivities in-process, {args.requests} requests x {args.rounds}: "
              f"best {min(per_request):.0f} µs, median {statistics.median(per_request):.0f} µs"
              f" ({', '.join(f'{v:.0f}' for v in per_request)})")


if __name__ == "__main__":
    main()
