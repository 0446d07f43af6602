package org.fastcrypt4j.service.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.fastcrypt4j.service.JobFailure;
import org.fastcrypt4j.service.Request;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.Transport;
import org.fastcrypt4j.transport.TransportException;
import org.fastcrypt4j.transport.aeron.AeronTransport;
import org.fastcrypt4j.transport.client.ClientChannel;
import org.fastcrypt4j.transport.client.ClientLinkException;

/**
 * One of the three servers, a long-running process that serves clients one job after another.
 *
 * <ul>
 *   <li><b>Clients</b> connect over TCP to the server's host and port of the parties file
 *       ({@link ClientChannel}: Noise KK, the client's key pinned in the clients file). The first message is the
 *       client's {@link Request}; a client not in the clients file, or without the role its request needs, is refused
 *       with an error naming the role. Accepted requests wait in {@link ClientRequests}.</li>
 *   <li><b>Jobs</b> run one at a time, in the same order at the three servers: server 0 announces the request to run
 *       next (its id; 40 bytes to each peer), every server checks it holds that request (a request that did not reach
 *       all three is refused), and the three run it in lock-step: {@link TrainJob}, {@link QueryJob} (queries and
 *       model downloads). Each job starts its own session (fresh pairwise keys).</li>
 *   <li><b>Faults</b>: a job that fails (a client gone or sending bad data, a server gone) is reported to every
 *       client of the job, naming the cause as this server saw it, and the server then connects to the two others
 *       again and takes the next job: a failure ends the job, never the server. A server that dies is reported to the
 *       clients by the two others within the peer timeout (8 s), and by the clients' own links at once; once
 *       restarted it rejoins, and a training job resumes from its checkpoints if the model owner asks
 *       ({@code resume=true}).</li>
 * </ul>
 */
