"""Source connectors, one module per kind."""
from __future__ import annotations

from etl.config import SourceSpec
from etl.connectors.base import (ROW_REF, Connector, ConnectorError, Scope, SourceDataError,
                                 SourceUnavailableError)


def open_connector(spec: SourceSpec) -> Connector:
    if spec.kind == "sql":
        from etl.connectors.sql import SqlConnector

        return SqlConnector(spec)
    if spec.kind == "files":
        from etl.connectors.files import FilesConnector

        return FilesConnector(spec)
    if spec.kind == "returns":
        from etl.connectors.returns import ReturnsConnector

        return ReturnsConnector(spec)
    from etl.connectors.http import HttpConnector

    return HttpConnector(spec)


__all__ = ["ROW_REF", "Connector", "ConnectorError", "Scope", "SourceDataError", "SourceUnavailableError",
           "open_connector"]
