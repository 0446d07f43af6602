/**
 * The base of every protocol: one party's {@link org.fastcrypt4j.mpc.sharing.Session} (its links, the
 * settings all three parties check at start-up, the pairwise PRG keys bound to the session id, restore from a
 * checkpoint), the replicated arithmetic sharing {@link org.fastcrypt4j.mpc.sharing.SharedTensor} over
 * Z_2^64 with its local (free) operations, {@link org.fastcrypt4j.mpc.sharing.Sharing} (input by one party;
 * reveal to all or to one party, the only public ways a plaintext enters or leaves),
 * {@link org.fastcrypt4j.mpc.sharing.CorrelatedRandomness} (zero sharings and random sharings from the
 * pairwise keys, no messages) and {@link org.fastcrypt4j.mpc.sharing.PartyThreads} (the three parties of one
 * computation in one JVM).
 *
 * <p>Nothing here depends on a protocol family above it, except that correlated randomness also yields the
 * binary sharings of {@code org.fastcrypt4j.mpc.binary}. The reveals go through the opening capability of
 * {@code org.fastcrypt4j.mpc.opening}, so they are logged like every other opening.
 */
package org.fastcrypt4j.mpc.sharing;
