package dev.streamedge.net;

import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;

/**
 * The TLS engine of the listeners (RTMPS, HTTPS and so RTMPTS and WSS): Netty's on BoringSSL (the
 * {@code netty-tcnative-boringssl-static} jar) where its native library loads, the JDK's otherwise. Each
 * player's bytes are encrypted for it alone, so the engine's cost is paid per player.
 */
public final class TlsEngines {

  private TlsEngines() {
  }

  /**
   * Whether BoringSSL's engine works here: its native library loads (once, when first asked: Netty keeps
   * the answer) for this OS and CPU. The jar bundles it for Linux on x86_64 and aarch64.
   */
  public static boolean openSslAvailable() {
    return OpenSSLEngineOptions.isAvailable();
  }

  /** BoringSSL's engine when {@code preferOpenSsl} and it loads here, else the JDK's. */
  public static SSLEngineOptions of(boolean preferOpenSsl) {
    return preferOpenSsl && openSslAvailable() ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions();
  }

  /** A name for the log: "openssl" or "jdk". */
  public static String name(SSLEngineOptions engine) {
    return engine instanceof OpenSSLEngineOptions ? "openssl" : "jdk";
  }
}
