/**
 * Arithmetic on replicated sharings over Z_2^64 (PROTOCOLS.md sections 2 and 3):
 * {@link org.fastcrypt4j.mpc.arithmetic.Multiplication} (local product share plus zero sharing, then one
 * reshare), products of any {@link org.fastcrypt4j.mpc.arithmetic.BilinearOp} (elementwise, matmul,
 * convolution and its two backward forms), {@link org.fastcrypt4j.mpc.arithmetic.FixedPointOps}
 * (fixed-point products truncated in the rounds of the product) and
 * {@link org.fastcrypt4j.mpc.arithmetic.Truncation} with its two protocols, the wrap-free default (TruncD)
 * and ABY3's probabilistic Trunc1.
 *
 * <p>The reshare step ({@code Resharing}), the two truncation protocols and the dense packing of d-bit values
 * on the wire ({@code BitPacking}) are package-private. The reshare in particular hands this party's
 * component to a peer: it must only ever see product shares re-randomised by a zero sharing, never a plain
 * component (that would open the value outside the audited path), so only the multiplication code here calls
 * it. Depends on {@code org.fastcrypt4j.mpc.sharing} only.
 */
package org.fastcrypt4j.mpc.arithmetic;
