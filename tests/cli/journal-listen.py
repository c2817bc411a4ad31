#!/usr/bin/env python3
# journal-listen.py SOCKET OUT: a stand-in for the journal at SOCKET (a
# datagram socket, journald's native one or /dev/log); each message it
# receives becomes one line of OUT: for the native protocol
# "IDENTIFIER PRIORITY MESSAGE", else the datagram as it came.
import os, socket, sys

path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
with open(out, "a") as f:
    while True:
        d = s.recv(1 << 16).decode()
        if "\n" in d:
            fields = dict(l.split("=", 1) for l in d.split("\n") if "=" in l)
            d = "%s %s %s" % (fields.get("SYSLOG_IDENTIFIER"), fields.get("PRIORITY"), fields.get("MESSAGE"))
        f.write(d + "\n")
        f.flush()
