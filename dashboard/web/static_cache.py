"""Long cache lifetimes for the assets: Dash links each one with its modification time (`?m=...`), so a changed
file gets a new URL and a year-long, immutable cache entry is safe. Flask's static files default to no-cache,
which cost every warm page a revalidation per asset."""
from __future__ import annotations

import flask

ASSETS_PREFIX = "/assets/"
YEAR = 365 * 24 * 3600


def cache_fingerprinted_assets(server: flask.Flask) -> None:
    @server.after_request
    def long_cache(response: flask.Response) -> flask.Response:
        req = flask.request
        if req.path.startswith(ASSETS_PREFIX) and "m" in req.args and response.status_code == 200:
            response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        return response
