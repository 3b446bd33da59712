"""What every command does with bad input: one line on stderr and exit code 2, never a traceback.

app.py catches the store's own input errors for every command; a command module names the errors of its own
input (a source config, a return type, an alert subscription) with `exit_2_on`.
"""
from __future__ import annotations

import functools
import sys
from collections.abc import Callable

Handler = Callable[..., int]


def exit_2_on(*errors: type[Exception]) -> Callable[[Handler], Handler]:
    """Decorate an `(args, settings) -> exit code` handler so that `errors` end it with code 2 and one line."""
    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def run(args, settings) -> int:
            try:
                return handler(args, settings)
            except errors as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
        return run
    return decorate
