#!/usr/bin/env python3
"""A userspace netem for the faults tests (docs/faults.md): the kernel here has no sch_netem.

Relays Ethernet frames between two TAP devices, the simulated host's own interface (in its network
namespace) and its port on the LAN bridge (in the LAN's namespace). IPv4 frames between the host's
address and the peer's are delayed by --delay-ms and lost with probability --loss-percent, each way,
as `tc qdisc add dev <link> root netem delay <d>ms loss <p>%` on both ends of the link would; every
other frame passes at once. One thread, select() and a heap of frames due: bounded by --max-queued.

usage: link-emulator.py HOST_NETNS HOST_TAP LAN_NETNS LAN_TAP HOST_ADDRESS PEER_ADDRESS DELAY_MS LOSS_PERCENT
"""
import ctypes
import fcntl
import heapq
import os
import random
import select
import socket
import struct
import sys
import time

CLONE_NEWNET = 0x40000000
TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
MAX_QUEUED = 10000

libc = ctypes.CDLL(None, use_errno=True)


def open_tap(netns, name):
    """Opens the persistent TAP device `name` of network namespace `netns`."""
    ns = os.open("/var/run/netns/" + netns, os.O_RDONLY)
    if libc.setns(ns, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "setns " + netns)
    os.close(ns)
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    os.set_blocking(fd, False)
    return fd


def between(frame, a, b):
    """Whether `frame` is an IPv4 packet from a to b or from b to a."""
    if len(frame) < 34 or frame[12:14] != b"\x08\x00":
        return False
    src, dst = frame[26:30], frame[30:34]
    return (src == a and dst == b) or (src == b and dst == a)


def send(fd, frame):
    try:
        os.write(fd, frame)
    except OSError:
        pass  # the other side is not up yet (EIO), or its queue is full: a loss like any other


def main():
    host_ns, host_tap, lan_ns, lan_tap, host_address, peer_address, delay_ms, loss_percent = sys.argv[1:9]
    host_fd = open_tap(host_ns, host_tap)
    lan_fd = open_tap(lan_ns, lan_tap)
    a, b = socket.inet_aton(host_address), socket.inet_aton(peer_address)
    delay, loss = float(delay_ms) / 1000.0, float(loss_percent) / 100.0
    other = {host_fd: lan_fd, lan_fd: host_fd}
    due = []  # (time due, sequence, fd to write, frame)
    sequence = 0
    delayed = lost = reported = 0
    print("link emulator up: %s<->%s delay %s ms loss %s %%" % (host_address, peer_address, delay_ms, loss_percent),
          flush=True)
    while True:
        timeout = max(0.0, due[0][0] - time.monotonic()) if due else 1.0
        readable, _, _ = select.select([host_fd, lan_fd], [], [], timeout)
        for fd in readable:
            while True:
                try:
                    frame = os.read(fd, 65536)
                except BlockingIOError:
                    break
                if not between(frame, a, b):
                    send(other[fd], frame)
                    continue
                if random.random() < loss:
                    lost += 1
                    continue
                if len(due) >= MAX_QUEUED:
                    lost += 1
                    continue
                sequence += 1
                delayed += 1
                heapq.heappush(due, (time.monotonic() + delay, sequence, other[fd], frame))
        now = time.monotonic()
        while due and due[0][0] <= now:
            _, _, fd, frame = heapq.heappop(due)
            send(fd, frame)
        if delayed - reported >= 1000:
            reported = delayed
            print("delayed %d lost %d" % (delayed, lost), flush=True)


if __name__ == "__main__":
    main()
