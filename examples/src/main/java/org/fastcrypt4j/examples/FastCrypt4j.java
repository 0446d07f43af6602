package org.fastcrypt4j.examples;

import org.fastcrypt4j.examples.bench.BenchCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./fastcrypt4j} command line. */
@Command(name = "fastcrypt4j", mixinStandardHelpOptions = true, version = "FastCrypt4J 0.1.0",
        description = "Three-party privacy-preserving deep learning for Deeplearning4j.",
        subcommands = {DemoCommand.class, PartyCommand.class, org.fastcrypt4j.examples.bench.BenchmarkCommand.class, BenchCommand.class, KeygenCommand.class})
public final class FastCrypt4j implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        int code = new CommandLine(new FastCrypt4j()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }
}
