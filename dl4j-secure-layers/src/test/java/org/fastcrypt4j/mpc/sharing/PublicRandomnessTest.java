package org.fastcrypt4j.mpc.sharing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The public randomness of a session: the same stream at the three parties, a fresh one in every session. */
class PublicRandomnessTest {

    private static List<long[]> draw(int n) {
        return Parties.overIpc(MpcSettings.defaults(), s -> {
            long before = s.stats().totalBytesSent();
            long[] words = s.publicRandomness().nextLongs(n);
            long sent = s.stats().totalBytesSent() - before;
            long[] again = s.publicRandomness().nextLongs(n);   // agreed once: no further message
            assertEquals(sent, s.stats().totalBytesSent() - before, "party " + s.party() + " sent again");
            long[] out = Arrays.copyOf(words, 2 * n + 1);
            System.arraycopy(again, 0, out, n, n);
            out[2 * n] = sent;
            return out;
        });
    }

    @Test
    void allThreePartiesDrawTheSameStreamAndTwoSessionsDiffer() {
        List<long[]> first = draw(64);
        assertArrayEquals(first.get(0), first.get(1));
        assertArrayEquals(first.get(0), first.get(2));
        long[] words = Arrays.copyOf(first.get(0), 128);
        assertTrue(first.get(0)[128] > 0, "the seed agreement sent nothing");
        assertFalse(Arrays.equals(Arrays.copyOf(words, 64), Arrays.copyOfRange(words, 64, 128)),
                "the stream repeats itself");
        List<long[]> second = draw(64);
        assertArrayEquals(second.get(0), second.get(1));
        assertFalse(Arrays.equals(words, Arrays.copyOf(second.get(0), 128)), "two sessions gave the same stream");
    }

    @Test
    void bernoulliCoinsAreExactAtTheEndsAndCloseToPInBetween() {
        assertEquals(1L << 53, PublicRandomness.threshold(1.0));
        assertEquals(0L, PublicRandomness.threshold(0.0));
        List<long[]> coins = PartyThreads.runInProcess(MpcSettings.defaults(), s -> {
            PublicRandomness r = s.publicRandomness();
            long[] ones = r.bernoulli(1.0, 1000);
            long[] zeros = r.bernoulli(0.0, 1000);
            assertTrue(Arrays.stream(ones).allMatch(v -> v == 1) && Arrays.stream(zeros).allMatch(v -> v == 0));
            assertThrows(IllegalArgumentException.class, () -> r.bernoulli(1.5, 1));
            return r.bernoulli(0.3, 200_000);
        });
        assertArrayEquals(coins.get(0), coins.get(2));
        long kept = Arrays.stream(coins.get(0)).sum();
        // 200,000 coins of p = 0.3: standard deviation about 205; 6 sigma
        assertEquals(60_000, kept, 1_230, "kept " + kept + " of 200000 at p = 0.3");
    }
}
