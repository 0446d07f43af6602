/**
 * {@link org.fastcrypt4j.transport.Transport} over Aeron, split by role as Aeron splits its conductor, sender and
 * receiver:
 * <ul>
 *   <li>set-up: {@link org.fastcrypt4j.transport.aeron.LinkSetup} (connecting, session id) and
 *       {@link org.fastcrypt4j.transport.aeron.LinkHandshake} (Noise KK with key confirmation, robust against
 *       replayed and forged set-up datagrams);</li>
 *   <li>sending: {@link org.fastcrypt4j.transport.aeron.LinkSender} (framing, chunking, sealing, back-pressure),
 *       {@link org.fastcrypt4j.transport.aeron.FrameHeader}, {@link org.fastcrypt4j.transport.aeron.LinkCipher};</li>
 *   <li>receiving: {@link org.fastcrypt4j.transport.aeron.AeronLinks} (polling, dispatch, foreign images),
 *       {@link org.fastcrypt4j.transport.aeron.LinkReceiver} (authenticate, then reassemble; drop and count what
 *       does not authenticate), {@link org.fastcrypt4j.transport.aeron.Inbox};</li>
 *   <li>liveness: {@link org.fastcrypt4j.transport.aeron.Liveness} and
 *       {@link org.fastcrypt4j.transport.aeron.Heartbeats} (a busy peer is alive, a dead one is named within the
 *       peer timeout; abort notices);</li>
 *   <li>the media driver: {@link org.fastcrypt4j.transport.aeron.SharedMediaDriver} and
 *       {@link org.fastcrypt4j.transport.aeron.AeronDirectories} (a private directory, stale ones removed).</li>
 * </ul>
 * Users meet {@link org.fastcrypt4j.transport.aeron.AeronTransport}, its settings
 * {@link org.fastcrypt4j.transport.aeron.AeronContext}, and {@link org.fastcrypt4j.transport.aeron.LocalParties}
 * (three parties in one JVM).
 */
package org.fastcrypt4j.transport.aeron;
