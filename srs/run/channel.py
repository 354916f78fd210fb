"""The worker's report channel, which is also its lifeline: a pipe on Linux, a loopback socket elsewhere.

On Linux the worker reports on a pipe handed to it by descriptor number, and watches a second pipe
that only srs holds open (srs.run.lifeline). Elsewhere descriptors cannot be handed over that way
(Windows) or waited on with select() unless they are sockets, so the worker connects to a socket
srs listens on (127.0.0.1, a port chosen by the system), proves with a secret from its environment
that it is the worker srs started, and reports on that connection; when srs ends, the connection
closes, which is the lifeline. Both are used the same way: `worker_args` and `pass_fds` to start
the worker, `wait` and `receive` to read its reports, `close` at the end.
"""

from __future__ import annotations

import os
import select
import time
from typing import TYPE_CHECKING

from srs.run.portable import fast_paths

if TYPE_CHECKING:
    import socket

TOKEN_VARIABLE = "SRS_REPORT_TOKEN"
"""Environment variable holding the secret a worker sends first on a socket channel."""
PIPE_SIZE = 1 << 20
"""Bytes the report pipe may hold (Linux's default per-user limit for one pipe)."""


class PipeChannel:
    """Reports on a pipe; the lifeline is a second pipe whose writer srs keeps and never writes to."""

    def __init__(self) -> None:
        self.read_end, self._write_end = os.pipe()
        _widen(self._write_end)
        self._lifeline_read, self._lifeline = os.pipe()
        self.pass_fds = (self._write_end, self._lifeline_read)
        self.environment: dict[str, str] = {}

    def worker_args(self) -> list[str]:
        """The report and lifeline arguments of the worker's command line."""
        return [str(self._write_end), str(self._lifeline_read)]

    def started(self) -> None:
        """The worker has its copies of the child's ends; srs closes its own."""
        os.close(self._write_end)
        os.close(self._lifeline_read)

    def wait(self, seconds: float) -> bool:
        """Is there something to read (or the end of the reports) within `seconds`?"""
        return bool(select.select([self.read_end], [], [], max(seconds, 0.0))[0])

    def receive(self) -> bytes:
        """What the worker sent (b"" once it has closed its end); call after `wait` said so."""
        return os.read(self.read_end, 1 << 16)

    def close(self) -> None:
        """Close srs's ends: the reports, and the lifeline (the worker ends if it still runs)."""
        os.close(self.read_end)
        os.close(self._lifeline)


class SocketChannel:
    """Reports and lifeline on one loopback connection that the worker opens."""

    def __init__(self) -> None:
        import secrets
        import socket

        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(4)
        self._token = secrets.token_hex(16)
        self._connection: socket.socket | None = None
        self.pass_fds: tuple[int, ...] = ()
        self.environment = {TOKEN_VARIABLE: self._token}

    def worker_args(self) -> list[str]:
        """The report argument (`tcp:PORT`) and an empty lifeline argument."""
        return [f"tcp:{self._listener.getsockname()[1]}", "-"]

    def started(self) -> None:
        """Nothing to close: the worker connects by itself."""

    def wait(self, seconds: float) -> bool:
        """Is there something to read within `seconds` (once the worker has connected)?"""
        end = time.monotonic() + max(seconds, 0.0)
        while self._connection is None:
            if not select.select([self._listener], [], [], max(end - time.monotonic(), 0.0))[0]:
                return False
            self._accept()
        return bool(select.select([self._connection], [], [], max(end - time.monotonic(), 0.0))[0])

    def _accept(self) -> None:
        """Take a waiting connection if it proves to be the worker's (its first line is the secret)."""
        connection, _address = self._listener.accept()
        connection.settimeout(5.0)
        try:
            proof = connection.recv(len(self._token) + 1)
        except OSError:
            proof = b""
        if proof == f"{self._token}\n".encode():
            connection.settimeout(None)
            self._connection = connection
        else:
            connection.close()

    def receive(self) -> bytes:
        """What the worker sent (b"" once it has closed its end); call after `wait` said so."""
        assert self._connection is not None
        try:
            return self._connection.recv(1 << 16)
        except ConnectionError:
            return b""

    def close(self) -> None:
        """Close the connection (the worker ends if it still runs) and stop listening."""
        if self._connection is not None:
            self._connection.close()
        self._listener.close()


Channel = PipeChannel | SocketChannel


def open_channel() -> Channel:
    """The report channel this platform uses (see srs.run.portable)."""
    return PipeChannel() if fast_paths() else SocketChannel()


def _widen(fd: int) -> None:
    """Give the report pipe room for many results, so the worker never waits on a busy parent
    (Linux's F_SETPIPE_SZ; the only caller is the Linux path)."""
    import contextlib
    import fcntl

    set_pipe_size = getattr(fcntl, "F_SETPIPE_SZ", 1031)
    with contextlib.suppress(OSError):
        fcntl.fcntl(fd, set_pipe_size, PIPE_SIZE)


def connect_report(argument: str) -> socket.socket:
    """In the worker: the connection to srs for a `tcp:PORT` report argument, after the secret."""
    import socket

    port = int(argument.removeprefix("tcp:"))
    connection = socket.create_connection(("127.0.0.1", port))
    # the secret is srs's and the worker's: the lesson and what it starts do not see it
    connection.sendall(f"{os.environ.pop(TOKEN_VARIABLE, '')}\n".encode())
    return connection
