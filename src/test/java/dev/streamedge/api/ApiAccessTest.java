package dev.streamedge.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamedge.api.ApiAccess.Decision;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Tag("unit")
class ApiAccessTest {

  private static final String TOKEN = "api-token-0123456789";

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', textBlock = """
      127.0.0.1          | ALLOW
      127.1.2.3          | ALLOW
      ::1                | ALLOW
      0:0:0:0:0:0:0:1    | ALLOW
      ::ffff:127.0.0.1   | ALLOW
      192.0.2.7          | NOT_LOOPBACK
      10.0.0.1           | NOT_LOOPBACK
      ::ffff:10.0.0.1    | NOT_LOOPBACK
      2001:db8::1        | NOT_LOOPBACK
      0.0.0.0            | NOT_LOOPBACK
      localhost          | NOT_LOOPBACK
      """)
  void withoutATokenOnlyLoopbackClientsAreAnswered(String host, Decision expected) {
    assertThat(new ApiAccess("").check(SocketAddress.inetSocketAddress(40000, host), null)).isEqualTo(expected);
    assertThat(new ApiAccess("").check(SocketAddress.inetSocketAddress(40000, host), "Bearer " + TOKEN))
        .as("a token nobody configured opens nothing").isEqualTo(expected);
  }

  @Test
  void aClientWithNoAddressIsNotOnLoopback() {
    assertThat(new ApiAccess("").check(null, null)).isEqualTo(Decision.NOT_LOOPBACK);
    assertThat(new ApiAccess("").check(SocketAddress.domainSocketAddress("/tmp/x.sock"), null))
        .isEqualTo(Decision.NOT_LOOPBACK);
  }

  @ParameterizedTest(name = "[{0}]: {1}")
  @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
      NULL                                   | NO_TOKEN
      ''                                     | NO_TOKEN
      Bearer                                 | NO_TOKEN
      Basic YWRtaW46YWRtaW4=                 | WRONG_TOKEN
      Basic YW55OmFwaS10b2tlbi0wMTIzNDU2Nzg5   | ALLOW
      basic OmFwaS10b2tlbi0wMTIzNDU2Nzg5       | ALLOW
      Basic YXBpLXRva2VuLTAxMjM0NTY3ODk=   | NO_TOKEN
      Basic !!!                              | NO_TOKEN
      api-token-0123456789                   | NO_TOKEN
      Bearer wrong                           | WRONG_TOKEN
      Bearer api-token-012345678             | WRONG_TOKEN
      Bearer api-token-01234567890           | WRONG_TOKEN
      Bearer API-TOKEN-0123456789            | WRONG_TOKEN
      Bearer api-token-0123456789            | ALLOW
      bearer api-token-0123456789            | ALLOW
      BEARER   api-token-0123456789          | ALLOW
      """)
  void withATokenEveryRequestMustCarryIt(String authorization, Decision expected) {
    ApiAccess access = new ApiAccess(TOKEN);
    assertThat(access.check(SocketAddress.inetSocketAddress(40000, "127.0.0.1"), authorization)).isEqualTo(expected);
    assertThat(access.check(SocketAddress.inetSocketAddress(40000, "192.0.2.7"), authorization))
        .as("the same from any address").isEqualTo(expected);
  }

  @Test
  void refusalsSayWhyWithoutTheToken() {
    for (Decision decision : new Decision[] {Decision.NOT_LOOPBACK, Decision.NO_TOKEN, Decision.WRONG_TOKEN}) {
      assertThat(ApiAccess.refusal(decision).encode()).doesNotContain(TOKEN).contains("error");
    }
    assertThat(Decision.NOT_LOOPBACK.status()).isEqualTo(403);
    assertThat(Decision.NO_TOKEN.status()).isEqualTo(401);
    assertThat(Decision.WRONG_TOKEN.status()).isEqualTo(401);
  }
}
