"""The embedded default's web server: waitress (a production WSGI server, threads in one process, so the
in-process scheduler runs once), not Werkzeug's development server. IMD_DEBUG=1 keeps Dash's debug server."""
from __future__ import annotations

import dash

THREADS = 8  # Dash fires a page's callbacks in parallel


def serve_embedded(app: dash.Dash, *, host: str, port: int, debug: bool = False) -> None:
    if debug:
        app.run(host=host, port=port, debug=True)
        return
    import waitress

    print(f"IMD serving on http://{host}:{port} (waitress, {THREADS} threads)", flush=True)
    waitress.serve(app.server, host=host, port=port, threads=THREADS, ident="IMD",
                   channel_timeout=120, clear_untrusted_proxy_headers=True)
