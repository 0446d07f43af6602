package org.fastcrypt4j.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Three connected {@link AeronTransport} parties inside this JVM, for tests, benchmarks and protocol code
 * that simulates the three parties in one process. Fresh X25519 keys are generated for the three parties.
 *
 * <pre>{@code
 * try (LocalParties net = LocalParties.ipc(new AeronTransport.Context())) {
 *     List<long[]> out = net.run(t -> myProtocolStep(t));   // t.partyId() is 0, 1, 2; one thread each
 * }
 * }</pre>
 *
 * {@link #ipc} links the parties over Aeron IPC (shared memory, the fastest); {@link #udpLoopback} over UDP
 * on 127.0.0.1 with free ports, i.e. exactly the code path used between hosts. Each party must be driven by
 * its own thread (a party blocks in receive until its peers send): use {@link #run}, or start threads
 * yourself with {@link #party}. Every instance uses its own Aeron stream ids (it sets the context's
 * {@code streamIdBase}), so several groups may be open at once in one JVM. Closing closes the three transports (and the JVM's media driver when no
 * other transport uses it).
 */
public final class LocalParties implements AutoCloseable {

    /** The work of one party. */
    @FunctionalInterface
    public interface PartyTask<T> {
        T run(Transport transport) throws Exception;
    }

    /** Each instance gets its own stream ids, so several groups can share the JVM's driver (and IPC). */
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final AeronTransport[] parties = new AeronTransport[3];
    private final PartiesConfig config;

    private LocalParties(AeronTransport.Context ctx, String host, int[] ports) {
        this(ctx, host, ports, new KeyPair[] {PartyKeys.generate(), PartyKeys.generate(), PartyKeys.generate()});
    }

    private LocalParties(AeronTransport.Context ctx, String host, int[] ports, KeyPair[] keys) {
        config = new PartiesConfig(
                new PartiesConfig.Party(0, host, ports[0], keys[0].getPublic()),
                new PartiesConfig.Party(1, host, ports[1], keys[1].getPublic()),
                new PartiesConfig.Party(2, host, ports[2], keys[2].getPublic()));
        ctx.streamIdBase(AeronTransport.Context.DEFAULT_STREAM_ID_BASE
                + 2 * AeronTransport.Context.STREAM_IDS_PER_GROUP * INSTANCES.incrementAndGet());
        try {
            for (int i = 0; i < 3; i++) {
                parties[i] = new AeronTransport(config, i, keys[i], ctx);
            }
            // the handshakes and the session-id agreement need all three parties at once
            run(t -> {
                ((AeronTransport) t).awaitConnected();
                return null;
            });
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Three parties over Aeron IPC; {@code ctx}'s channel is set to IPC. */
    public static LocalParties ipc(AeronTransport.Context ctx) {
        return new LocalParties(ctx.channel(AeronTransport.Context.Channel.IPC), "127.0.0.1", new int[] {1, 2, 3});
    }

    /** Three parties over UDP on 127.0.0.1 with free ports; {@code ctx}'s channel is set to UDP. */
    public static LocalParties udpLoopback(AeronTransport.Context ctx) {
        return new LocalParties(ctx.channel(AeronTransport.Context.Channel.UDP), "127.0.0.1", freeUdpPorts());
    }

    /**
     * Three parties over UDP on 127.0.0.1 with free ports and the given static key pairs (for example ones kept
     * with a checkpoint, so that a resumed run is a session of the same parties).
     */
    public static LocalParties udpLoopback(AeronTransport.Context ctx, KeyPair[] keys) {
        if (keys.length != 3) {
            throw new IllegalArgumentException("three key pairs needed, got " + keys.length);
        }
        return new LocalParties(ctx.channel(AeronTransport.Context.Channel.UDP), "127.0.0.1", freeUdpPorts(), keys);
    }

    /** Three distinct UDP ports that were free a moment ago. */
    public static int[] freeUdpPorts() {
        DatagramSocket[] s = new DatagramSocket[3];
        int[] ports = new int[3];
        try {
            for (int i = 0; i < 3; i++) {
                s[i] = new DatagramSocket(0);
                ports[i] = s[i].getLocalPort();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (DatagramSocket d : s) {
                if (d != null) {
                    d.close();
                }
            }
        }
        return ports;
    }

    public Transport party(int id) {
        return parties[id];
    }

    /** The Aeron transport of party {@code id} (for its link statistics). */
    public AeronTransport aeron(int id) {
        return parties[id];
    }

    public PartiesConfig config() {
        return config;
    }

    /**
     * Runs {@code task} for the three parties, each on its own thread, and returns the results in party
     * order. If a party fails, the first failure is rethrown (the others then fail within the peer timeout).
     */
    public <T> List<T> run(PartyTask<T> task) {
        ExecutorService pool = Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, "fastcrypt4j-party");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Transport t = parties[i];
                futures.add(pool.submit(() -> task.run(t)));
            }
            List<T> out = new ArrayList<>();
            RuntimeException first = null;
            for (Future<T> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    out.add(null);
                    if (first == null) {
                        Throwable c = e.getCause();
                        first = c instanceof RuntimeException re ? re : new TransportException(c.toString(), c);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new TransportException("interrupted while running the parties", e);
                }
            }
            if (first != null) {
                throw first;
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public void close() {
        for (AeronTransport t : parties) {
            if (t != null) {
                t.close();
            }
        }
    }
}
