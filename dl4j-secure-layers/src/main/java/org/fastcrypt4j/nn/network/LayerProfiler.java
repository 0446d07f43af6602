package org.fastcrypt4j.nn.network;

import java.util.Map;

/**
 * Receives, for every layer pass (and the loss and the update of a training step), its wall time and what this party
 * sent during it, by protocol step (the tag prefix: mul, trunc, a2b, relu, maxpool, ...).
 */
@FunctionalInterface
public interface LayerProfiler {
    /**
     * @param what  "layer 2 'pool1' (SecureSubsampling)", "loss" or "update"
     * @param phase "forward" or "backward"
     * @param steps protocol step (tag prefix) to {bytes sent, messages sent, rounds}
     */
    void record(String what, String phase, long nanos, long bytesSent, long rounds, Map<String, long[]> steps);
}
