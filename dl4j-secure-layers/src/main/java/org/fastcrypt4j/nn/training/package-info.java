/**
 * Private training: the loop ({@link org.fastcrypt4j.nn.training.TrainingLoop}: batches shared by the data owner,
 * DL4J listeners, checkpoints), the parameters of a network under one naming
 * ({@link org.fastcrypt4j.nn.training.ParameterSet}), DL4J's SGD and Nesterovs updaters on shares
 * ({@link org.fastcrypt4j.nn.training.SecureOptimizer}), the options
 * ({@link org.fastcrypt4j.nn.training.TrainingOptions}) and what listeners may see
 * ({@link org.fastcrypt4j.nn.training.SecureTrainingModel}).
 *
 * <p>Checkpoints: {@link org.fastcrypt4j.nn.training.Checkpoint} (what one party's file holds and promises),
 * {@link org.fastcrypt4j.nn.training.CheckpointFile} (the format, authenticated with HMAC-SHA256 before anything is
 * trusted), {@link org.fastcrypt4j.nn.training.CheckpointKey} (the key, derived from the party's static key with
 * HKDF) and {@link org.fastcrypt4j.nn.training.CheckpointAgreement} (the three agree on the run and step before
 * resuming, in a fresh session with fresh keys).
 */
package org.fastcrypt4j.nn.training;
