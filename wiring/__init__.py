"""The composition root behind app.py: settings from the environment, the web app and the scheduler."""
