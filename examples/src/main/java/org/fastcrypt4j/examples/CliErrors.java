package org.fastcrypt4j.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.fastcrypt4j.nn.UnsupportedConfigurationException;
import org.fastcrypt4j.nn.training.CheckpointException;
import org.fastcrypt4j.transport.PeerFailureException;

import picocli.CommandLine;

/**
 * How the command line reports a failure: one line naming what was wrong (the option, file, party or peer), the
 * stack trace only with {@code --verbose}, and an exit status a script can act on:
 * <ul>
 *   <li>{@value #USAGE}: a bad option, parties file, key file, checkpoint or configuration, found before or while
 *       setting up (nothing was trained);</li>
 *   <li>{@value #PEER}: a peer failed, could not be reached, or stopped (named in the message), or a server
 *       refused or dropped a client's link;</li>
 *   <li>{@value #FAILED}: the job ran and failed (a result check, or any other error).</li>
 * </ul>
 */
public final class CliErrors implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final int PEER = 3;

    /** The exit status for {@code e}. */
    static int exitCode(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof PeerFailureException || c instanceof org.fastcrypt4j.transport.client.ClientLinkException) {
                return PEER;
            }
        }
        Throwable root = unwrap(e);
        if (root instanceof CheckpointException || root instanceof UnsupportedConfigurationException
                || root instanceof OptionException || root instanceof IllegalArgumentException
                || root instanceof IOException) {
            return USAGE;
        }
        return FAILED;
    }

    /** The one line a user sees for {@code e}: its most specific message, with no repeated prefixes. */
    static String message(Throwable e) {
        Throwable root = unwrap(e);
        String m;
        if (root instanceof NoSuchFileException nf) {
            m = "no such file: " + nf.getFile();
        } else if (root instanceof AccessDeniedException ad) {
            m = "permission denied: " + ad.getFile();
        } else if (root instanceof FileAlreadyExistsException fe) {
            m = fe.getFile() + ": " + (fe.getReason() != null ? fe.getReason() : "exists already");
        } else {
            m = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        }
        m = m.replaceAll("^(party \\d: )(\\1)+", "$1").replace('\n', ' ');
        return m;
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof UncheckedIOException || t instanceof ExecutionException || t instanceof CompletionException
                || (t instanceof RuntimeException && t.getClass() == RuntimeException.class)
                || (t instanceof IllegalStateException && t.getMessage() != null && t.getCause() != null
                        && t.getMessage().equals(t.getCause().toString())))
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandName();
        String m = message(e);
        err.println(m.startsWith("party ") ? m : "fastcrypt4j " + name + ": " + m);
        if (verbose(parsed)) {
            writeTrace(err, e);   // --verbose only
        } else if (exitCode(e) == FAILED && !(unwrap(e) instanceof org.fastcrypt4j.service.JobFailure)) {
            err.println("(--verbose shows where)");
        }
        err.flush();
        return exitCode(e);
    }

    @Override
    public int handleParseException(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("fastcrypt4j " + cmd.getCommandName() + ": " + e.getMessage() + " (see "
                + cmd.getCommandSpec().qualifiedName() + " --help)");
        err.flush();
        return USAGE;
    }

    /** The stack trace of {@code e} and its causes, for --verbose. */
    private static void writeTrace(PrintWriter err, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            err.println((t == e ? "" : "caused by: ") + t);
            for (StackTraceElement f : t.getStackTrace()) {
                err.println("\tat " + f);
            }
        }
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** A bad option value or combination, found before anything connects. */
    public static final class OptionException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public OptionException(String message) {
            super(message);
        }
    }
}
