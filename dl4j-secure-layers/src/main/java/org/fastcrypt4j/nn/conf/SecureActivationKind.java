package org.fastcrypt4j.nn.conf;

import org.fastcrypt4j.mpc.functions.PiecewiseLinear;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.activations.impl.ActivationHardTanH;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;

/**
 * The DL4J activations a {@link SecureActivationLayer} computes on shares, each with its protocol in
 * {@code org.fastcrypt4j.mpc.functions}. {@link #of} maps a DL4J {@link IActivation} to its kind, or to null for one
 * that cannot run on shares.
 */
public enum SecureActivationKind {
    /** No activation ({@code null} or {@link ActivationIdentity}): shares pass through. */
    IDENTITY("identity"),
    /** Plain max(x, 0): {@link ActivationReLU} without a cap, a threshold or a negative slope. */
    RELU("relu"),
    /** {@link ActivationLReLU} with its alpha in [0, 1). */
    LEAKY_RELU("leakyrelu"),
    /**
     * Three linear pieces ({@link PiecewiseLinear}): {@link ActivationReLU} with a cap, a threshold or a negative
     * slope, {@link ActivationReLU6}, {@link ActivationHardTanH}, {@link ActivationHardSigmoid}, and
     * {@link ActivationLReLU} with any other alpha.
     */
    PIECEWISE_LINEAR("piecewise"),
    /** {@link ActivationSigmoid}. */
    SIGMOID("sigmoid"),
    /** {@link ActivationTanH}. */
    TANH("tanh"),
    /** {@link ActivationSoftmax} over the last axis of a [batch, classes] input. */
    SOFTMAX("softmax");

    /** What the supported activations are, for error messages. */
    public static final String SUPPORTED = "identity, ReLU (with a cap, a threshold or a negative slope), ReLU6, leaky "
            + "ReLU, hard tanh, hard sigmoid, sigmoid, tanh or softmax";

    private final String label;

    SecureActivationKind(String label) {
        this.label = label;
    }

    /** A short lower-case name (DL4J's own spelling of the activation), e.g. for the names of inserted layers. */
    public String label() {
        return label;
    }

    /** The kind of {@code a}, or null when no protocol computes it on shares. */
    public static SecureActivationKind of(IActivation a) {
        if (a == null || a instanceof ActivationIdentity) {
            return IDENTITY;
        }
        if (a instanceof ActivationReLU r && r.getMax() == null && zero(r.getThreshold())
                && zero(r.getNegativeSlope())) {
            return RELU;
        }
        if (a instanceof ActivationLReLU l && l.getAlpha() >= 0 && l.getAlpha() < 1) {
            return LEAKY_RELU;
        }
        if (pieces(a) != null) {
            return PIECEWISE_LINEAR;
        }
        if (a instanceof ActivationSigmoid) {
            return SIGMOID;
        }
        if (a instanceof ActivationTanH) {
            return TANH;
        }
        if (a instanceof ActivationSoftmax) {
            return SOFTMAX;
        }
        return null;
    }

    /** The pieces of a piecewise-linear activation, or null when {@code a} is not one (or has no valid pieces). */
    public static PiecewiseLinear.Pieces pieces(IActivation a) {
        try {
            if (a instanceof ActivationReLU r) {
                return PiecewiseLinear.Pieces.relu(r.getMax(), value(r.getThreshold()), value(r.getNegativeSlope()));
            }
            if (a instanceof ActivationLReLU l) {
                return PiecewiseLinear.Pieces.relu(null, 0, l.getAlpha());
            }
            if (a instanceof ActivationReLU6) {
                return PiecewiseLinear.Pieces.relu(6.0, 0, 0);
            }
            if (a instanceof ActivationHardTanH) {
                return PiecewiseLinear.Pieces.clamp(1, 0, -1, 1);
            }
            if (a instanceof ActivationHardSigmoid) {
                return PiecewiseLinear.Pieces.clamp(0.2, 0.5, 0, 1);   // DL4J's: min(1, max(0, 0.2 x + 0.5))
            }
        } catch (IllegalArgumentException e) {
            return null;   // a cap at or below the threshold, or constants out of range
        }
        return null;
    }

    private static double value(Double d) {
        return d == null ? 0 : d;
    }

    private static boolean zero(Double d) {
        return d == null || d == 0.0;
    }
}
