/**
 * The parts a secure network shares whatever its shape (the multi-layer network and the computation graph):
 * forward and backward passes through layers with DL4J's preprocessors ({@link org.fastcrypt4j.nn.network.LayerStack}),
 * moving a model between the model owner's plain DL4J layers and shares
 * ({@link org.fastcrypt4j.nn.network.ModelTransfer}), the data owner's side of sharing a batch with its input range
 * check ({@link org.fastcrypt4j.nn.network.DataOwnerInput}), DL4J {@code Evaluation} with predictions revealed to one
 * party ({@link org.fastcrypt4j.nn.network.PrivateEvaluation}) and per-pass profiling
 * ({@link org.fastcrypt4j.nn.network.PassTimer}, {@link org.fastcrypt4j.nn.network.LayerProfiler}).
 */
package org.fastcrypt4j.nn.network;
