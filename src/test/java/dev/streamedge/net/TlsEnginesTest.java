package dev.streamedge.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The bundled BoringSSL engine loads on the machines a node runs on (Linux x86_64 here, as in CI and the
 * image): were its native library missing or broken, RTMPS and HTTPS would quietly fall back to the
 * JDK's slower engine.
 */
@Tag("unit")
class TlsEnginesTest {

  @Test
  void boringSslLoadsAndIsTheEngineWhenPreferred() {
    assertThat(TlsEngines.openSslAvailable())
        .as("netty-tcnative-boringssl-static: %s", OpenSsl.unavailabilityCause())
        .isTrue();
    assertThat(OpenSsl.versionString()).startsWith("BoringSSL");
    assertThat(TlsEngines.of(true)).isInstanceOf(OpenSSLEngineOptions.class);
    assertThat(TlsEngines.name(TlsEngines.of(true))).isEqualTo("openssl");
  }

  @Test
  void theJdkEngineWhenAskedFor() {
    assertThat(TlsEngines.of(false)).isInstanceOf(JdkSSLEngineOptions.class);
    assertThat(TlsEngines.name(TlsEngines.of(false))).isEqualTo("jdk");
  }
}
