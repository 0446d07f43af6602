package org.fastcrypt4j.service.client;

import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.fastcrypt4j.service.JobFailure;
import org.fastcrypt4j.service.Request;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.client.ClientChannel;
import org.fastcrypt4j.transport.client.ClientLinkException;

/**
 * A client's links to the three servers for one request: connected and authenticated together, the request sent to
 * all three, and failures turned into one error: the most specific reason any server gave (a server that stopped
 * because another failed says less than the server that saw the cause), or the server whose link broke.
 */
public final class ServerLinks implements AutoCloseable {
    private final ClientChannel[] servers = new ClientChannel[3];
    private final String name;

    private ServerLinks(String name) {
        this.name = name;
    }

    /**
     * Connects client {@code name} to the three servers of {@code parties} (TCP to each server's host and port) and
     * sends {@code request} to each.
     *
     * @throws ClientLinkException naming the server that cannot be reached or refused
     */
    public static ServerLinks open(PartiesConfig parties, String name, KeyPair key, Request request,
            Duration timeout) {
        ServerLinks l = new ServerLinks(name);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<ClientChannel>> fs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                PartiesConfig.Party p = parties.party(i);
                int id = i;
                fs.add(pool.submit(() -> ClientChannel.connect(p.host(), p.port(), name, key, id, p.publicKey(),
                        timeout)));
            }
            for (int i = 0; i < 3; i++) {
                try {
                    l.servers[i] = fs.get(i).get(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException re ? re : new ClientLinkException(e.toString());
                }
            }
            byte[] r = request.encode();
            try {
                for (ClientChannel c : l.servers) {
                    c.send("request", r);
                }
            } catch (ClientLinkException e) {
                throw l.failure(-1, e.getMessage());
            }
            return l;
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            l.close();
            throw new ClientLinkException("client '" + name + "': the servers did not answer in time");
        } catch (RuntimeException e) {
            l.close();
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    public ClientChannel[] channels() {
        return servers;
    }

    public ClientChannel server(int i) {
        return servers[i];
    }

    /** Bytes this client sent to all three servers. */
    public long bytesSent() {
        long n = 0;
        for (ClientChannel c : servers) {
            n += c == null ? 0 : c.bytesSent();
        }
        return n;
    }

    public long bytesReceived() {
        long n = 0;
        for (ClientChannel c : servers) {
            n += c == null ? 0 : c.bytesReceived();
        }
        return n;
    }

    /**
     * The next message from every server, which must carry the same tag from each (the servers run in lock-step):
     * returns them in server order.
     *
     * @throws JobFailure with the best reason the servers gave, when any link fails or sends an error
     */
    public ClientChannel.Message[] receiveAll(long maxBytes) {
        ClientChannel.Message[] out = new ClientChannel.Message[3];
        for (int i = 0; i < 3; i++) {
            try {
                out[i] = servers[i].receive(maxBytes);
            } catch (ClientLinkException e) {
                throw failure(i, e.getMessage());
            }
            if (out[i].tag().equals(ClientChannel.ERROR_TAG)) {
                throw failure(i, new String(out[i].data(), java.nio.charset.StandardCharsets.UTF_8));
            }
            if (i > 0 && !out[i].tag().equals(out[0].tag())) {
                throw failure(i, "server " + i + " sent '" + out[i].tag() + "' where server 0 sent '" + out[0].tag()
                        + "'");
            }
        }
        return out;
    }

    /**
     * The error to show when server {@code first} (-1: a link, unknown which) failed with {@code reason}: reads, for
     * a few seconds, what every server still has to say and keeps the most specific (one that names a client, a file or a model over one that reports a peer server
     * failed).
     */
    public JobFailure failure(int first, String reason) {
        String best = reason;
        for (int i = 0; i < 3; i++) {
            if (servers[i] == null || !servers[i].isOpen()) {
                continue;
            }
            try {
                servers[i].receiveTimeout(Duration.ofSeconds(3));
                for (int k = 0; k < 1000; k++) {
                    ClientChannel.Message m = servers[i].receive(1 << 24);
                    if (m.tag().equals(ClientChannel.ERROR_TAG)) {
                        String other = new String(m.data(), java.nio.charset.StandardCharsets.UTF_8);
                        if (rank(other) < rank(best)) {
                            best = other;
                        }
                        break;
                    }
                }
            } catch (RuntimeException ignored) {
                // that server has nothing more to say
            }
        }
        close();
        return new JobFailure(best);
    }

    private static int rank(String m) {
        if (m.contains("peer ") || m.contains("failed (during") || m.contains("link lost") || m.contains("closed the link")) {
            return 2;
        }
        return m.contains("client '") || m.contains("model '") || m.contains("data owner") ? 0 : 1;
    }

    @Override
    public void close() {
        for (ClientChannel c : servers) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Override
    public String toString() {
        return "client '" + name + "'";
    }
}
