package org.fastcrypt4j.examples.bench;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code ./fastcrypt4j bench protocols} (being written). */
@Command(name = "protocols", mixinStandardHelpOptions = true, description = "Benchmark of the protocols layer.")
public final class ProtocolBench implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("bench protocols is not built yet");
    }
}
