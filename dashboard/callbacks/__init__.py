"""Callbacks, one module per page plus the shell. Registered with `dash.callback` when imported."""
