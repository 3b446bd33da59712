"""WSGI entry of the production web workers: `python app.py serve --prod`, or
`gunicorn --config gunicorn.conf.py --workers 5 --bind 127.0.0.1:8050 wsgi:server`.

Each worker builds its own engine and app (no preload: engines must not cross a fork). The scheduler is
never started here; it runs as its own process (`python app.py scheduler`).
"""
from app import build_web_app, get_settings

app = build_web_app(get_settings())
server = app.server
