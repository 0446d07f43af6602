package org.fastcrypt4j.transport.aeron;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** How a local group of parties finds its UDP ports, and what it does when one is taken before it binds. */
class LocalPartiesTest {

    @Test
    void freePortsAreDistinctAndOutsideTheEphemeralRange() {
        int[] range = LocalParties.ephemeralRange();
        for (int round = 0; round < 50; round++) {
            int[] p = LocalParties.freeUdpPorts();
            assertNotEquals(p[0], p[1]);
            assertNotEquals(p[0], p[2]);
            assertNotEquals(p[1], p[2]);
            for (int port : p) {
                assertTrue(port >= 1024 && port <= 65535, "port " + port);
                if (range[0] - 10_000 >= 1_000) {
                    assertTrue(port < range[0], "port " + port + " inside the ephemeral range " + range[0] + "-" + range[1]);
                }
            }
        }
        int base = LocalParties.freeUdpPortBlock(3);
        assertTrue(base + 2 <= 65535, "block at " + base);
    }

    @Test
    void aPortTakenBeforeTheDriverBindsItIsReplacedByFreshOnes() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(lo, LocalParties.freeUdpPortBlock(1)))) {
            int taken = squatter.getLocalPort();
            AtomicInteger attempts = new AtomicInteger();
            try (LocalParties net = LocalParties.udpLoopback(new AeronContext(),
                    LocalParties.freshKeys(), () -> {
                int[] p = LocalParties.freeUdpPorts();
                if (attempts.incrementAndGet() == 1) {
                    p[1] = taken;   // another process got there first
                }
                return p;
            })) {
                assertEquals(2, attempts.get(), "one attempt on the taken port, one on fresh ports");
                assertNotEquals(taken, net.config().party(1).port());
                long[] payload = AeronTransportTest.data(7, 100);
                List<long[]> got = net.run(t -> {
                    if (t.partyId() == 0) {
                        t.send(1, "retry/x", payload);
                        t.send(2, "retry/x", payload);
                        return null;
                    }
                    return t.receive(0, "retry/x", payload.length);
                });
                assertArrayEquals(payload, got.get(1));
                assertArrayEquals(payload, got.get(2));
            }
        }
    }

    @Test
    void aPortThatStaysTakenFailsAfterABoundedNumberOfAttemptsNamingTheCause() throws Exception {
        InetAddress lo = InetAddress.getLoopbackAddress();
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(lo, LocalParties.freeUdpPortBlock(1)))) {
            int taken = squatter.getLocalPort();
            AtomicInteger attempts = new AtomicInteger();
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> LocalParties.udpLoopback(new AeronContext(),
                    LocalParties.freshKeys(), () -> {
                        attempts.incrementAndGet();
                        int[] p = LocalParties.freeUdpPorts();
                        p[0] = taken;
                        return p;
                    }).close());
            assertEquals(5, attempts.get());
            assertTrue(LocalParties.isAddressInUse(e), String.valueOf(e));
        }
    }
}
