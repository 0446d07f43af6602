package org.fastcrypt4j.nn.conf;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
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
    /** {@link ActivationSigmoid}. */
    SIGMOID("sigmoid"),
    /** {@link ActivationTanH}. */
    TANH("tanh"),
    /** {@link ActivationSoftmax} over the last axis of a [batch, classes] input. */
    SOFTMAX("softmax");

    /** What the supported activations are, for error messages. */
    public static final String SUPPORTED = "identity, ReLU, leaky ReLU with alpha in [0, 1), sigmoid, tanh or softmax";

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
        if (a instanceof ActivationReLU r) {
            return r.getMax() == null && zero(r.getThreshold()) && zero(r.getNegativeSlope()) ? RELU : null;
        }
        if (a instanceof ActivationLReLU l) {
            return l.getAlpha() >= 0 && l.getAlpha() < 1 ? LEAKY_RELU : null;
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

    private static boolean zero(Double d) {
        return d == null || d == 0.0;
    }
}
