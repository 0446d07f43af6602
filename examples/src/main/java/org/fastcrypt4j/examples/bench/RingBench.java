package org.fastcrypt4j.examples.bench;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code ./fastcrypt4j bench ring} (being written). */
@Command(name = "ring", mixinStandardHelpOptions = true, description = "Benchmark of the ring layer.")
public final class RingBench implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("bench ring is not built yet");
    }
}
