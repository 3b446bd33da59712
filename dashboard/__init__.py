"""The IMD dashboard: a Dash multi-page app over the metrics query API."""
from dashboard.app_factory import create_app

__all__ = ["create_app"]
