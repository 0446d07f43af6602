package org.fastcrypt4j.nn.graph;

import org.fastcrypt4j.mpc.sharing.SharedTensor;

/**
 * One vertex of a secure computation graph at run time: its forward map of its inputs' sharings and, in training, the
 * gradients with respect to its inputs from the gradient with respect to its output. A node keeps what its backward
 * pass needs from the last training forward pass. Nothing is opened.
 */
public interface GraphNode {

    /** The vertex's name in the configuration. */
    String name();

    /** The output for {@code inputs} (in the configuration's input order). */
    SharedTensor forward(SharedTensor[] inputs, boolean training);

    /**
     * The gradients with respect to the inputs, in input order; an entry is null where {@code need} is false (a
     * network input: nothing below it learns). Parameter gradients, if any, stay in the node.
     */
    SharedTensor[] backward(SharedTensor epsilon, boolean[] need);

    /** A short description for messages and profiles, e.g. {@code "vertex 'add1' (ElementWise Add)"}. */
    String describe();
}
