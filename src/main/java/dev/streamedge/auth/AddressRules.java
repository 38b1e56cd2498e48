package dev.streamedge.auth;

import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * nginx-rtmp's {@code allow publish|play} and {@code deny publish|play} lines, as {@code auth.publish-access} and
 * {@code auth.play-access} write them: {@code allow} or {@code deny} items separated by commas, each an IPv4 or
 * IPv6 address, a CIDR block ({@code 10.0.0.0/8}, {@code fd00::/8}) or {@code all}, e.g.
 * {@code allow 127.0.0.1, allow 10.0.0.0/8, deny all}. The first item that matches a client's address decides;
 * an address no item matches is allowed, as in nginx-rtmp's access module. IPv4 clients that reach an IPv6
 * socket ({@code ::ffff:a.b.c.d}) are matched as IPv4. No name is ever resolved.
 *
 * @param items the items in order
 */
public record AddressRules(List<Item> items) {

  /** No items: every address allowed. */
  public static final AddressRules OPEN = new AddressRules(List.of());

  /** One item: allow or deny the addresses whose first {@code prefix} bits are {@code network}'s; null network: all. */
  public record Item(boolean allow, byte[] network, int prefix) {

    boolean matches(byte[] address) {
      if (network == null) {
        return true;
      }
      if (address.length != network.length) {
        return false;
      }
      int whole = prefix / 8;
      for (int i = 0; i < whole; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int bits = prefix % 8;
      if (bits == 0) {
        return true;
      }
      int mask = 0xFF << (8 - bits) & 0xFF;
      return (address[whole] & mask) == (network[whole] & mask);
    }
  }

  public AddressRules {
    items = List.copyOf(items);
  }

  /**
   * Parses {@code text}; {@code ""} allows every address.
   *
   * @throws IllegalArgumentException when an item is not {@code allow|deny <address>[/<bits>]|all}
   */
  public static AddressRules parse(String text) {
    if (text.isBlank()) {
      return OPEN;
    }
    List<Item> items = new ArrayList<>();
    for (String raw : text.split(",", -1)) {
      String[] words = raw.trim().split("\\s+");
      if (words.length != 2 || !(words[0].equals("allow") || words[0].equals("deny"))) {
        throw new IllegalArgumentException("not allow|deny <address>: " + raw.trim());
      }
      items.add(item(words[0].equals("allow"), words[1]));
    }
    return new AddressRules(items);
  }

  private static Item item(boolean allow, String target) {
    if (target.equals("all")) {
      return new Item(allow, null, 0);
    }
    int slash = target.indexOf('/');
    String host = slash < 0 ? target : target.substring(0, slash);
    byte[] network = NetUtil.createByteArrayFromIpAddressString(host);
    if (network == null) {
      throw new IllegalArgumentException("not an IP address: " + host);
    }
    network = unmapped(network);
    int prefix = network.length * 8;
    if (slash >= 0) {
      String bits = target.substring(slash + 1);
      if (!bits.matches("\\d{1,3}") || Integer.parseInt(bits) > prefix) {
        throw new IllegalArgumentException("not a prefix length of " + host + ": " + bits);
      }
      prefix = Integer.parseInt(bits);
    }
    // Bits past the prefix (10.0.0.1/8) mean nothing, as nginx has it: the block is 10.0.0.0/8.
    for (int bit = prefix; bit < network.length * 8; bit++) {
      network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return new Item(allow, network, prefix);
  }

  /** Whether no item was given: every address is allowed without a look. */
  public boolean open() {
    return items.isEmpty();
  }

  /** Whether {@code address} (an IP address's text, as a socket reports it) may go on; text that is no address may not. */
  public boolean allows(String address) {
    if (items.isEmpty()) {
      return true;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
    if (bytes == null) {
      return false;
    }
    bytes = unmapped(bytes);
    for (Item item : items) {
      if (item.matches(bytes)) {
        return item.allow();
      }
    }
    return true;
  }

  /** An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}, RFC 4291 §2.5.5.2) as its four IPv4 bytes. */
  private static byte[] unmapped(byte[] address) {
    if (address.length != 16) {
      return address;
    }
    for (int i = 0; i < 10; i++) {
      if (address[i] != 0) {
        return address;
      }
    }
    if (address[10] != (byte) 0xFF || address[11] != (byte) 0xFF) {
      return address;
    }
    return new byte[] {address[12], address[13], address[14], address[15]};
  }

  @Override
  public String toString() {
    return items.isEmpty() ? "open" : items.size() + " items";
  }
}
