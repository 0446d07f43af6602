package org.fastcrypt4j.nn.network;

import java.util.Arrays;

import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.ring.FixedPoint;
import org.fastcrypt4j.ring.RingTensor;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The data owner's side of sharing a batch: it announces the batch's public shape (or the end of the data) to both
 * others, checks every value against the range the protocols support, and secret-shares the fixed-point values (8
 * bytes per value to one party, PROTOCOLS.md 1.1). The others learn the shape only.
 *
 * <p><b>Input range.</b> A product of two fixed-point values carries 2f fractional bits and must stay inside the
 * truncation's safe range, |v| &lt; 2^(62 - 2f) at scale 2f (PROTOCOLS.md section 0): 4,194,304 at f = 20. Inputs are
 * therefore limited to {@link #inputLimit(int)} = 2^((62 - 2f) / 2) (2048 at f = 20), so that an input times a weight
 * of the same bound stays inside it; larger inputs would wrap silently inside training. Standardized data (DL4J's
 * {@code NormalizerStandardize}, MNIST scaled to [0, 1]) is far inside. A value outside, or NaN or infinite, is
 * refused at the data owner before anything is sent, naming the row, the feature and the limit, never the value.
 */
public final class DataOwnerInput {
    private static final int MAX_RANK = 8;

    private final Session session;
    private final FixedPoint fixedPoint;

    public DataOwnerInput(Session session, FixedPoint fixedPoint) {
        this.session = session;
        this.fixedPoint = fixedPoint;
    }

    /** The largest magnitude an input value may have at {@code f} fractional bits (exclusive). */
    public static double inputLimit(int f) {
        return Math.scalb(1.0, (62 - 2 * f) / 2);
    }

    /**
     * The data owner shares {@code aAtOwner} (its features or labels; {@code null} elsewhere); returns every party's
     * share.
     *
     * @throws IllegalArgumentException at the owner, for a value outside the input range, or when it has no batch
     */
    public SharedTensor share(int owner, INDArray aAtOwner, String what) {
        SharedTensor x = shareOrEnd(owner, aAtOwner, what);
        if (x == null) {
            throw new IllegalArgumentException("party " + session.party() + ": the data owner announced no batch");
        }
        return x;
    }

    /** As {@link #share}, or the end of the data when the owner passes null: returns null at every party then. */
    public SharedTensor shareOrEnd(int owner, INDArray aAtOwner, String what) {
        RingTensor v = null;
        if (session.party() == owner && aAtOwner != null) {
            INDArray d = aAtOwner.castTo(DataType.DOUBLE);
            checkRange(d, what);   // before anything, the shape included, leaves the owner
            v = fixedPoint.encode(d);
        }
        long[] shape = announceShape(owner, aAtOwner);
        if (shape.length == 0) {
            return null;
        }
        return Sharing.input(session, owner, v, shape);
    }

    private void checkRange(INDArray d, String what) {
        checkRange(d, fixedPoint.fractionalBits(), "party " + session.party() + ": " + what);
    }

    /**
     * Checks every value of {@code d} against {@link #inputLimit(int)} (and for NaN and infinity), at whoever shares
     * it (a data owner among the parties, or a client outside them).
     *
     * @param what how the message names the values ("party 1: feature", "data owner 'alice': feature")
     * @throws IllegalArgumentException naming the row, the position and the limit, never the value
     */
    public static void checkRange(INDArray d, int f, String what) {
        double limit = inputLimit(f);
        double[] flat = d.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        long[] shape = d.shape();
        long rowLength = shape.length < 2 ? flat.length : flat.length / Math.max(1, shape[0]);
        for (int i = 0; i < flat.length; i++) {
            if (!(Math.abs(flat[i]) < limit)) {
                throw new IllegalArgumentException(what + " value " + (i % rowLength) + " of row " + (i / rowLength)
                        + " (batch of shape " + Arrays.toString(shape) + ") is outside the range the protocols support,"
                        + " |x| < " + (long) limit + " at f = " + f + " (or not a number): standardize the data");
            }
        }
    }

    /**
     * The owner sends the public shape of {@code a} (or, for {@code a == null} at the owner, the end of the data) to
     * both others; every party returns it (an empty shape for the end). 72 bytes to each party.
     */
    public long[] announceShape(int owner, INDArray a) {
        long[] msg = new long[MAX_RANK + 1];
        if (session.party() == owner) {
            if (a != null) {
                long[] shape = a.shape();
                if (shape.length > MAX_RANK || shape.length == 0) {
                    throw new IllegalArgumentException("party " + owner + ": batch of rank " + shape.length);
                }
                msg[0] = shape.length;
                System.arraycopy(shape, 0, msg, 1, shape.length);
            }
            session.transport().send(session.next(), "data/shape", msg);
            session.transport().send(session.prev(), "data/shape", msg);
        } else {
            session.transport().receive(owner, "data/shape", msg);
            if (msg[0] < 0 || msg[0] > MAX_RANK) {
                throw new IllegalStateException("party " + session.party() + ": bad shape announcement from party "
                        + owner);
            }
        }
        return Arrays.copyOfRange(msg, 1, 1 + (int) msg[0]);
    }
}
