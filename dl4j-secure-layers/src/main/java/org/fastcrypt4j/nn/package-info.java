/**
 * The DL4J side of FastCrypt4J: secure networks built from ordinary DL4J configurations and run by the three
 * parties on secret shares. It calls the protocol packages ({@code org.fastcrypt4j.mpc.*}), never the other way
 * round.
 * <ul>
 *   <li>{@link org.fastcrypt4j.nn.SecureConversion} swaps the supported DL4J layers for secure ones and names every
 *       unsupported one; {@link org.fastcrypt4j.nn.SecureMultiLayerNetwork} runs a converted multi-layer
 *       configuration, as a façade over the shared parts below.</li>
 *   <li>{@code nn.conf}: the secure layer configurations (DL4J {@code Layer}s with builders and JSON round trips)
 *       and the parameter initializer; {@code nn.layers}: their runtime layers.</li>
 *   <li>{@code nn.network}: what any secure network shape needs: passes through layers, model import and export,
 *       the data owner's input, private evaluation, profiling.</li>
 *   <li>{@code nn.training}: the training loop, the parameters under one naming, the optimizer on shares, and
 *       authenticated checkpoints with the agreement the parties run before resuming.</li>
 * </ul>
 */
package org.fastcrypt4j.nn;
