"""Alerts that reach people: rules evaluated once a day, notices in the app and a daily email digest.

Sits beside the ETL: it reads the store through metrics.api and the source schedules through etl.
"""
