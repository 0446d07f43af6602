package org.fastcrypt4j.examples;

import org.fastcrypt4j.examples.bench.BenchCommand;
import org.fastcrypt4j.examples.bench.BenchmarkCommand;
import org.fastcrypt4j.examples.service.ClientCommand;
import org.fastcrypt4j.examples.service.ServerCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code ./fastcrypt4j} command line. A failure prints one line naming what was wrong, the stack trace only with
 * {@code --verbose}; exit status 2 for a bad option, file or configuration, 3 for a peer that failed or could not be
 * reached, 1 for a job that failed ({@link CliErrors}).
 */
@Command(name = "fastcrypt4j", mixinStandardHelpOptions = true, version = "FastCrypt4J 0.1.0",
        description = "Three-party privacy-preserving deep learning for Deeplearning4j.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "1:the job failed", "2:bad option, file or configuration",
                "3:a peer failed or could not be reached"},
        subcommands = {DemoCommand.class, PartyCommand.class, ServerCommand.class, ClientCommand.class,
                BenchmarkCommand.class, BenchCommand.class, KeygenCommand.class})
public final class FastCrypt4j implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "print the stack trace of a failure")
    boolean verbose;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The command line with the project's error handling (used by main and by the tests). */
    public static CommandLine commandLine() {
        CliErrors errors = new CliErrors();
        return new CommandLine(new FastCrypt4j()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(errors).setParameterExceptionHandler(errors);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
