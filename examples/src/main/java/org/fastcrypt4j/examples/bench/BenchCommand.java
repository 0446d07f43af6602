package org.fastcrypt4j.examples.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./fastcrypt4j bench ...}: benchmarks that print one JSON object per line. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks; each prints JSON lines with ratios against a baseline measured in the same run.",
        subcommands = {RingBench.class, TransportBench.class, ProtocolBench.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
