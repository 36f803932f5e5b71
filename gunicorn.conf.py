"""gunicorn settings for actiongate (``actiongate serve`` and ``gunicorn -c gunicorn.conf.py
wsgi:app`` use them; command-line options override them).

Environment: ``ACTIONGATE_BIND`` (default ``127.0.0.1:8080``), ``ACTIONGATE_WORKERS``
(default 2 × CPUs + 1), ``ACTIONGATE_THREADS`` (default 1), ``ACTIONGATE_WORKER_TIMEOUT``
(seconds, default 60).
"""
import os

bind = os.environ.get("ACTIONGATE_BIND", "127.0.0.1:8080")
workers = int(os.environ.get("ACTIONGATE_WORKERS", 0)) or (os.cpu_count() or 1) * 2 + 1
threads = int(os.environ.get("ACTIONGATE_THREADS", 1))

# A worker silent for this long is killed and replaced. It must exceed the store's busy
# timeout (ACTIONGATE_BUSY_TIMEOUT, 5 s), so that a request waiting for a lock answers 503
# rather than losing its worker, and leave room for a large bulk change.
timeout = int(os.environ.get("ACTIONGATE_WORKER_TIMEOUT", 60))
# On SIGTERM/SIGHUP workers finish the requests in hand for up to this long.
graceful_timeout = 30
keepalive = 5

# Request limits: a signed GET carries every argument in its request line; past these,
# gunicorn answers 414/400 before the application sees the request (POST has no such
# limit short of the 1 MiB body limit of the application).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

accesslog = "-"
# %({x-request-id}o)s: the id the gateway answers in X-Request-Id (the client's own when
# sane, else generated); its error log names the same id.
access_log_format = ('%(h)s %({x-request-id}o)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms '
                     '"%(a)s"')
