package org.fastcrypt4j.service;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

import org.fastcrypt4j.mpc.sharing.ClientSharing;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.ring.AesCtrPrg;
import org.fastcrypt4j.ring.RingTensor;
import org.fastcrypt4j.transport.Transport;
import org.fastcrypt4j.transport.client.ClientChannel;

/**
 * Tensors between a client and the servers over their {@link ClientChannel}s: an upload ({@link ClientSharing}: two
 * seeds to server 0, a seed and the full third component to servers 1 and 2, so 2 elements per value in all) and a
 * download (each server's re-randomised component, added at the client).
 *
 * <p>Servers check uploads with {@link Check}: the two holders of each component compare running digests of what
 * they received for it (and of the sizes the client declared), once per phase, so a client that sends inconsistent
 * pieces, or declares different sizes to different servers, is caught before the data is used.
 */
public final class Uploads {
    private Uploads() {
    }

    /** The client shares {@code x} with the three servers under {@code tag}. */
    public static void send(ClientChannel[] servers, String tag, RingTensor x, SecureRandom random) {
        ClientSharing.Upload u = ClientSharing.share(x, random);
        for (int i = 0; i < 3; i++) {
            servers[i].send(tag + "/seeds", u.seedsFor(i));
            if (i != 0) {
                servers[i].send(tag + "/full", u.fullFor(i));
            }
        }
    }

    /**
     * Server {@code party} receives an upload of {@code shape} under {@code tag} from {@code client}, adding what it
     * got to {@code check}.
     *
     * @throws org.fastcrypt4j.transport.client.ClientLinkException for another tag or size, or a lost client
     */
    public static SharedTensor receive(ClientChannel client, int party, String tag, long[] shape, Check check) {
        long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        byte[] seeds = client.receive(tag + "/seeds", party == 0 ? 2L * AesCtrPrg.SEED_BYTES : AesCtrPrg.SEED_BYTES)
                .data();
        long[] full = party == 0 ? new long[0] : client.receive(tag + "/full", n * Long.BYTES).longs();
        SharedTensor x = ClientSharing.receive(party, seeds, full, shape);
        check.add(seeds, full);
        return x;
    }

    /** The client's value: the three servers' components under {@code tag}, added. */
    public static RingTensor download(ClientChannel[] servers, String tag, long[] shape) {
        long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        RingTensor[] z = new RingTensor[3];
        for (int i = 0; i < 3; i++) {
            z[i] = RingTensor.of(servers[i].receive(tag, n * Long.BYTES).longs(), shape);
        }
        return ClientSharing.reconstruct(z[0], z[1], z[2]);
    }

    /** Running digests of one client phase's uploads, per component this server shares with each peer. */
    public static final class Check {
        private final int party;
        private final MessageDigest withNext;
        private final MessageDigest withPrev;

        public Check(int party) {
            this.party = party;
            try {
                withNext = MessageDigest.getInstance("SHA-256");
                withPrev = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Adds what the client declared (sizes, names): the three servers must have been told the same. */
        public void declared(byte[] description) {
            withNext.update(description);
            withPrev.update(description);
        }

        void add(byte[] seeds, long[] full) {
            withNext.update(ClientSharing.digest(party, Transport.next(party), seeds, full));
            withPrev.update(ClientSharing.digest(party, Transport.prev(party), seeds, full));
        }

        /**
         * Compares with both peers (one round, 32 bytes to each).
         *
         * @throws IllegalStateException naming the client when the servers got inconsistent pieces
         */
        public void verify(Transport t, String client) {
            byte[] next = withNext.digest();
            byte[] prev = withPrev.digest();
            t.send(Transport.next(party), "upload/check", ByteBuffer.wrap(next));
            t.send(Transport.prev(party), "upload/check", ByteBuffer.wrap(prev));
            ByteBuffer fromPrev = ByteBuffer.allocate(32);
            ByteBuffer fromNext = ByteBuffer.allocate(32);
            t.receive(Transport.prev(party), "upload/check", fromPrev);
            t.receive(Transport.next(party), "upload/check", fromNext);
            if (!MessageDigest.isEqual(next, fromNext.array()) || !MessageDigest.isEqual(prev, fromPrev.array())) {
                throw new IllegalStateException("client '" + client + "' sent the servers inconsistent data (other"
                        + " sizes, or pieces of different values): refused");
            }
        }
    }
}
