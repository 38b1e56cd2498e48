package dev.streamedge.session;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every connected client of this node, by id, for the API. Clients add themselves when they connect
 * and remove themselves when they close, from any event loop, without a lock. The registry holds at
 * most {@code capacity} clients, the sum of the connection limits: an RTMP connection is one client,
 * and so is each FLV player, which holds an HTTP connection (several only over HTTP/2, which is why
 * the bound is enforced here too).
 */
public final class ClientRegistry {

  private final ConcurrentHashMap<Long, Client> clients = new ConcurrentHashMap<>();
  private final AtomicLong lastId = new AtomicLong();
  private final AtomicInteger size = new AtomicInteger();
  private final int capacity;

  public ClientRegistry(int capacity) {
    this.capacity = capacity;
  }

  /** Adds {@code client}; returns its id, or -1 when the registry is full and the client must be refused. */
  public long add(Client client) {
    if (size.incrementAndGet() > capacity) {
      size.decrementAndGet();
      return -1;
    }
    long id = lastId.incrementAndGet();
    clients.put(id, client);
    return id;
  }

  /** How many clients were added since the start (nginx-rtmp's {@code naccepted}). */
  public long accepted() {
    return lastId.get();
  }

  /** Removes the client with {@code id}; nothing when there is none. Idempotent. */
  public void remove(long id) {
    if (clients.remove(id) != null) {
      size.decrementAndGet();
    }
  }

  /** Disconnects client {@code id} on its own context; false when there is no such client. */
  /**
   * Moves client {@code id}'s play or publish to stream {@code name} of its app (see {@link Client#redirect});
   * whether it could.
   */
  public boolean redirect(long id, String name) {
    Client client = clients.get(id);
    return client != null && client.redirect(name);
  }

  public boolean kick(long id, String reason) {
    Client client = clients.get(id);
    if (client == null) {
      return false;
    }
    client.kick(reason);
    return true;
  }

  /**
   * Snapshots of every client, by id. Each is taken on its client's context, with one hop per context
   * for all its clients, not one per client.
   */
  public Future<List<ClientInfo>> infos() {
    Map<Context, List<Client>> byContext = new HashMap<>();
    clients.values().forEach(client -> byContext.computeIfAbsent(client.context(), c -> new ArrayList<>()).add(client));
    List<Future<List<ClientInfo>>> each = new ArrayList<>(byContext.size());
    byContext.forEach((context, group) -> {
      Promise<List<ClientInfo>> promise = Promise.promise();
      context.runOnContext(v -> {
        List<ClientInfo> infos = new ArrayList<>(group.size());
        for (Client client : group) {
          ClientInfo info = client.info();
          // One that closed since the map was read is gone: it removed itself on its context.
          if (clients.get(info.id()) == client) {
            infos.add(info);
          }
        }
        promise.complete(infos);
      });
      each.add(promise.future());
    });
    return Future.all(each).map(all -> each.stream()
        .flatMap(future -> future.result().stream())
        .sorted(Comparator.comparingLong(ClientInfo::id))
        .toList());
  }
}
