/**
 * The non-linear functions of a network, built on the families below (PROTOCOLS.md sections 6 to 8):
 * {@link org.fastcrypt4j.mpc.functions.Drelu} and {@link org.fastcrypt4j.mpc.functions.Relu} (sign bit, then
 * one-bit B2A and a product), {@link org.fastcrypt4j.mpc.functions.Max} and
 * {@link org.fastcrypt4j.mpc.functions.MaxPool} (pairwise tree with a secret one-hot argmax),
 * {@link org.fastcrypt4j.mpc.functions.AvgPool} (local, one truncation),
 * {@link org.fastcrypt4j.mpc.functions.Exp}, {@link org.fastcrypt4j.mpc.functions.Log},
 * {@link org.fastcrypt4j.mpc.functions.Reciprocal} and {@link org.fastcrypt4j.mpc.functions.Softmax}
 * (iterative approximations on shares; nothing revealed), and the activations built on them:
 * {@link org.fastcrypt4j.mpc.functions.LeakyRelu}, {@link org.fastcrypt4j.mpc.functions.Sigmoid} and
 * {@link org.fastcrypt4j.mpc.functions.Tanh} (CrypTen's constructions). {@link org.fastcrypt4j.mpc.functions.MsbProtocols}
 * resolves the session's MSB setting to the ABY3 or the Falcon implementation.
 *
 * <p>The top of the protocol layering: may use every other family; only {@code org.fastcrypt4j.nn} uses it.
 */
package org.fastcrypt4j.mpc.functions;
