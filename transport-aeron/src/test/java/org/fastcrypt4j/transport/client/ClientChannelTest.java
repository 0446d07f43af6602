package org.fastcrypt4j.transport.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.fastcrypt4j.transport.PartyKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Client links: the Noise KK handshake authenticates both ends (an unknown client, a client with another key, a
 * server without the pinned key are refused, naming what failed), messages of many frames arrive intact, a message
 * larger than the receiver accepts is refused before it is allocated, and a tampered byte ends the link.
 */
class ClientChannelTest {
    private final KeyPair server = PartyKeys.generate();
    private final KeyPair alice = PartyKeys.generate();
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final long seed = 0xC1L;

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** Accepts one connection on a free loopback port; the future holds the server's channel or its failure. */
    private record Listening(int port, Future<ClientChannel> channel) {
    }

    private Listening listen(Map<String, java.security.PublicKey> clients) throws Exception {
        ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Future<ClientChannel> f = pool.submit(() -> {
            try (ss) {
                Socket s = ss.accept();
                return ClientChannel.accept(s, 1, server, clients::get, Duration.ofSeconds(10));
            }
        });
        return new Listening(ss.getLocalPort(), f);
    }

    private ClientChannel connect(int port, String name, KeyPair key, KeyPair pinnedServer) {
        return ClientChannel.connect("127.0.0.1", port, name, key, 1, pinnedServer.getPublic(), Duration.ofSeconds(10));
    }

    @Test
    void messagesOfManyFramesArriveIntactBothWays() throws Exception {
        Listening l = listen(Map.of("alice", alice.getPublic()));
        try (ClientChannel c = connect(l.port(), "alice", alice, server);
             ClientChannel s = l.channel().get(10, TimeUnit.SECONDS)) {
            assertEquals("alice", s.clientName());
            long[] big = new SplittableRandom(seed).longs(300_000).toArray();   // 2.4 MB: three frames
            Future<?> send = pool.submit(() -> c.send("data/x", big));
            assertArrayEquals(big, s.receive("data/x", big.length * 8L).longs(), "seed " + seed);
            send.get(10, TimeUnit.SECONDS);
            s.send("reply", new byte[] {1, 2, 3});
            assertArrayEquals(new byte[] {1, 2, 3}, c.receive("reply", 3).data());
            s.sendError("server 1: no model 'm'");
            ClientLinkException e = assertThrows(ClientLinkException.class, () -> c.receive("result", 100));
            assertEquals("server 1: no model 'm'", e.getMessage());
        }
    }

    @Test
    void aMessageLargerThanAcceptedIsRefusedBeforeAllocation() throws Exception {
        Listening l = listen(Map.of("alice", alice.getPublic()));
        try (ClientChannel c = connect(l.port(), "alice", alice, server);
             ClientChannel s = l.channel().get(10, TimeUnit.SECONDS)) {
            c.send("data/x", new byte[5000]);
            ClientLinkException e = assertThrows(ClientLinkException.class, () -> s.receive("data/x", 4096));
            assertTrue(e.getMessage().contains("5000 bytes") && e.getMessage().contains("client 'alice'"),
                    e.getMessage());
        }
    }

    @Test
    void unknownClientsWrongKeysAndWrongServersAreRefused() throws Exception {
        Listening l = listen(Map.of("alice", alice.getPublic()));
        ClientLinkException unknown = assertThrows(ClientLinkException.class,
                () -> connect(l.port(), "mallory", PartyKeys.generate(), server));
        assertTrue(unknown.getMessage().contains("no client 'mallory'"), unknown.getMessage());
        Exception atServer = assertThrows(Exception.class, () -> l.channel().get(10, TimeUnit.SECONDS));
        assertTrue(atServer.getCause().getMessage().contains("mallory"), atServer.getCause().getMessage());

        Listening l2 = listen(Map.of("alice", alice.getPublic()));
        ClientLinkException wrongKey = assertThrows(ClientLinkException.class,
                () -> connect(l2.port(), "alice", PartyKeys.generate(), server));
        assertTrue(wrongKey.getMessage().contains("did not authenticate"), wrongKey.getMessage());

        Listening l3 = listen(Map.of("alice", alice.getPublic()));
        ClientLinkException impostor = assertThrows(ClientLinkException.class,
                () -> connect(l3.port(), "alice", alice, PartyKeys.generate()));
        assertTrue(impostor.getMessage().contains("server 1"), impostor.getMessage());
    }

    @Test
    void aTamperedByteEndsTheLink() throws Exception {
        // a relay between client and server that flips one byte of the first data frame after the handshake
        Listening l = listen(Map.of("alice", alice.getPublic()));
        ServerSocket relay = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        pool.submit(() -> {
            try (relay; Socket in = relay.accept(); Socket out = new Socket("127.0.0.1", l.port())) {
                pool.submit(() -> out.getInputStream().transferTo(in.getOutputStream()));
                var src = in.getInputStream();
                var dst = out.getOutputStream();
                byte[] buf = new byte[1 << 16];
                long total = 0;
                for (int n; (n = src.read(buf)) > 0; ) {
                    for (int i = 0; i < n; i++) {
                        if (total + i == 200) {
                            buf[i] ^= 1;   // past the hello and KK message 1 (about 100 bytes): inside a frame
                        }
                    }
                    total += n;
                    dst.write(buf, 0, n);
                }
            }
            return null;
        });
        try (ClientChannel c = connect(relay.getLocalPort(), "alice", alice, server);
             ClientChannel s = l.channel().get(10, TimeUnit.SECONDS)) {
            c.send("data/x", new byte[1000]);
            ClientLinkException e = assertThrows(ClientLinkException.class, () -> s.receive(100_000));
            assertTrue(e.getMessage().contains("did not authenticate"), e.getMessage());
        }
    }

    @Test
    void clientsFileNamesLineAndRoles() {
        String k = PartyKeys.encodePublic(alice.getPublic());
        ClientsConfig c = ClientsConfig.parse(List.of("# clients", "alice model-owner,querier " + k), "clients.conf");
        c.requireRole("alice", ClientsConfig.Role.QUERIER);
        SecurityException e = assertThrows(SecurityException.class,
                () -> c.requireRole("alice", ClientsConfig.Role.DATA_OWNER));
        assertTrue(e.getMessage().contains("'alice' is not a data-owner"), e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ClientsConfig.parse(List.of("bob owner " + k), "clients.conf"));
        assertTrue(bad.getMessage().startsWith("clients.conf:1: unknown role 'owner'"), bad.getMessage());
    }
}
