package org.fastcrypt4j.examples.bench;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code ./fastcrypt4j bench transport} (being written). */
@Command(name = "transport", mixinStandardHelpOptions = true, description = "Benchmark of the transport layer.")
public final class TransportBench implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("bench transport is not built yet");
    }
}
