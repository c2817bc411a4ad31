#!/usr/bin/env python3
"""Print every seccomp audit record (type 1326) the kernel sends until
SIGTERM: one line each, "pid=N comm=C exe=E syscall=NR code=0xC".  Reads
the audit multicast group, which gets every record (the kernel log's copy
is rate-limited) and takes nothing from auditd.  Prints "ready" on
standard error once listening."""
import os
import re
import signal
import socket
import struct
import sys

REC = re.compile(r'pid=(\d+) comm="?(.*?)"? exe="?(.*?)"? sig=\d+ arch=[0-9a-f]+ syscall=(\d+) .*?code=(0x[0-9a-f]+)')
out = open(sys.argv[1], "w", buffering=1) if len(sys.argv) > 1 else sys.stdout
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 9)        # NETLINK_AUDIT
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.bind((0, 1))                                                  # AUDIT_NLGRP_READLOG
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
print("ready", file=sys.stderr, flush=True)
while True:
    data = s.recv(1 << 16)
    off = 0
    while off + 16 <= len(data):
        ln, typ = struct.unpack_from("=IH", data, off)
        text = data[off + 16:off + ln].decode(errors="replace")
        off += (ln + 3) & ~3 if ln else len(data)
        m = REC.search(text) if typ == 1326 else None
        if m:
            out.write("pid=%s comm=%s exe=%s syscall=%s code=%s\n" % m.groups())