public final class SecureServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SecureServer.class.getName());
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    private static final long IDLE_ANNOUNCE_MS = 2000;
    private static final int ANNOUNCE_BYTES = 40;

    private final ServerSettings settings;
    private final ClientRequests requests;
    private final ModelStore models = new ModelStore();
    private final ExecutorService handshakes = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fastcrypt4j-client-handshake");
        t.setDaemon(true);
        return t;
    });
    private final Consumer<String> log;
    private volatile boolean running = true;
    private volatile AeronTransport transport;
    private ServerSocket listener;
    private Thread acceptor;
    private Thread worker;
    private volatile long jobsDone;
    private final java.util.List<JobReport> reports = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * What one finished job cost this server: seconds, bytes it sent to the other servers, bytes it received from and
     * sent to the job's clients (all shares or public counts).
     */
    public record JobReport(String what, double seconds, long serverBytesSent, long clientBytesReceived,
            long clientBytesSent) {
    }
    private volatile java.util.function.BiConsumer<String, ClientChannel.Message> audit;

    /** {@code log} receives one line per event (client refused, job started, done or failed); null: System.Logger. */
    public SecureServer(ServerSettings settings, Consumer<String> log) {
        this.settings = settings;
        this.requests = new ClientRequests(settings.clientWait().multipliedBy(2));
        this.log = log != null ? log : m -> LOG.log(System.Logger.Level.INFO, m);
    }

    /** Opens the client port and starts serving (connecting to the other servers in the background). */
    public SecureServer start() throws IOException {
        PartiesConfig.Party me = settings.parties().party(settings.id());
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        try {
            listener.bind(new InetSocketAddress(me.host(), me.port()));
        } catch (IOException e) {
            listener.bind(new InetSocketAddress(me.port()));   // the host is a name this machine is reached by
        }
        acceptor = new Thread(this::acceptLoop, "fastcrypt4j-server-" + settings.id() + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        worker = new Thread(this::serveLoop, "fastcrypt4j-server-" + settings.id());
        worker.setDaemon(true);
        worker.start();
        return this;
    }

    /**
     * Hands every message this server receives from a client after the handshake (decrypted: exactly what the server
     * learns) to {@code a} with the client's name; null stops. For audits of what a server sees.
     */
    public void auditClients(java.util.function.BiConsumer<String, ClientChannel.Message> a) {
        audit = a;
    }

    /** The reports of the jobs completed since start, oldest first. */
    public java.util.List<JobReport> reports() {
        return java.util.List.copyOf(reports);
    }

    /** Jobs completed since start. */
    public long jobsDone() {
        return jobsDone;
    }

    private String name() {
        return "server " + settings.id();
    }

    private void acceptLoop() {
        while (running) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                if (running) {
                    log.accept(name() + ": client port failed: " + e.getMessage());
                }
                return;
            }
            handshakes.submit(() -> admit(s));
        }
    }

    /** Handshake, first message, role check; then the request waits for its job. */
    private void admit(Socket s) {
        ClientChannel c;
        try {
            c = ClientChannel.accept(s, settings.id(), settings.keyPair(), settings.clients()::keyOf, HANDSHAKE_TIMEOUT);
        } catch (ClientLinkException e) {
            log.accept(name() + ": refused a connection: " + e.getMessage());
            return;
        }
        java.util.function.BiConsumer<String, ClientChannel.Message> a = audit;
        if (a != null) {
            String who = c.clientName();
            c.audit(m -> a.accept(who, m));
        }
        try {
            c.receiveTimeout(HANDSHAKE_TIMEOUT);
            Request r = Request.decode(c.receive("request", Request.MAX_BYTES).data());
            settings.clients().requireRole(c.clientName(), r.kind().role());
            c.receiveTimeout(Duration.ZERO);
            requests.add(new ClientRequests.Item(r, c.clientName(), c, System.nanoTime()));
        } catch (RuntimeException e) {
            String why = name() + ": refused client '" + c.clientName() + "': " + e.getMessage();
            log.accept(why);
            c.sendError(why);
            c.close();
        }
    }

    private void serveLoop() {
        while (running) {
            AeronTransport t;
            try {
                t = AeronTransport.connect(settings.parties(), settings.id(), settings.keyPair(), settings.links());
            } catch (TransportException e) {
                if (running) {
                    log.accept(name() + ": waiting for the other servers (" + e.getMessage() + ")");
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000_000L);
                }
                continue;
            }
            transport = t;
            log.accept(name() + ": connected to the other servers");
            try {
                while (running) {
                    step(t);
                }
            } catch (Exception | OutOfMemoryError e) {
                if (running) {
                    log.accept(name() + ": connecting again after: " + e.getMessage());
                }
            } finally {
                transport = null;
                t.close();
            }
        }
    }

    /** Agrees the next request with the other servers and runs it. */
    private void step(Transport t) throws Exception {
        int me = settings.id();
        byte[] announce = new byte[ANNOUNCE_BYTES];
        ClientRequests.Item item = null;
        if (me == 0) {
            item = requests.pollWork(IDLE_ANNOUNCE_MS);
            if (item != null) {
                announce[0] = 1;
                System.arraycopy(item.request().id().getBytes(StandardCharsets.US_ASCII), 0, announce, 1, 32);
            }
            t.send(1, "work/next", java.nio.ByteBuffer.wrap(announce));
            t.send(2, "work/next", java.nio.ByteBuffer.wrap(announce));
        } else {
            t.receive(0, "work/next", java.nio.ByteBuffer.wrap(announce));
        }
        if (announce[0] == 0) {
            return;
        }
        String id = new String(announce, 1, 32, StandardCharsets.US_ASCII);
        if (me != 0) {
            item = requests.takeWork(id, settings.clientWait().toMillis());
        }
        long[] have = {item == null ? 0 : 1};
        t.send(Transport.next(me), "work/have", have);
        t.send(Transport.prev(me), "work/have", have);
        long fromPrev = t.receive(Transport.prev(me), "work/have", 1)[0];
        long fromNext = t.receive(Transport.next(me), "work/have", 1)[0];
        if (item == null || fromPrev == 0 || fromNext == 0) {
            if (item != null) {
                String missing = (fromPrev == 0 ? "server " + Transport.prev(me) + " " : "")
                        + (fromNext == 0 ? "server " + Transport.next(me) : "");
                item.channel().sendError(name() + ": the request did not reach " + missing.trim()
                        + ": a client must send its request to all three servers");
                item.channel().close();
            }
            return;
        }
        runJob(t, item);
    }

    private void runJob(Transport t, ClientRequests.Item item) throws Exception {
        JobContext ctx = new JobContext(settings, t, requests, models);
        String what = item.describe() + (item.request().kind() == Request.Kind.TRAIN
                ? " (job '" + item.request().get("job", "?") + "')" : "");
        log.accept(name() + ": " + what + " started");
        long t0 = System.nanoTime();
        long sent0 = t.stats().totalBytesSent();
        try {
            if (item.request().kind() == Request.Kind.TRAIN) {
                new TrainJob(ctx, item).run();
            } else {
                new QueryJob(ctx, item).run();
            }
        } catch (Exception | OutOfMemoryError e) {
            // out of memory too: the job's arrays become garbage once it is abandoned, and the server goes on
            String why = name() + ": " + what + " failed: " + message(e);
            log.accept(why);
            ctx.failAll(why);
            throw new JobFailure(why, e);
        }
        long fromClients = 0;
        long toClients = 0;
        for (ClientChannel c : ctx.clients) {
            fromClients += c.bytesReceived();
            toClients += c.bytesSent();
        }
        reports.add(new JobReport(what, (System.nanoTime() - t0) / 1e9, t.stats().totalBytesSent() - sent0,
                fromClients, toClients));
        ctx.closeAll();
        jobsDone++;
        log.accept(String.format(Locale.ROOT, "%s: %s done in %.1f s", name(), what, (System.nanoTime() - t0) / 1e9));
    }

    /** The reason for the clients, in the servers' terms (the links name servers "party"). */
    private static String message(Throwable e) {
        String m = e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        return m.replaceAll("^party \\d: peer (\\d) failed during '([^']*)': ", "server $1 failed (during '$2'): ")
                .replaceAll("party (\\d) is down, hung or unreachable", "server $1 is down, hung or unreachable");
    }

    @Override
    public void close() {
        running = false;
        requests.close();
        try {
            if (listener != null) {
                listener.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        handshakes.shutdownNow();
        if (worker != null) {
            try {
                worker.join(IDLE_ANNOUNCE_MS + 3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            AeronTransport t = transport;
            if (worker.isAlive() && t != null) {
                t.close();   // a server still waiting on a peer that is gone: end its wait
            }
        }
    }
}
