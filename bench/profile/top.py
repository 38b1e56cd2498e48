"""Sums async-profiler collapsed stacks: share per thread, top self frames, inclusive share of a few.

top.py <profile.collapsed> [<report.json> <seconds profiled>]: with the load generator's report and how
many seconds of its window the profile covered, also the event loops' samples per GB delivered (kernel
and user space) and the JIT compiler's: figures two builds' profiles can be compared by, where shares
of each profile's own total cannot (a build that does less has larger shares of what is left).
"""
import collections
import json
import sys

INCLUSIVE = ["LocalGroup.packet", "PlayerQueue.offer", "WriteMerger.write", "deferredFlush", "flush0",
             "ChunkDecoder", "epoll_wait", "[k]", "C2 CompilerThre",
             # HLS: the handlers, the hop to the stream's HLS context, the router, the session count.
             "HlsHandler", "HlsService", "BlockedRequests", "withSegmentQuery", "HlsSessionHook",
             "RouterImpl", "Http1xServerConnection.handleMessage", "HttpObjectDecoder", "HttpObjectEncoder",
             "writev", "sendfile", "copyMemory"]

total = 0
loop_kernel = 0
loop_user = 0
jit = 0
threads = collections.Counter()
own = collections.Counter()
inclusive = collections.Counter()
with open(sys.argv[1]) as stacks:
    for line in stacks:
        stack, count = line.rsplit(" ", 1)
        count = int(count)
        frames = stack.split(";")
        total += count
        thread = frames[0].split(" tid=")[0]
        threads[thread] += count
        if "eventloop" in thread:
            if any(frame.endswith("_[k]") for frame in frames):
                loop_kernel += count
            else:
                loop_user += count
        elif "CompilerThre" in thread:
            jit += count
        own[frames[-1]] += count
        for name in INCLUSIVE:
            if any(name in frame for frame in frames):
                inclusive[name] += count
print(f"samples: {total} (1 ms of CPU each)")
print("threads:")
for name, count in threads.most_common(8):
    print(f"  {100 * count / total:5.1f}%  {name}")
print("self time, top 25 frames:")
for name, count in own.most_common(25):
    print(f"  {100 * count / total:5.1f}%  {name[:140]}")
print("inclusive:")
for name in INCLUSIVE:
    print(f"  {100 * inclusive[name] / total:5.1f}%  {name}")
if len(sys.argv) > 3:
    with open(sys.argv[2]) as file:
        report = json.load(file)
    # The traffic is the window's; the profile covered part of it.
    gb = report["traffic"]["bytes"] / 1e9 * float(sys.argv[3]) / report["settings"]["windowSeconds"]
    print(f"per GB delivered: event loops {(loop_kernel + loop_user) / gb:.0f} samples (kernel "
          f"{loop_kernel / gb:.0f}, user space {loop_user / gb:.0f}), JIT compiler {jit / gb:.0f}")
