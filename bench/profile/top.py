"""Sums async-profiler collapsed stacks: share per thread, top self frames, inclusive share of a few."""
import collections
import sys

INCLUSIVE = ["LocalGroup.packet", "PlayerQueue.offer", "WriteMerger.write", "deferredFlush", "flush0",
             "ChunkDecoder", "epoll_wait", "[k]", "C2 CompilerThre",
             # HLS: the handlers, the hop to the stream's HLS context, the router, the session count.
             "HlsHandler", "HlsService", "BlockedRequests", "withSegmentQuery", "HlsSessionHook",
             "RouterImpl", "Http1xServerConnection.handleMessage", "HttpObjectDecoder", "HttpObjectEncoder",
             "writev", "sendfile", "copyMemory"]

total = 0
threads = collections.Counter()
own = collections.Counter()
inclusive = collections.Counter()
with open(sys.argv[1]) as stacks:
    for line in stacks:
        stack, count = line.rsplit(" ", 1)
        count = int(count)
        frames = stack.split(";")
        total += count
        threads[frames[0].split(" tid=")[0]] += count
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
