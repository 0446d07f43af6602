package org.fastcrypt4j.service.server;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.fastcrypt4j.service.JobFailure;
import org.fastcrypt4j.service.ModelConfig;
import org.fastcrypt4j.transport.Transport;
import org.fastcrypt4j.transport.client.ClientChannel;

/**
 * What a job at one server works with: the settings, the links to the other servers, the clients' requests, the
 * models held, and the clients the job has taken on (told of the outcome, closed at its end).
 */
final class JobContext {
    final ServerSettings settings;
    final Transport servers;
    final ClientRequests requests;
    final ModelStore models;
    final List<ClientChannel> clients = new ArrayList<>();

    JobContext(ServerSettings settings, Transport servers, ClientRequests requests, ModelStore models) {
        this.settings = settings;
        this.servers = servers;
        this.requests = requests;
        this.models = models;
    }

    int party() {
        return settings.id();
    }

    /** Adds a client to the job (told of its failure, closed at its end). */
    ClientChannel take(ClientChannel c) {
        clients.add(c);
        return c;
    }

    /**
     * The three servers check they hold the same {@code what} (a request, a configuration, declared sizes): one round,
     * 32 bytes to each peer.
     *
     * @throws JobFailure with {@code failure} if a peer holds another
     */
    void agree(String failure, byte[]... parts) {
        byte[] d = sha256(parts);
        int me = party();
        servers.send(Transport.next(me), "job/agree", ByteBuffer.wrap(d));
        servers.send(Transport.prev(me), "job/agree", ByteBuffer.wrap(d));
        ByteBuffer a = ByteBuffer.allocate(32);
        ByteBuffer b = ByteBuffer.allocate(32);
        servers.receive(Transport.prev(me), "job/agree", a);
        servers.receive(Transport.next(me), "job/agree", b);
        if (!MessageDigest.isEqual(d, a.array()) || !MessageDigest.isEqual(d, b.array())) {
            throw new JobFailure(failure);
        }
    }

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                sha.update(ByteBuffer.allocate(4).putInt(p.length).array());
                sha.update(p);
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks a client's declared row shape against the model's ({@link ModelConfig#rowShape}).
     *
     * @throws JobFailure naming the client
     */
    static void checkRows(String client, long[] declared, ModelConfig secure) {
        long[] want = secure.rowShape();
        if (want != null && Arrays.stream(declared).reduce(1, (a, b) -> a * b) != want[0]) {
            throw new JobFailure("client '" + client + "' sends rows of shape " + Arrays.toString(declared) + "; the"
                    + " model takes rows of " + want[0] + " values");
        }
    }

    /** Tells every client of the job why it failed (best effort) and closes them. */
    void failAll(String message) {
        for (ClientChannel c : clients) {
            c.sendError(message);
            c.close();
        }
        clients.clear();
    }

    void closeAll() {
        clients.forEach(ClientChannel::close);
        clients.clear();
    }
}
