/**
 * Bytes between the three parties, independent of how they travel: the {@link org.fastcrypt4j.transport.Transport}
 * contract (tagged messages, per-tag traffic counters, the session id the protocols bind their keys to), the parties
 * file ({@link org.fastcrypt4j.transport.PartiesConfig}) and key files ({@link org.fastcrypt4j.transport.PartyKeys}),
 * the failures a caller can meet, and in-process links for unit tests
 * ({@link org.fastcrypt4j.transport.InProcessNetwork}).
 *
 * <p>Subpackages: {@code aeron}, the implementation over Aeron UDP or IPC with authenticated, encrypted links; and
 * {@code noise}, the Noise KK handshake and cipher states it uses. This module never imports ND4J or the protocols.
 */
package org.fastcrypt4j.transport;
