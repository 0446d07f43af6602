package org.fastcrypt4j.nn.layers;

import java.util.Map;

import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;

/**
 * What the secure network asks of every runtime secure layer: forward and backward on replicated shares, and the
 * secret-shared parameters and their gradients. All values are fixed point with the session's f fractional bits.
 */
public interface SecureLayer {

    /** "layer 3 'conv2' (SecureConvolution)": for error messages. */
    String describe();

    /** Binds the layer to this party's session (before any forward pass). */
    void bind(Session session);

    /** The output for {@code input}; when {@code training}, keeps what {@link #backward} needs. */
    SharedTensor forward(SharedTensor input, boolean training);

    /**
     * Given the gradient of the loss with respect to this layer's output, keeps the gradients of the parameters
     * ({@link #gradients()}) and returns the gradient with respect to the input, or null when
     * {@code needInputGradient} is false (the first layer).
     */
    SharedTensor backward(SharedTensor epsilon, boolean needInputGradient);

    /** The secret-shared parameters (W, then b), empty for layers without parameters. */
    Map<String, SharedTensor> parameters();

    /** Replaces parameter {@code key} (shape checked). */
    void setParameter(String key, SharedTensor value);

    /** The parameter gradients of the last {@link #backward}, same keys and shapes as {@link #parameters()}. */
    Map<String, SharedTensor> gradients();
}
