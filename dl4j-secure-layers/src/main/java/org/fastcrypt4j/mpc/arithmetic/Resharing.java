package org.fastcrypt4j.mpc.arithmetic;

import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.RingTensor;

/**
 * Turns a 3-out-of-3 additive sharing z = z_0 + z_1 + z_2 (each z_i already re-randomised with a zero
 * sharing alpha_i) into a replicated sharing: P_i sends z_i to P_{i-1} and receives z_{i+1} from
 * P_{i+1} (ABY3 section 3). 1 round, 8 bytes per element per party. Several tensors can travel in one
 * message ({@link #reshareAll}), so several multiplications share one round. Package-private, and therefore
 * in the arithmetic family beside {@link Multiplication} rather than in the sharing family: it must only see
 * shares re-randomised by a zero sharing (the multiplication protocols' local step), never a plain component,
 * which it would hand to a peer and so open outside the audited path of {@code org.fastcrypt4j.mpc.opening}.
 */
final class Resharing {

    private Resharing() {
    }

    static SharedTensor reshare(Session s, String tag, RingTensor z) {
        return reshareAll(s, tag, z)[0];
    }

    /** Reshares several tensors with one message per party. */
    static SharedTensor[] reshareAll(Session s, String tag, RingTensor... zs) {
        int total = 0;
        for (RingTensor z : zs) {
            total += z.intLength();
        }
        long[] out = new long[total];
        int off = 0;
        for (RingTensor z : zs) {
            z.copyTo(out, off);
            off += z.intLength();
        }
        long[] in = new long[total];
        s.transport().exchange(tag, s.prev(), out, s.next(), in);
        SharedTensor[] result = new SharedTensor[zs.length];
        off = 0;
        for (int k = 0; k < zs.length; k++) {
            RingTensor second = RingTensor.copyOf(in, off, zs[k].shape());
            off += zs[k].intLength();
            result[k] = new SharedTensor(s.party(), zs[k], second);
        }
        return result;
    }
}
