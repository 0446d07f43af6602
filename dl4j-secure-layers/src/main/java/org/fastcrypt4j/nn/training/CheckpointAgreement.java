package org.fastcrypt4j.nn.training;

import java.security.MessageDigest;
import java.util.List;

import org.fastcrypt4j.transport.Transport;

/**
 * Before resuming, the three parties agree over their authenticated links that their checkpoints are of the same
 * run, model, parties, job and step ({@link Checkpoint#identity()}), and take the latest step all three hold (a
 * party killed while the others wrote may be one checkpoint behind). One round: each party sends the identities
 * of its (at most two) checkpoints, 64 bytes, to both others.
 *
 * <p>When no checkpoint is common to the three, the error names the party whose files differ from the other two's
 * (that party's own error names its file), or says that all three differ.
 */
public final class CheckpointAgreement {
    private static final String TAG = "checkpoint/identities";
    private static final int ID = 32;

    private CheckpointAgreement() {
    }

    /**
     * This party's checkpoint of the latest step common to the three, chosen from {@code mine} (latest first, as
     * {@link Checkpoint#readAll} returns them). Every party calls this together, before its session starts.
     *
     * @throws CheckpointException naming the party whose checkpoints differ
     */
    public static Checkpoint agree(Transport t, List<Checkpoint> mine) {
        if (mine.isEmpty() || mine.size() > 2) {
            throw new IllegalArgumentException("one or two checkpoints to agree on, got " + mine.size());
        }
        byte[] ids = new byte[2 * ID];
        for (int i = 0; i < mine.size(); i++) {
            System.arraycopy(mine.get(i).identity(), 0, ids, i * ID, ID);
        }
        int me = t.partyId();
        int next = Transport.next(me);
        int prev = Transport.prev(me);
        t.send(next, TAG, java.nio.ByteBuffer.wrap(ids));
        t.send(prev, TAG, java.nio.ByteBuffer.wrap(ids));
        java.nio.ByteBuffer a = java.nio.ByteBuffer.allocate(2 * ID);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(2 * ID);
        t.receive(next, TAG, a);
        t.receive(prev, TAG, b);
        Checkpoint best = null;
        for (Checkpoint c : mine) {
            byte[] id = c.identity();
            if (holds(a.array(), id) && holds(b.array(), id) && (best == null || c.step() > best.step())) {
                best = c;
            }
        }
        if (best != null) {
            return best;
        }
        boolean withNext = shareAny(ids, a.array());
        boolean withPrev = shareAny(ids, b.array());
        boolean othersAgree = shareAny(a.array(), b.array());
        String mineNamed = mine.get(0).describe();
        if (othersAgree && !withNext && !withPrev) {
            throw new CheckpointException("party " + me + ": " + mineNamed + " is of another run, step or job than"
                    + " parties " + next + " and " + prev + "'s checkpoints, which agree: resume every party from the"
                    + " checkpoints of one run");
        }
        if (withNext && !withPrev) {
            throw new CheckpointException("party " + me + ": party " + prev + "'s checkpoint is of another run, step or"
                    + " job than this party's and party " + next + "'s");
        }
        if (withPrev && !withNext) {
            throw new CheckpointException("party " + me + ": party " + next + "'s checkpoint is of another run, step or"
                    + " job than this party's and party " + prev + "'s");
        }
        throw new CheckpointException("party " + me + ": the three parties' checkpoints share no step of one run (each"
                + " differs from the others): resume every party from the checkpoints of one run");
    }

    private static boolean holds(byte[] ids, byte[] id) {
        for (int i = 0; i < 2; i++) {
            if (MessageDigest.isEqual(java.util.Arrays.copyOfRange(ids, i * ID, (i + 1) * ID), id)) {
                return true;
            }
        }
        return false;
    }

    private static boolean shareAny(byte[] x, byte[] y) {
        for (int i = 0; i < 2; i++) {
            byte[] id = java.util.Arrays.copyOfRange(x, i * ID, (i + 1) * ID);
            if (!isZero(id) && holds(y, id)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isZero(byte[] b) {
        for (byte v : b) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }
}
