"""Keyset pages deep in a large account: the Acronis ``/activities`` page 1 against page
5,000 at limit 20 on the 1M-activity account (the cursor after the 100,000th activity).

    python -m bench.keyset [--database-url URL] [--repeat 200]

Served in-process through Flask's test client, so both figures carry the same request
overhead; a page after a cursor is a range scan of the ``(account, creation_time, id)``
index, so page 5,000 costs what page 1 does (an OFFSET would read 100,000 rows first).
"""
from __future__ import annotations

import argparse
import statistics
import time

from app import create_app
from app.activity_json import ordering
from app.demo import demo_keys
from app.keyset import Cursors
from app.models import Account, Activity

from .seed import DEFAULT_URL, seed_all

ACCOUNT = "b1m"
LIMIT = 20
DEEP_PAGE = 5_000


def _deep_cursor(secret: str, account_id: int) -> str:
    """The cursor after the last item of page ``DEEP_PAGE - 1`` (newest first), as the
    previous page would have given it."""
    order = ordering("createdAt", True)
    last = (Activity.select(Activity.creation_time, Activity.id)
            .where(Activity.account == account_id).order_by(*order.order_by())
            .offset(LIMIT * (DEEP_PAGE - 1) - 1).limit(1).tuples().get())
    return Cursors(secret, "activities").encode(account_id, order, last)


def measure(url: str, repeat: int = 200) -> dict[str, float]:
    """Median milliseconds of page 1 and of page ``DEEP_PAGE`` (and their ratio)."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    client = app.test_client()
    with app.app_context():
        account = Account.get(Account.name == ACCOUNT)
        cursor = _deep_cursor("bench", account.id)
        keys = demo_keys(f"admin@{ACCOUNT}.example")
    assert keys is not None, f"account {ACCOUNT} is not seeded"
    token = _token(client, keys)
    headers = {"Authorization": f"Bearer {token}"}
    timings: dict[str, list[float]] = {"page1": [], "page5000": []}
    for _ in range(repeat):
        for name, params in (("page1", {"limit": LIMIT}),
                             ("page5000", {"limit": LIMIT, "after": cursor})):
            started = time.perf_counter()
            answer = client.get("/api/task_manager/v2/activities", query_string=params,
                                headers=headers)
            timings[name].append(time.perf_counter() - started)
            assert answer.status_code == 200 and len(answer.get_json()["items"]) == LIMIT
    page1 = 1000 * statistics.median(timings["page1"])
    deep = 1000 * statistics.median(timings["page5000"])
    return {"page1_ms": page1, "page5000_ms": deep, "ratio": deep / page1}


def _token(client, keys: dict[str, str]) -> str:
    """A bearer token from the Acronis token route."""
    answer = client.post("/api/2/idp/token", data={"grant_type": "client_credentials"},
                         auth=(keys["access_key"], keys["secret_key"]))
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["access_token"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    seed_all(args.database_url)
    figures = measure(args.database_url, args.repeat)
    print(f"Acronis /activities limit {LIMIT} on {ACCOUNT}: page 1 {figures['page1_ms']:.2f} ms, "
          f"page {DEEP_PAGE:,} {figures['page5000_ms']:.2f} ms, "
          f"ratio {figures['ratio']:.2f} (goal <= 1.5)")


if __name__ == "__main__":
    main()
