"""Reusable layout pieces: the shell with the global controls, KPI cards, chart cards, tables, downloads."""
