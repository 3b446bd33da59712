"""Quarterly briefings: narrative, charts, HTML/PDF/PNG rendering, the scheduler job and the download routes."""
