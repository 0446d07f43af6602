package org.fastcrypt4j.transport;

import java.util.Map;
import java.util.TreeMap;

/**
 * Bytes, messages and rounds of one party, per tag prefix (the tag up to its first {@code '/'}).
 *
 * <p>Rounds are counted causally: every message is stamped with {@code depth + 1}, where {@code depth}
 * is the longest chain of messages that has reached this party; receiving a message raises the depth
 * to its stamp. Messages sent in parallel share a stamp, so "everybody sends, then everybody receives"
 * is one round however many messages it takes. A prefix's round count is the number of distinct,
 * increasing stamps among its messages; {@link #depth()} differences give a protocol's total rounds.
 */
public final class TrafficStats {

    /** Counters of one tag prefix. */
    public static final class Counter {
        long bytesSent;
        long bytesReceived;
        long messagesSent;
        long messagesReceived;
        long rounds;
        long lastStamp = Long.MIN_VALUE;

        public long bytesSent() {
            return bytesSent;
        }

        public long bytesReceived() {
            return bytesReceived;
        }

        public long messagesSent() {
            return messagesSent;
        }

        public long messagesReceived() {
            return messagesReceived;
        }

        public long rounds() {
            return rounds;
        }

        void stamp(long s) {
            if (s > lastStamp) {
                lastStamp = s;
                rounds++;
            }
        }
    }

    private final Map<String, Counter> byPrefix = new TreeMap<>();
    private long depth;

    /** The prefix a tag is counted under. */
    public static String prefixOf(String tag) {
        int slash = tag.indexOf('/');
        return slash < 0 ? tag : tag.substring(0, slash);
    }

    private Counter counter(String tag) {
        return byPrefix.computeIfAbsent(prefixOf(tag), k -> new Counter());
    }

    /** Records a message about to be sent; returns the round stamp it must carry. */
    public synchronized long onSend(String tag, long payloadBytes) {
        long stamp = depth + 1;
        Counter c = counter(tag);
        c.bytesSent += payloadBytes;
        c.messagesSent++;
        c.stamp(stamp);
        return stamp;
    }

    /** Records a message received with the given round stamp. */
    public synchronized void onReceive(String tag, long payloadBytes, long stamp) {
        Counter c = counter(tag);
        c.bytesReceived += payloadBytes;
        c.messagesReceived++;
        c.stamp(stamp);
        if (stamp > depth) {
            depth = stamp;
        }
    }

    /** The longest chain of messages that has reached this party (never reset). */
    public synchronized long depth() {
        return depth;
    }

    /** Zeroes the counters (the causal depth is kept, so rounds can still be measured as a difference). */
    public synchronized void reset() {
        byPrefix.clear();
    }

    /** A copy of the counters, by prefix. */
    public synchronized Map<String, Counter> snapshot() {
        Map<String, Counter> copy = new TreeMap<>();
        byPrefix.forEach((k, v) -> {
            Counter c = new Counter();
            c.bytesSent = v.bytesSent;
            c.bytesReceived = v.bytesReceived;
            c.messagesSent = v.messagesSent;
            c.messagesReceived = v.messagesReceived;
            c.rounds = v.rounds;
            c.lastStamp = v.lastStamp;
            copy.put(k, c);
        });
        return copy;
    }

    public synchronized long totalBytesSent() {
        return byPrefix.values().stream().mapToLong(c -> c.bytesSent).sum();
    }

    public synchronized long totalBytesReceived() {
        return byPrefix.values().stream().mapToLong(c -> c.bytesReceived).sum();
    }

    public synchronized long totalMessagesSent() {
        return byPrefix.values().stream().mapToLong(c -> c.messagesSent).sum();
    }

    /** The counters as a text table, one row per prefix. */
    public synchronized String table() {
        StringBuilder sb = new StringBuilder(String.format("%-24s %14s %14s %10s %10s %8s%n",
                "step", "bytes_sent", "bytes_recv", "msgs_sent", "msgs_recv", "rounds"));
        byPrefix.forEach((k, c) -> sb.append(String.format("%-24s %14d %14d %10d %10d %8d%n",
                k, c.bytesSent, c.bytesReceived, c.messagesSent, c.messagesReceived, c.rounds)));
        return sb.toString();
    }
}
