package org.fastcrypt4j.mpc.sharing;

import java.lang.invoke.MethodHandles;
import java.util.Arrays;

import org.fastcrypt4j.mpc.opening.Openings;
import org.fastcrypt4j.ring.RingTensor;

/**
 * Input and output at the API boundary: secret-sharing a tensor held by one party, and revealing a
 * result to all parties or to one named party. These are the only public ways a plaintext enters or
 * leaves; the reveals go through {@link Openings}, the single audited opening path.
 */
public final class Sharing {

    /** This class's share of the audited opening path (for the two reveals). */
    private static final Openings OPEN = Openings.forProtocol(MethodHandles.lookup());

    private Sharing() {
    }

    /**
     * Shares a tensor held by {@code owner} (PROTOCOLS.md 1.1; ABY3 code's input pattern).
     * <ol>
     *   <li>P_owner and P_{owner-1} draw s = F(k_{owner-1}).</li>
     *   <li>P_owner sends t = v - s to P_{owner+1}.</li>
     *   <li>Components: x_owner = s, x_{owner+1} = t, x_{owner+2} = 0.</li>
     * </ol>
     * 1 round; the owner sends one tensor to one party (8 bytes per element); the others send nothing.
     * Each non-owner sees one uniformly random value. The fixed zero component is harmless: every
     * multiplication re-randomises with a zero sharing.
     *
     * @param value the plaintext at the owner; ignored (may be null) elsewhere
     * @param shape the public shape, the same at every party
     */
    public static SharedTensor input(Session s, int owner, RingTensor value, long... shape) {
        String tag = "input/owner" + owner;
        int me = s.party();
        if (me == owner) {
            if (value == null || !Arrays.equals(value.shape(), shape)) {
                throw new IllegalArgumentException("party " + me + ": input value has shape "
                        + (value == null ? "null" : Arrays.toString(value.shape())) + ", declared " + Arrays.toString(shape));
            }
            RingTensor mask = s.prgWithPrev().nextRing(shape);
            RingTensor t = value.sub(mask);
            s.transport().send(s.next(), tag, t.toLongArray());
            return new SharedTensor(me, mask, t);
        } else if (me == (owner + 1) % 3) {
            RingTensor t = RingTensor.zeros(shape);
            long[] buf = new long[t.intLength()];
            s.transport().receive(owner, tag, buf);
            t.copyFrom(buf, 0);
            return new SharedTensor(me, t, RingTensor.zeros(shape));
        } else {
            RingTensor mask = s.prgWithNext().nextRing(shape);
            return new SharedTensor(me, RingTensor.zeros(shape), mask);
        }
    }

    /**
     * Reveals to all three parties (PROTOCOLS.md 1.3): 1 round, 8 bytes per element per party. Goes through
     * {@link Openings}, the audited opening path, and is logged under "reveal".
     */
    public static RingTensor revealToAll(Session s, SharedTensor x) {
        return OPEN.revealToAll(s, x);
    }

    /**
     * Reveals to party {@code receiver} only (PROTOCOLS.md 1.4): P_{receiver-1} sends the component the
     * receiver lacks; 1 round, 8 bytes per element from one party. Returns the value at the receiver and
     * {@code null} at the others, which learn nothing. Goes through {@link Openings} and is logged under
     * "reveal".
     */
    public static RingTensor revealTo(Session s, int receiver, SharedTensor x) {
        return OPEN.revealTo(s, receiver, x);
    }

    /**
     * This server's component of {@code x} for a client outside the computation (see {@link ClientSharing}): each
     * server sends its component to the client, which adds the three. Goes through {@link Openings} and is logged
     * under "reveal". 8 bytes per element from each server, no round between the servers.
     */
    public static RingTensor revealToClient(Session s, SharedTensor x) {
        return OPEN.revealToClient(s, x);
    }
}
