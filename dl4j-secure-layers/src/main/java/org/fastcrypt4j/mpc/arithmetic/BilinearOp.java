package org.fastcrypt4j.mpc.arithmetic;

import org.fastcrypt4j.ring.RingTensor;

/**
 * A map that is linear in each argument over Z_2^64 (elementwise product, matmul, convolution). Any
 * such map can be evaluated on replicated shares with one reshare ({@link Multiplication#bilinear}).
 */
@FunctionalInterface
public interface BilinearOp {
    RingTensor apply(RingTensor x, RingTensor y);
}
