"""Gunicorn settings for Passerelle: `gunicorn -c deploy/gunicorn.conf.py`.

Workers default to 4 x cores, counted when gunicorn starts on the cores this process may use;
GUNICORN_WORKERS overrides it. Every other value can be changed from the environment too.
"""

import os


def usable_cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers(cores):
    """Four sync workers per core. A request waits on PostgreSQL and Redis for about as long as
    it computes, and a sync worker waiting holds its core idle: with the usual 2 x cores + 1 (5
    on the 2-core server), the load scenario (bench/load.sh) left about a sixth of the cores
    idle while requests queued (p95 1.5 s); with 8, it served more with a p95 of 170-240 ms. Each
    worker costs its memory (some 150 MB, and the pool insight's copy: 37 MB at 100,000
    job-seekers) and up to DATABASE_POOL_MAX_SIZE connections."""
    return 4 * cores


wsgi_app = "college.wsgi:application"
chdir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("GUNICORN_WORKERS") or default_workers(usable_cores()))
worker_class = "sync"
# Slow clients are the load balancer's business (nginx buffers requests and responses).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak never grows; not too often: a new worker
# spends about a second of CPU starting (at 150 requests a second, 2,000 requests recycled a
# worker every minute).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
# Never load the application before forking: each worker opens its own database pool.
preload_app = False
# The proxies allowed to set X-Forwarded-Proto/-For (the load balancer's addresses).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Requests are logged as JSON lines by college.core.middleware.RequestLogMiddleware.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "passerelle"
# systemd (or compose) manages gunicorn with signals; a control socket in $HOME would be shared
# by every gunicorn of the same user on the machine.
control_socket_disable = True


def post_worker_init(worker):
    """Loads the translations, templates and URLs before the worker's first request, which
    would otherwise pay half a second for them; then leaves those long-lived objects out of the
    garbage collector's full passes."""
    from college.core.warmup import freeze_startup_objects, warm_up

    warm_up()
    freeze_startup_objects()
