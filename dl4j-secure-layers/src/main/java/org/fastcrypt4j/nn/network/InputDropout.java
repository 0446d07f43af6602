package org.fastcrypt4j.nn.network;

import java.util.List;

import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.fastcrypt4j.mpc.functions.InvertedDropout;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.nn.conf.SecureDropoutLayer;
import org.fastcrypt4j.nn.conf.SecureSequenceMapLayer;
import org.fastcrypt4j.nn.conf.SecureUpsampling2DLayer;
import org.fastcrypt4j.nn.conf.SecureFeedForwardLayer;
import org.fastcrypt4j.ring.RingTensor;

/**
 * DL4J's input dropout for a stack of secure layers: during training, the input of a layer whose configuration
 * carries a {@link Dropout} is multiplied by a fresh public mask divided by p ({@link InvertedDropout}), and its input
 * gradient by the same mask; at inference nothing is dropped.
 *
 * <p>Which layers, as DL4J 1.0.0-M2.1's runtime layers do (checked against DL4J itself): dense, convolution and output
 * layers ({@link SecureFeedForwardLayer}), {@link SecureDropoutLayer} and Upsampling2D. A global
 * {@code NeuralNetConfiguration.Builder().dropOut(p)} puts the dropout on every layer configuration, but DL4J's
 * subsampling, activation, global pooling, batch normalization, zero padding and cropping layers ignore it, and so
 * does this class.
 *
 * <p>p is the configuration's fixed p or its schedule's value at the step's iteration and epoch (public counters).
 * Masks are drawn in the forward pass, layer by layer, from the session's public randomness: the same order at the
 * three parties, decided by public shapes only. A listener may see each mask (they are public to the servers).
 */
public final class InputDropout {

    /** Told of every mask drawn: the layer index, the iteration, and the 0/1 mask in the layer input's shape. */
    public interface MaskListener {
        void onMask(int layer, int iteration, RingTensor keep);
    }

    private final Session session;
    private final Dropout[] dropouts;
    private final InvertedDropout.Mask[] last;
    private MaskListener listener;
    private int iteration;
    private int epoch;

    /** For the layers {@code confs} of one network, in order. */
    public InputDropout(Session session, List<Layer> confs) {
        this.session = session;
        this.dropouts = new Dropout[confs.size()];
        this.last = new InvertedDropout.Mask[confs.size()];
        for (int i = 0; i < dropouts.length; i++) {
            Layer c = confs.get(i);
            IDropout d = c.getIDropout();
            if (d == null || !applies(c)) {
                continue;
            }
            if (d.getClass() != Dropout.class) {
                throw new IllegalArgumentException("layer " + i + ": dropout " + d.getClass().getSimpleName()
                        + " not supported on shares (Dropout)");
            }
            dropouts[i] = (Dropout) d;
        }
    }

    /** Whether DL4J applies a layer's dropout to its input for this kind of layer. */
    public static boolean applies(Layer conf) {
        return conf instanceof SecureFeedForwardLayer || conf instanceof SecureDropoutLayer
                || conf instanceof SecureUpsampling2DLayer
                || conf instanceof SecureSequenceMapLayer m && m.getKind() == SecureSequenceMapLayer.Kind.UPSAMPLING;
    }

    /** Whether any layer drops anything. */
    public boolean any() {
        for (Dropout d : dropouts) {
            if (d != null) {
                return true;
            }
        }
        return false;
    }

    public void setListener(MaskListener l) {
        listener = l;
    }

    /** The public counters of the coming training step (DL4J's iteration and epoch counts), for p schedules. */
    public void startStep(int iteration, int epoch) {
        this.iteration = iteration;
        this.epoch = epoch;
    }

    /** The retain probability of layer {@code i} at the current step. */
    double retainProbability(int i) {
        Dropout d = dropouts[i];
        return d.getPSchedule() != null ? d.getPSchedule().valueAt(iteration, epoch) : d.getP();
    }

    /** Layer {@code i}'s input after dropout: {@code x} itself at inference or without dropout. */
    public SharedTensor forward(int i, SharedTensor x, boolean training) {
        last[i] = null;
        if (!training || dropouts[i] == null) {
            return x;
        }
        InvertedDropout.Mask m = InvertedDropout.draw(session, retainProbability(i), x.shape());
        last[i] = m;
        if (listener != null) {
            listener.onMask(i, iteration, m.keep().dup());
        }
        return InvertedDropout.apply(session, x, m);
    }

    /** The gradient with respect to layer {@code i}'s input before dropout, from the one after it. */
    public SharedTensor backward(int i, SharedTensor eps) {
        if (dropouts[i] == null || eps == null) {
            return eps;
        }
        InvertedDropout.Mask m = last[i];
        if (m == null) {
            throw new IllegalStateException("layer " + i + ": dropout backward without a training forward pass");
        }
        last[i] = null;
        return InvertedDropout.apply(session, eps, m);
    }
}
