"""Start a WSGI app under gunicorn on a free loopback port for the duration of a block."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(app: str, *, workers: int, env: dict[str, str] | None = None,
             ready_path: str = "/api/", threads: int = 1, root: Path = ROOT) -> Iterator[int]:
    """Serve ``app`` (``module:variable``) with sync workers (threaded ones when
    ``threads`` > 1, as ``tests/e2e`` serves it) from the checkout at ``root``; yields the
    port."""
    port = free_port()
    environment = dict(os.environ, PYTHONPATH=str(root), **(env or {}))
    worker = ["--worker-class", "sync"] if threads == 1 else ["--threads", str(threads)]
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers",
         str(workers), *worker, "--log-level", "warning", app],
        cwd=root, env=environment)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=2)
                break
            except urllib.error.HTTPError:
                break  # it answers, even if with an error status
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn {app} did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM (gunicorn's graceful shutdown), then SIGKILL after 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
