"""SMTP delivery with the standard library. IMD_SMTP_URL (read in app.py) looks like
smtp://host:25, smtp://user:password@host:587?starttls=1 or smtps://user:password@host:465, with an optional
?from=imd@example.org (default imd@localhost)."""
from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit


class SmtpUrlError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    ssl: bool = False
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    sender: str = "imd@localhost"
    timeout: float = 30.0


def parse_smtp_url(url: str) -> SmtpConfig:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise SmtpUrlError(f"IMD_SMTP_URL '{parts.scheme}://{parts.hostname or ''}…' is not smtp://host[:port] "
                           "or smtps://host[:port]")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        raise SmtpUrlError("IMD_SMTP_URL has a port that is not a number") from None
    return SmtpConfig(parts.hostname, port, ssl=parts.scheme == "smtps",
                      starttls=query.get("starttls", "0").lower() in ("1", "true", "yes"),
                      username=unquote(parts.username) if parts.username else None,
                      password=unquote(parts.password) if parts.password else None,
                      sender=query.get("from", "imd@localhost"))


class Mailer:
    """One SMTP session for a run's digests."""

    def __init__(self, config: SmtpConfig):
        self.config = config
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        c = self.config
        self._smtp = (smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout) if c.ssl
                      else smtplib.SMTP(c.host, c.port, timeout=c.timeout))
        if c.starttls:
            self._smtp.starttls()
        if c.username:
            self._smtp.login(c.username, c.password or "")
        return self

    def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.config.sender, to, subject
        message.set_content(body)
        self._smtp.send_message(message)

    def __exit__(self, *exc) -> None:
        try:
            self._smtp.quit()
        except smtplib.SMTPException:
            pass
