/**
 * The three-party protocols of FastCrypt4J (3-party replicated secret sharing, semi-honest, honest majority),
 * split into families the way MP-SPDZ keeps a family per protocol and CrypTen splits its primitives. This
 * package itself holds no class; the families are its subpackages:
 * <ul>
 *   <li>{@link org.fastcrypt4j.mpc.sharing}: the session (settings check, PRG keys), the arithmetic share
 *       type with its local operations, input and the user-facing reveals, correlated randomness, and
 *       running three parties in one JVM.</li>
 *   <li>{@link org.fastcrypt4j.mpc.arithmetic}: multiplication (reshare), bilinear operations (matmul,
 *       convolution), fixed-point products and truncation.</li>
 *   <li>{@link org.fastcrypt4j.mpc.binary}: boolean sharings, AND, A2B, bit injection (B2A of one bit) and the
 *       MSB interface with its ABY3-style implementation.</li>
 *   <li>{@link org.fastcrypt4j.mpc.falcon}: Falcon's MSB: Z_67 sharings, wrap3, PrivateCompare and their
 *       dealer-free preprocessing.</li>
 *   <li>{@link org.fastcrypt4j.mpc.functions}: the non-linear functions a network uses: DReLU, ReLU, max and
 *       max pooling with a secret argmax, average pooling, exp, log, reciprocal, softmax and cross-entropy.</li>
 *   <li>{@link org.fastcrypt4j.mpc.opening}: the one audited opening path, a capability only the families
 *       above can obtain, and the log of openings the tests check.</li>
 * </ul>
 *
 * <p>Layering: sharing &lt;- arithmetic &lt;- binary &lt;- falcon &lt;- functions; a family uses only the
 * families to its left. The exceptions are few and named: {@code CorrelatedRandomness.randomBits} (sharing)
 * returns a binary {@code SharedBits}, and {@code Sharing} (sharing) reveals through
 * {@code opening.Openings}, which in turn opens sharings of the sharing, binary and falcon share types. The
 * choice of MSB protocol from the settings ({@code functions.MsbProtocols}) sits in functions, above both
 * implementations. The DL4J side ({@code org.fastcrypt4j.nn}) calls these packages, never the other way round.
 */
package org.fastcrypt4j.mpc;
