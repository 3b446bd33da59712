"""The Flask side of the dashboard: sign-in, the JSON API and its OpenAPI document, admin routes, brief downloads."""
