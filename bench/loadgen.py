"""A closed-loop HTTP load generator that signs every request like the official client.

Several processes each send one request at a time for a fixed duration over fresh
connections (gunicorn's sync workers close every connection) and record latencies.
"""
from __future__ import annotations

import http.client
import multiprocessing
import statistics
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from app.auth import TIMESTAMP_FORMAT, sign


@dataclass(frozen=True)
class Target:
    """Where to send and how to sign: ``key`` is ``(access, secret)`` or ``None``."""

    host: str
    port: int
    action: str
    arguments: tuple[tuple[str, str], ...] = ()
    key: tuple[str, str] | None = None
    path: str = "/api/"


def signed_body(target: Target) -> str:
    """The form body of one request, signed now (as the official client does per call)."""
    params = dict(target.arguments)
    params.update({"action": target.action, "version": "2011-08-01"})
    if target.key is not None:
        params.update({"access_key_id": target.key[0], "signature_method": "HmacSHA256",
                       "signature_version": "2",
                       "timestamp": time.strftime(TIMESTAMP_FORMAT, time.gmtime())})
        params["signature"] = sign(target.key[1], "POST", f"{target.host}:{target.port}",
                                   target.path, params)
    return urlencode(params)


def _worker(target: Target, duration: float, results) -> None:
    latencies: list[float] = []
    errors = 0
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "Host": f"{target.host}:{target.port}"}
    deadline = time.perf_counter() + duration
    while time.perf_counter() < deadline:
        body = signed_body(target)
        started = time.perf_counter()
        connection = http.client.HTTPConnection(target.host, target.port, timeout=60)
        try:
            connection.request("POST", target.path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                errors += 1
        except OSError:
            errors += 1
        finally:
            connection.close()
        latencies.append(time.perf_counter() - started)
    results.put((latencies, errors))


def run_load(target: Target, *, duration: float = 10.0, processes: int = 4,
             warmup: float = 1.0) -> dict[str, float]:
    """Requests per second, p50 and p99 latency (ms) and the error count."""
    if warmup:
        _collect(target, warmup, processes)
    started = time.perf_counter()
    latencies, errors = _collect(target, duration, processes)
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else float("nan"),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))] if latencies
        else float("nan"),
        "errors": errors,
    }


def _collect(target: Target, duration: float, processes: int) -> tuple[list[float], int]:
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    workers = [context.Process(target=_worker, args=(target, duration, results))
               for _ in range(processes)]
    for worker in workers:
        worker.start()
    latencies: list[float] = []
    errors = 0
    for _ in workers:
        batch, failed = results.get()
        latencies.extend(batch)
        errors += failed
    for worker in workers:
        worker.join()
    return latencies, errors
