#!/usr/bin/env python3
"""Cyrus logs only to syslog. In a container without /dev/log, `CYRUS_SYSLOG_SINK=1 start.sh DIR`
runs this: it binds the datagram socket and appends every message to a file, to see why Cyrus
refused something.

    syslog-sink.py /dev/log OUT_FILE
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import time


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else "/dev/log"
    out = sys.argv[2] if len(sys.argv) > 2 else "syslog.log"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    sink = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sink.bind(path)
    os.chmod(path, 0o666)  # noqa: S103 (every local daemon must be able to log)
    with open(out, "a", buffering=1, encoding="utf-8") as f:
        while True:
            data = sink.recv(65536)
            text = data.decode("utf-8", "replace").rstrip("\x00\n")
            f.write(time.strftime("%H:%M:%S ") + text + "\n")


if __name__ == "__main__":
    main()
