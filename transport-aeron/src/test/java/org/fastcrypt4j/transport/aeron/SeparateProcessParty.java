package org.fastcrypt4j.transport.aeron;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.PartyKeys;

/**
 * One party of {@link SeparateProcessesTest}, run in its own JVM: {@code <parties-file> <key-dir> <id>}.
 * Connects over UDP, does a ring exchange of a multi-chunk message and a small reply round, checks the data
 * against the generator, prints {@code OK party <id> <bytes-received>} and exits 0 (1 on any failure).
 */
public final class SeparateProcessParty {
    private SeparateProcessParty() {
    }

    public static void main(String[] args) throws Exception {
        PartiesConfig cfg = PartiesConfig.read(Path.of(args[0]));
        int self = Integer.parseInt(args[2]);
        AeronContext ctx = new AeronContext().connectTimeout(Duration.ofSeconds(40));
        int n = 300_000;
        try (AeronTransport t = AeronTransport.connect(cfg, self, PartyKeys.read(Path.of(args[1]), self), ctx)) {
            long[] got = new long[n];
            t.exchange("proc/ring", t.next(), AeronTransportTest.data(1000 + self, n), t.prev(), got);
            if (!Arrays.equals(AeronTransportTest.data(1000 + t.prev(), n), got)) {
                System.out.println("BAD data at party " + self + " (seed " + (1000 + t.prev()) + ")");
                System.exit(1);
            }
            long[] back = new long[] {self, -self};
            long[] in = new long[2];
            t.exchange("proc/back", t.prev(), back, t.next(), in);
            if (in[0] != t.next() || in[1] != -t.next()) {
                System.out.println("BAD reply at party " + self);
                System.exit(1);
            }
            System.out.println("OK party " + self + " " + t.stats().totalBytesReceived());
            System.out.flush();
            Thread.sleep(500);
        }
        System.exit(0);
    }
}
