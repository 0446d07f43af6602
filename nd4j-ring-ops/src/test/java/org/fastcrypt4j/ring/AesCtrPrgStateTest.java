package org.fastcrypt4j.ring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** A PRG restored from a saved state continues with exactly the bytes the original produces next. */
class AesCtrPrgStateTest {

    @Test
    void restoredStreamContinuesExactly() {
        long seed = RingTestData.seed();
        SplittableRandom r = new SplittableRandom(seed);
        byte[] key = new byte[AesCtrPrg.SEED_BYTES];
        r.nextBytes(key);
        for (int consumed : new int[] {0, 1, 15, 16, 17, 4095, 4096, 70_001}) {
            AesCtrPrg a = new AesCtrPrg(key, 7);
            a.nextBytes(new byte[consumed]);
            AesCtrPrg.State st = a.state();
            assertEquals(consumed, st.position());
            AesCtrPrg b = AesCtrPrg.restore(st);
            long[] x = a.nextLongs(10_000);
            long[] y = b.nextLongs(10_000);
            assertArrayEquals(x, y, "after " + consumed + " bytes, seed " + seed);
            assertArrayEquals(a.nextRing(3, 5).toLongArray(), b.nextRing(3, 5).toLongArray());
        }
    }
}
