package org.fastcrypt4j.mpc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.fastcrypt4j.transport.InProcessNetwork;
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
     * threads and returns the three results in party order. The first failure of any party is
     * rethrown (the others then fail on their own within the transport's timeout).
     */
    public static <T> List<T> run(MpcSettings settings, Transport[] transports, PartyBody<T> body) {
        return run(settings, Session.LinkPolicy.REQUIRE_PROTECTED, transports, body);
    }

    /** As {@link #run(MpcSettings, Transport[], PartyBody)} with an explicit policy for unprotected links. */
    public static <T> List<T> run(MpcSettings settings, Session.LinkPolicy policy, Transport[] transports,
            PartyBody<T> body) {
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
                    Session s = Session.start(t, settings, policy);
                    return body.run(s);
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException re) {
                        throw re;
                    }
                    if (c instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
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
