package dev.streamedge.auth;

import dev.streamedge.config.AuthConfig;
import dev.streamedge.log.RateLimitedLog;
import dev.streamedge.net.EventLoops;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * nginx-rtmp's server-wide connect events: {@code auth.callback.on-connect}, asked before each RTMP connect is
 * answered, and {@code auth.callback.on-disconnect}, told when such a connection closes. Their form is
 * nginx-rtmp's: call, app, flashver, swfurl, tcurl, pageurl, addr, epoch (and clientid when told of an end),
 * then ours (proto), then the arguments of the app's query.
 */
final class ConnectCallbacks {

  private static final Logger LOG = LoggerFactory.getLogger(AuthService.class);
  private static final RateLimitedLog REFUSED_LOG = RateLimitedLog.of(LOG, "connect refused");
  private static final RateLimitedLog ALLOWED_DOWN_LOG = RateLimitedLog.of(LOG, "connect allowed while down");
  /** The form's fields, kept from query arguments of the same names. */
  private static final Set<String> FIELDS = Set.of("call", "app", "flashver", "swfurl", "tcurl", "pageurl", "addr",
      "epoch", "proto", "clientid");

  private final CallbackClient callbacks;
  private final AuthConfig.Callback callback;
  private final Runnable refused;

  /** @param refused counts a refused connect, with every other refusal */
  ConnectCallbacks(CallbackClient callbacks, AuthConfig.Callback callback, Runnable refused) {
    this.callbacks = callbacks;
    this.callback = callback;
    this.refused = refused;
  }

  /**
   * Asks about an RTMP connect, uncached, since each connect is a connection of its own. A 2xx allows; a 3xx
   * whose {@code Location} is a name moves the connection to that app (the decision's rename, nginx-rtmp's
   * connect redirect); anything else refuses, and a service that is down gets {@code auth.callback.when-down}.
   * Completes on the caller's context, never fails.
   */
  Future<AuthDecision> connect(ConnectRequest request) {
    Context caller = Vertx.currentContext();
    List<Map.Entry<String, String>> args;
    try {
      args = QueryArgs.checked(request.query(), request.tcUrl());
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(judged(request, AuthDecision.refuse(e.getMessage())));
    }
    return callbacks.askUncached(form(callback.onConnect(), "connect", request, args, -1)).compose(answer -> {
      AuthDecision decision = switch (answer.verdict()) {
        case ALLOW -> AuthDecision.ALLOW;
        case RENAME -> AuthDecision.rename(answer.location());
        case REDIRECT, DENY -> AuthDecision.refuse("on_connect answered " + answer.detail());
        case DOWN -> {
          if (callback.whenDown() == DownAnswer.ALLOW) {
            ALLOWED_DOWN_LOG.warn("connect allowed {} app={} protocol={} reason=callback down ({}), "
                + "auth.callback.when-down=allow", request.peer(), request.app(), request.protocol(), answer.detail());
            yield AuthDecision.ALLOW;
          }
          yield AuthDecision.refuse("on_connect down (" + answer.detail() + ")");
        }
      };
      return EventLoops.backTo(caller, judged(request, decision));
    });
  }

  /**
   * Tells {@code url} that a connection which sent {@code request} closed, allowed or not, with its {@code
   * clientid} (the API's); nothing waits. (nginx-rtmp also tells of connections that never sent a connect,
   * with empty fields: not here.)
   */
  static void disconnected(CallbackClient callbacks, String url, ConnectRequest request, long clientId) {
    callbacks.tell(form(url, "disconnect", request, QueryArgs.lenient(request.query(), request.tcUrl()), clientId));
  }

  private AuthDecision judged(ConnectRequest request, AuthDecision decision) {
    if (!decision.allowed()) {
      refused.run();
      REFUSED_LOG.info("connect refused {} app={} protocol={} reason=auth: {}", request.peer(), request.app(),
          request.protocol(), decision.reason());
    }
    return decision;
  }

  /** The form; {@code clientId} is left out when negative. */
  private static CallbackForm form(String url, String call, ConnectRequest request,
      List<Map.Entry<String, String>> args, long clientId) {
    List<Map.Entry<String, String>> fields = new ArrayList<>();
    fields.add(Map.entry("call", call));
    fields.add(Map.entry("app", request.app()));
    fields.add(Map.entry("flashver", request.flashVer()));
    fields.add(Map.entry("swfurl", request.swfUrl()));
    fields.add(Map.entry("tcurl", request.tcUrl()));
    fields.add(Map.entry("pageurl", request.pageUrl()));
    fields.add(Map.entry("addr", request.addr()));
    fields.add(Map.entry("epoch", Long.toString(request.epoch())));
    if (clientId >= 0) {
      fields.add(Map.entry("clientid", Long.toString(clientId)));
    }
    fields.add(Map.entry("proto", request.protocol()));
    args.stream().filter(arg -> !FIELDS.contains(arg.getKey())).forEach(fields::add);
    return new CallbackForm(url, fields);
  }
}
