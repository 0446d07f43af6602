package org.fastcrypt4j.mpc.sharing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;

import org.fastcrypt4j.ring.RingTensor;
import org.junit.jupiter.api.Test;

/**
 * A client's upload (two seeds and one full component, 2 elements per value) becomes a replicated sharing of exactly
 * the client's value, the holders of each component agree on it (and disagree when the client sends inconsistent
 * pieces), and the servers' re-randomised components for a client add up to the value, one reveal logged each.
 */
class ClientSharingTest {
    private final long seed = System.nanoTime();

    private RingTensor data(int n) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] v = r.longs(n).toArray();
        v[0] = Long.MIN_VALUE;
        v[1] = -1;
        v[2] = 0;
        return RingTensor.of(v, 3, n / 3);
    }

    @Test
    void anUploadSharesExactlyTheValueAndTheClientGetsItBack() {
        RingTensor x = data(300);
        ClientSharing.Upload u = ClientSharing.share(x, new SecureRandom());
        assertEquals(32, u.seedsFor(0).length);
        assertEquals(0, u.fullFor(0).length);
        assertEquals(300, u.fullFor(1).length + u.fullFor(2).length - 300);
        List<Object[]> out = PartyThreads.runInProcess(MpcSettings.defaults(), s -> {
            int me = s.party();
            SharedTensor sh = ClientSharing.receive(me, u.seedsFor(me), u.fullFor(me), x.shape());
            byte[] toNext = ClientSharing.digest(me, s.next(), u.seedsFor(me), u.fullFor(me));
            byte[] toPrev = ClientSharing.digest(me, s.prev(), u.seedsFor(me), u.fullFor(me));
            long before = s.openings().total();
            RingTensor z = Sharing.revealToClient(s, sh);
            long logged = s.openings().total() - before;
            return new Object[] {Sharing.revealToAll(s, sh), toNext, toPrev, z, logged};
        });
        for (int p = 0; p < 3; p++) {
            assertArrayEquals(x.toLongArray(), ((RingTensor) out.get(p)[0]).toLongArray(), "seed " + seed);
            assertEquals(1L, out.get(p)[4], "one reveal logged");
            // the holders of each component agree on it
            int next = (p + 1) % 3;
            assertArrayEquals((byte[]) out.get(p)[1], (byte[]) out.get(next)[2]);
        }
        RingTensor back = ClientSharing.reconstruct((RingTensor) out.get(0)[3], (RingTensor) out.get(1)[3],
                (RingTensor) out.get(2)[3]);
        assertArrayEquals(x.toLongArray(), back.toLongArray(), "seed " + seed);
        assertFalse(java.util.Arrays.equals(x.toLongArray(), ((RingTensor) out.get(0)[3]).toLongArray()));
    }

    @Test
    void inconsistentPiecesAreCaughtByTheComponentsHolders() {
        RingTensor x = data(30);
        ClientSharing.Upload u = ClientSharing.share(x, new SecureRandom());
        long[] other = u.fullFor(2).clone();
        other[5] ^= 1;   // the client sends server 2 another x2 than server 1
        byte[] at1 = ClientSharing.digest(1, 2, u.seedsFor(1), u.fullFor(1));
        byte[] at2 = ClientSharing.digest(2, 1, u.seedsFor(2), other);
        assertFalse(java.util.Arrays.equals(at1, at2));
        byte[] s0 = u.seedsFor(0).clone();
        s0[20] ^= 1;      // server 0 gets another s1 than server 1
        assertFalse(java.util.Arrays.equals(ClientSharing.digest(0, 1, s0, u.fullFor(0)),
                ClientSharing.digest(1, 0, u.seedsFor(1), u.fullFor(1))));
        assertTrue(java.util.Arrays.equals(ClientSharing.digest(0, 2, s0, u.fullFor(0)),
                ClientSharing.digest(2, 0, u.seedsFor(2), u.fullFor(2))), "s0 untouched");
    }
}
