package dev.streamedge.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Static stream keys and the query arguments that carry them. */
@Tag("unit")
class PublishKeysTest {

  private final PublishKeys keys = new PublishKeys(List.of("s3cret-obs", "Key_2"));

  @Test
  void aConfiguredKeyPassesAndAnyOtherIsRefused() {
    assertThat(keys.verify("s3cret-obs")).isEqualTo(AuthDecision.ALLOW);
    assertThat(keys.verify("Key_2")).isEqualTo(AuthDecision.ALLOW);
    for (String wrong : new String[] {"", "s3cret-ob", "s3cret-obs ", "key_2", "s3cret-obs,Key_2"}) {
      assertThat(keys.verify(wrong)).as(wrong).isEqualTo(AuthDecision.refuse("unknown key"));
    }
    assertThat(keys.verify(null)).isEqualTo(AuthDecision.refuse("no key argument"));
  }

  @Test
  void queryArgumentsAreFormDecodedInTheirOrder() {
    var args = QueryArgs.parse("key=a%2Bb&sign=1-ff&flag&key=second&x=y+z&&");

    assertThat(args).extracting(e -> e.getKey() + "=" + e.getValue())
        .containsExactly("key=a+b", "sign=1-ff", "flag=", "key=second", "x=y z");
    assertThat(QueryArgs.first(args, "key")).contains("a+b");
    assertThat(QueryArgs.first(args, "none")).isEmpty();
    assertThat(QueryArgs.parse("")).isEmpty();
  }

  @Test
  void aMalformedPercentEscapeIsAnError() {
    assertThatThrownBy(() -> QueryArgs.parse("key=%zz"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
