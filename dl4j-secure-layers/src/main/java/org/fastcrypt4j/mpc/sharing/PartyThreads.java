package org.fastcrypt4j.mpc.sharing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.fastcrypt4j.transport.InProcessNetwork;
import org.fastcrypt4j.transport.PeerFailureException;
import org.fastcrypt4j.transport.Transport;

/**
 * Runs the three parties of one computation in this JVM, each on its own thread, over the given links
 * (in-process queues, or Aeron IPC/UDP). Used by tests, benchmarks and the one-host demo.
 */
public final class PartyThreads {

    /** The code each party runs with its own session. */
    @FunctionalInterface
    public interface PartyBody<T> {
        T run(Session session) throws Exception;
    }

    private PartyThreads() {
    }

    /**
     * Starts a session per transport (settings check and key agreement), runs {@code body} on three
     * threads and returns the three results in party order. A party that fails closes its transport, so the
     * others fail at once ("link lost") rather than wait; the first failure is rethrown.
     */
    public static <T> List<T> run(MpcSettings settings, Transport[] transports, PartyBody<T> body) {
        return run(settings, Session.LinkPolicy.REQUIRE_PROTECTED, transports, body);
    }

    /** How each party's session starts (fresh, or restored from a checkpoint's PRG states). */
    @FunctionalInterface
    public interface SessionStarter {
        Session start(Transport transport);
    }

    /** As {@link #run(MpcSettings, Transport[], PartyBody)} with an explicit policy for unprotected links. */
    public static <T> List<T> run(MpcSettings settings, Session.LinkPolicy policy, Transport[] transports,
            PartyBody<T> body) {
        return run(transports, t -> Session.start(t, settings, policy), body);
    }

    /** As {@link #run(MpcSettings, Transport[], PartyBody)}, each session started by {@code starter}. */
    public static <T> List<T> run(Transport[] transports, SessionStarter starter, PartyBody<T> body) {
        if (transports.length != 3) {
            throw new IllegalArgumentException("three transports needed, got " + transports.length);
        }
        ExecutorService pool = Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, "mpc-party");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Transport t : transports) {
                futures.add(pool.submit(() -> {
                    Thread.currentThread().setName("mpc-party-" + t.partyId());
                    try {
                        Session s = starter.start(t);
                        return body.run(s);
                    } catch (Throwable e) {
                        // close this party's links so that its peers stop at once instead of waiting for it
                        t.close();
                        throw e;
                    }
                }));
            }
            List<T> results = new ArrayList<>();
            Throwable cause = null;
            for (Future<T> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    results.add(null);
                    Throwable c = e.getCause();
                    // the party that failed on its own is the cause (bad input, a refused checkpoint, a bug); its
                    // peers then report it as lost or gone: a transport failure is the cause only without another
                    if (cause == null || rank(c) < rank(cause)) {
                        cause = c;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            if (cause != null) {
                throw new IllegalStateException(cause);
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** How likely a failure is the root cause: its own error, then a transport failure, then a lost peer. */
    private static int rank(Throwable t) {
        if (t instanceof PeerFailureException) {
            return 2;
        }
        return t instanceof org.fastcrypt4j.transport.TransportException ? 1 : 0;
    }

    /**
     * Runs the three parties over in-memory links (no Aeron). INSECURE by nature (nothing is encrypted, which
     * is harmless only because the three parties share this JVM): for unit tests.
     */
    public static <T> List<T> runInProcess(MpcSettings settings, PartyBody<T> body) {
        try (InProcessNetwork net = new InProcessNetwork()) {
            return run(settings, Session.LinkPolicy.ALLOW_UNPROTECTED_INSECURE,
                    new Transport[] {net.party(0), net.party(1), net.party(2)}, body);
        }
    }
}
