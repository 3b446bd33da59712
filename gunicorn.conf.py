"""Gunicorn settings for the dashboard's web workers. Workers and bind come from `app.py serve --prod`."""
# Sync workers: callbacks are short, CPU-bound pandas work; concurrency comes from processes.
worker_class = "sync"
preload_app = False  # each worker opens its own connection pool after the fork
timeout = 60
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then so a slow leak in a dependency cannot grow without bound.
max_requests = 5000
max_requests_jitter = 500
accesslog = None
errorlog = "-"
loglevel = "warning"
