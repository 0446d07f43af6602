/**
 * Boolean sharings and the ABY3-style sign bit (PROTOCOLS.md section 4): the replicated boolean sharing
 * {@link org.fastcrypt4j.mpc.binary.SharedBits} (packed 64 bits per word), AND gates batched per circuit layer
 * ({@link org.fastcrypt4j.mpc.binary.BinaryAnd}), arithmetic-to-binary conversion of the sign bit with a
 * binary-tree carry circuit ({@link org.fastcrypt4j.mpc.binary.A2B}), one-bit B2A
 * ({@link org.fastcrypt4j.mpc.binary.BitInjection}), and the
 * {@link org.fastcrypt4j.mpc.binary.MsbProtocol} interface with its exact ABY3-style implementation
 * {@link org.fastcrypt4j.mpc.binary.Aby3Msb}. Nothing here opens a value.
 *
 * <p>Depends on {@code org.fastcrypt4j.mpc.sharing} and {@code org.fastcrypt4j.mpc.arithmetic} (bit injection
 * multiplies); the Falcon implementation of the interface lives in {@code org.fastcrypt4j.mpc.falcon}, and the
 * choice between the two from the settings in {@code org.fastcrypt4j.mpc.functions.MsbProtocols}, so this
 * family does not depend on either.
 */
package org.fastcrypt4j.mpc.binary;
