package org.fastcrypt4j.mpc.functions;

import java.util.Arrays;

import org.fastcrypt4j.mpc.arithmetic.FixedPointOps;
import org.fastcrypt4j.mpc.arithmetic.Truncation;
import org.fastcrypt4j.mpc.sharing.PublicRandomness;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.RingTensor;

/**
 * Inverted dropout on shares with a public mask (Srivastava et al. 2014, in DL4J's convention: p is the probability
 * of keeping an entry). The mask is drawn from {@link PublicRandomness}, so it is known to the three servers and
 * independent of the data; the values stay secret.
 * <ol>
 *   <li>{@link #draw}: m_j ~ Bernoulli(p), one public stream word per entry, by the tensor's public shape
 *       ({@link PublicRandomness#bernoulli}: exact, P(m_j = 1) within 2^-54 of p). No message.</li>
 *   <li>{@link #apply}: [[y]] = [[x]] * m / p, elementwise. When 1/p is an integer k (p = 1, 1/2, 1/4, 1/5, ...)
 *       each party multiplies its two components by the public m_j * k: local and exact, 0 rounds. Otherwise by the
 *       public enc(m_j / p) = m_j * round(2^f / p), then one truncation by f ({@link Truncation#truncate}: with the
 *       default wrap-free truncation 2 rounds and 8 + f/8, f/8, f/8 bytes per element for P0, P1, P2; error at
 *       most one unit plus the encoding's relative error 2^-(f+1) * p).</li>
 * </ol>
 * The backward pass is the same product with the same mask: dL/dx = dL/dy * m / p. Nothing is opened.
 */
public final class InvertedDropout {

    /** The public mask of one tensor (0/1 entries in the tensor's shape) and its retain probability p. */
    public record Mask(RingTensor keep, double p) {
    }

    private InvertedDropout() {
    }

    /** Draws a mask for a tensor of {@code shape} from the session's public randomness (lock-step, no message). */
    public static Mask draw(Session s, double p, long... shape) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("party " + s.party() + ": dropout retain probability must be in (0, 1],"
                    + " got " + p);
        }
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("party " + s.party() + ": dropout mask of " + n + " entries (shape "
                    + Arrays.toString(shape) + ") is too large");
        }
        return new Mask(RingTensor.of(s.publicRandomness().bernoulli(p, (int) n), shape), p);
    }

    /** [[x]] * m / p (see the class comment for rounds and bytes). */
    public static SharedTensor apply(Session s, SharedTensor x, Mask m) {
        if (!Arrays.equals(x.shape(), m.keep().shape())) {
            throw new IllegalArgumentException("party " + s.party() + ": dropout mask of shape "
                    + Arrays.toString(m.keep().shape()) + " for a tensor of shape " + Arrays.toString(x.shape()));
        }
        long k = integerReciprocal(m.p());
        if (k > 0) {
            return x.mulPublic(m.keep().mul(k));
        }
        long scale = FixedPointOps.encode(1.0 / m.p(), s.fractionalBits());
        return Truncation.truncate(s, x.mulPublic(m.keep().mul(scale)));
    }

    /** 1/p when it is an integer (and small enough that no product can overflow the fixed-point range), else 0. */
    static long integerReciprocal(double p) {
        double r = 1.0 / p;
        return r == Math.rint(r) && r <= 1024 ? (long) r : 0;
    }
}
