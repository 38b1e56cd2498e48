package dev.streamedge.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.stream.StreamKey;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ClientRegistryTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void holdsAtMostItsCapacityAndALeavingClientMakesRoom() {
    ClientRegistry registry = new ClientRegistry(2);
    Context context = vertx.getOrCreateContext();
    long first = registry.add(new FakeClient(context));
    long second = registry.add(new FakeClient(context));
    assertThat(first).isPositive();
    assertThat(second).isPositive().isNotEqualTo(first);
    assertThat(registry.add(new FakeClient(context))).as("one past the capacity").isEqualTo(-1);

    registry.remove(first);
    registry.remove(first);
    long third = registry.add(new FakeClient(context));
    assertThat(third).as("ids are not reused").isGreaterThan(second);
    assertThat(registry.add(new FakeClient(context))).as("removing twice freed one place only").isEqualTo(-1);
  }

  @Test
  void listsEveryClientFromItsOwnContextAndKicksOnlyTheOneAsked() throws Exception {
    ClientRegistry registry = new ClientRegistry(10);
    List<FakeClient> clients = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      FakeClient client = new FakeClient(vertx.getOrCreateContext());
      client.id = registry.add(client);
      clients.add(client);
    }
    List<ClientInfo> infos = registry.infos().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(infos).extracting(ClientInfo::id).containsExactly(clients.stream().mapToLong(c -> c.id).boxed()
        .toArray(Long[]::new));
    assertThat(clients).allMatch(c -> c.infoOnOwnContext);

    assertThat(registry.kick(clients.get(2).id, "test")).isTrue();
    assertThat(registry.kick(999, "test")).isFalse();
    assertThat(clients).filteredOn(c -> c.kicked != null).containsExactly(clients.get(2));
  }

  private static final class FakeClient implements Client {
    private final Context context;
    long id = -1;
    volatile boolean infoOnOwnContext;
    volatile String kicked;

    FakeClient(Context context) {
      this.context = context;
    }

    @Override
    public Context context() {
      return context;
    }

    @Override
    public ClientInfo info() {
      infoOnOwnContext = Vertx.currentContext() == context;
      return new ClientInfo(id, "rtmp", ClientRole.PLAYER, "127.0.0.1:1", new StreamKey("live", "x"), 0, 0, 0, "", 0);
    }

    @Override
    public void kick(String reason) {
      kicked = reason;
    }
  }
}
