import java.nio.ByteBuffer;
import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What hls.keys costs per segment: one AES-128-CBC pass with PKCS#7 padding over a 256 KiB MPEG-TS segment (2 s
 * at 1 Mbit/s) between direct buffers, as SegmentKeys makes it, once per segment and stream (never per viewer).
 * Run: {@code java bench/aes/AesSegment.java}. Five rounds of 2000 segments; the last ones are the warm figure.
 */
public class AesSegment {

  public static void main(String[] args) throws Exception {
    byte[] plain = new byte[256 * 1024];
    new Random(1).nextBytes(plain);
    ByteBuffer in = ByteBuffer.allocateDirect(plain.length).put(plain);
    ByteBuffer out = ByteBuffer.allocateDirect(plain.length + 16);
    Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
    SecretKeySpec key = new SecretKeySpec(new byte[16], "AES");
    for (int round = 0; round < 5; round++) {
      int segments = 2000;
      long started = System.nanoTime();
      for (int i = 0; i < segments; i++) {
        in.clear();
        out.clear();
        cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(ByteBuffer.allocate(16).putLong(8, i).array()));
        cipher.doFinal(in, out);
      }
      double micros = (System.nanoTime() - started) / 1000.0 / segments;
      System.out.printf("round %d: %.1f us per 256 KiB segment, %.0f MB/s%n", round + 1, micros, plain.length / micros);
    }
  }
}
