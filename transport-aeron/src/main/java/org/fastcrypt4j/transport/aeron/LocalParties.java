package org.fastcrypt4j.transport.aeron;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.PartyKeys;
import org.fastcrypt4j.transport.Transport;
import org.fastcrypt4j.transport.TransportException;

/**
 * Three connected {@link AeronTransport} parties inside this JVM, for tests, benchmarks and protocol code
 * that simulates the three parties in one process. Fresh X25519 keys are generated for the three parties.
 *
 * <pre>{@code
 * try (LocalParties net = LocalParties.ipc(new AeronContext())) {
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

    private LocalParties(AeronContext ctx, String host, int[] ports, KeyPair[] keys) {
        config = new PartiesConfig(
                new PartiesConfig.Party(0, host, ports[0], keys[0].getPublic()),
                new PartiesConfig.Party(1, host, ports[1], keys[1].getPublic()),
                new PartiesConfig.Party(2, host, ports[2], keys[2].getPublic()));
        ctx.streamIdBase(AeronContext.DEFAULT_STREAM_ID_BASE
                + 2 * AeronContext.STREAM_IDS_PER_GROUP * INSTANCES.incrementAndGet());
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

    /** Three fresh X25519 key pairs, one per party. */
    public static KeyPair[] freshKeys() {
        return new KeyPair[] {PartyKeys.generate(), PartyKeys.generate(), PartyKeys.generate()};
    }

    /** Three parties over Aeron IPC; {@code ctx}'s channel is set to IPC. */
    public static LocalParties ipc(AeronContext ctx) {
        return new LocalParties(ctx.channel(AeronContext.Channel.IPC), "127.0.0.1", new int[] {1, 2, 3},
                freshKeys());
    }

    /**
     * Three parties over Aeron IPC with the given static key pairs (for example those of an earlier session whose
     * checkpoints a run resumes: the checkpoints name the parties by their keys).
     */
    public static LocalParties ipc(AeronContext ctx, KeyPair[] keys) {
        if (keys.length != 3) {
            throw new IllegalArgumentException("three key pairs needed, got " + keys.length);
        }
        return new LocalParties(ctx.channel(AeronContext.Channel.IPC), "127.0.0.1", new int[] {1, 2, 3}, keys);
    }

    /** Three parties over UDP on 127.0.0.1 with free ports; {@code ctx}'s channel is set to UDP. */
    public static LocalParties udpLoopback(AeronContext ctx) {
        return udpLoopback(ctx, freshKeys());
    }

    /**
     * Three parties over UDP on 127.0.0.1 with free ports and the given static key pairs (for example ones kept
     * with a checkpoint, so that a resumed run is a session of the same parties).
     *
     * <p>A port that was free when chosen can be taken by another process before the media driver binds it;
     * the group is then built again on fresh ports, at most {@value #BIND_ATTEMPTS} times.
     */
    public static LocalParties udpLoopback(AeronContext ctx, KeyPair[] keys) {
        if (keys.length != 3) {
            throw new IllegalArgumentException("three key pairs needed, got " + keys.length);
        }
        return udpLoopback(ctx, keys, LocalParties::freeUdpPorts);
    }

    /** As {@link #udpLoopback(AeronContext, KeyPair[])}, with the ports of each attempt from {@code ports}. */
    static LocalParties udpLoopback(AeronContext ctx, KeyPair[] keys, Supplier<int[]> ports) {
        ctx.channel(AeronContext.Channel.UDP);
        for (int attempt = 1; ; attempt++) {
            try {
                return new LocalParties(ctx, "127.0.0.1", ports.get(), keys);
            } catch (RuntimeException e) {
                if (attempt >= BIND_ATTEMPTS || !isAddressInUse(e)) {
                    throw e;
                }
            }
        }
    }

    private static final int BIND_ATTEMPTS = 5;

    static boolean isAddressInUse(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (c instanceof BindException || (m != null && m.contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Three distinct UDP ports on 127.0.0.1 that were free a moment ago, chosen outside the kernel's range of
     * ephemeral ports (Linux: {@code /proc/sys/net/ipv4/ip_local_port_range}), so that the source ports the
     * media driver's publications bind cannot take them before the parties' subscriptions do.
     */
    public static int[] freeUdpPorts() {
        int[] ports = new int[3];
        for (int i = 0; i < 3; i++) {
            int p;
            do {
                p = freeUdpPortBlock(1);
            } while (i > 0 && (p == ports[0] || p == ports[i - 1]));
            ports[i] = p;
        }
        return ports;
    }

    /**
     * Three ports on 127.0.0.1 that were free a moment ago for both UDP and TCP: for servers whose clients connect over
     * TCP to the port number their links to each other use over UDP.
     */
    public static int[] freeUdpAndTcpPorts() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int[] p = freeUdpPorts();
            boolean ok = true;
            for (int port : p) {
                try (java.net.ServerSocket s = new java.net.ServerSocket()) {
                    s.bind(new InetSocketAddress(LOOPBACK, port));
                } catch (IOException e) {
                    ok = false;
                }
            }
            if (ok) {
                return p;
            }
        }
        throw new TransportException("no three ports free for both UDP and TCP on 127.0.0.1");
    }

    /**
     * The first of {@code n} consecutive UDP ports on 127.0.0.1 that were free a moment ago (for the launcher's
     * {@code --port P}: parties on P, P+1, P+2), outside the ephemeral range as {@link #freeUdpPorts}.
     */
    public static int freeUdpPortBlock(int n) {
        int[] range = ephemeralRange();
        int lo;
        int hi;
        if (range[0] - 10_000 >= 1_000) {       // below the ephemeral range (Linux default 32768-60999)
            lo = 10_000;
            hi = range[0] - n;
        } else if (65_535 - range[1] >= 1_000) {  // above it
            lo = range[1] + 1;
            hi = 65_535 - n;
        } else {                                  // no room outside: any port the kernel deems free
            lo = 1_024;
            hi = 65_535 - n;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int tries = 0; tries < 1_000; tries++) {
            int base = lo + rnd.nextInt(hi - lo + 1);
            if (allFree(base, n)) {
                return base;
            }
        }
        throw new TransportException("no " + n + " consecutive free UDP ports found in " + lo + ".." + hi);
    }

    private static boolean allFree(int base, int n) {
        DatagramSocket[] s = new DatagramSocket[n];
        try {
            for (int i = 0; i < n; i++) {
                s[i] = new DatagramSocket(new InetSocketAddress(LOOPBACK, base + i));
            }
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            for (DatagramSocket d : s) {
                if (d != null) {
                    d.close();
                }
            }
        }
    }

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** The kernel's ephemeral port range, or IANA's 49152-65535 where it cannot be read. */
    static int[] ephemeralRange() {
        try {
            String[] f = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .trim().split("\\s+");
            return new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1])};
        } catch (IOException | RuntimeException e) {
            return new int[] {49_152, 65_535};
        }
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
