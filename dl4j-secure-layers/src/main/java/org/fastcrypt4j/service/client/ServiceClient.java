package org.fastcrypt4j.service.client;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;

import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.ring.FixedPoint;
import org.fastcrypt4j.ring.RingTensor;
import org.fastcrypt4j.service.Request;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.client.ClientChannel;

/** What every client has: its name and key pair, the servers (the parties file), and the fixed point it encodes in. */
abstract class ServiceClient {
    static final long MAX_MESSAGE = 1L << 30;

    final PartiesConfig servers;
    final String name;
    final KeyPair key;
    final Duration timeout;
    final FixedPoint fixedPoint = FixedPoint.withFractionalBits(MpcSettings.defaults().fractionalBits());
    final SecureRandom random = new SecureRandom();

    ServiceClient(PartiesConfig servers, String name, KeyPair key, Duration timeout) {
        this.servers = servers;
        this.name = name;
        this.key = key;
        this.timeout = timeout;
    }

    ServerLinks open(Request r) {
        return ServerLinks.open(servers, name, key, r, timeout);
    }

    /** The servers' components of the next message (tag checked at all three), added. */
    static RingTensor download(ServerLinks links, String tag, long... shape) {
        ClientChannel.Message[] m = links.receiveAll(MAX_MESSAGE);
        if (!m[0].tag().equals(tag)) {
            throw links.failure(0, "expected '" + tag + "' from the servers, got '" + m[0].tag() + "'");
        }
        RingTensor sum = RingTensor.of(m[0].longs(), shape);
        for (int i = 1; i < 3; i++) {
            sum.addi(RingTensor.of(m[i].longs(), shape));
        }
        return sum;
    }

    static String shapeText(long[] shape, int from) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < shape.length; i++) {
            sb.append(i > from ? "," : "").append(shape[i]);
        }
        return sb.toString();
    }
}
