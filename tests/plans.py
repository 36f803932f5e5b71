"""The query plan of a Peewee query on the store under test, for the plan tests."""
from __future__ import annotations

from typing import Any

from app.models import database


def plan(query: Any, is_postgres: bool) -> str:
    """The plan's lines joined by `` | ``: PostgreSQL's ``EXPLAIN`` with sequential scans
    disabled (a small test table is cheaper to scan, but the planner still scans when no
    index can serve the condition, so an index in the plan shows that one can), SQLite's
    ``EXPLAIN QUERY PLAN`` details."""
    sql, params = query.sql()
    if is_postgres:
        with database.atomic():
            database.execute_sql("SET LOCAL enable_seqscan = off")
            rows = database.execute_sql("EXPLAIN " + sql, params).fetchall()
        return " | ".join(row[0].strip() for row in rows)
    return " | ".join(row[-1] for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql,
                                                               params))
