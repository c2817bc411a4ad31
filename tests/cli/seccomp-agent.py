#!/usr/bin/env python3
# A seccomp agent for the runtime-spec listenerPath protocol, for the tests:
# accepts one connection on SOCKET, writes the ContainerProcessState JSON it
# receives to OUT, and answers every notification on the fd that came with it
# with errno ERRNO, until every process using the filter has ended.
import fcntl, json, os, select, socket, struct, sys

sock_path, out, err = sys.argv[1], sys.argv[2], int(sys.argv[3])
NOTIF_RECV = 0xC0502100   # _IOWR('!', 0, struct seccomp_notif)  (80 bytes)
NOTIF_SEND = 0xC0182101   # _IOWR('!', 1, struct seccomp_notif_resp)  (24 bytes)

srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(sock_path)
srv.listen(1)
open(out + ".ready", "w").close()
conn, _ = srv.accept()
msg, fds, _, _ = socket.recv_fds(conn, 65536, 1)
conn.close()
state = json.loads(msg)
state["received_fds"] = len(fds)
with open(out, "w") as f:
    json.dump(state, f)
fd = fds[0]
while True:
    r, _, x = select.select([fd], [], [fd])
    if x and not r:
        break
    buf = bytearray(80)
    try:
        fcntl.ioctl(fd, NOTIF_RECV, buf, True)
    except OSError:
        # ENOENT: the caller went away; EBADF or the like: the filter is gone
        if not select.select([fd], [], [], 0)[0]:
            continue
        break
    nid = struct.unpack_from("=Q", buf, 0)[0]
    nr = struct.unpack_from("=i", buf, 16)[0]
    with open(out + ".calls", "a") as f:
        f.write("%d\n" % nr)
    try:
        fcntl.ioctl(fd, NOTIF_SEND, bytearray(struct.pack("=QqiI", nid, 0, -err, 0)), True)
    except OSError:
        pass
