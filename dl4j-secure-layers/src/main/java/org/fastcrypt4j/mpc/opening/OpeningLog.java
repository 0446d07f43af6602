package org.fastcrypt4j.mpc.opening;

import java.util.Map;
import java.util.TreeMap;

/**
 * How many openings each protocol performed, and of how many elements. Every value opened inside a
 * protocol goes through {@link Openings}, which records it here; tests compare these counts with the
 * documented ones, so an accidental extra opening of a secret shows up as a failing count.
 */
public final class OpeningLog {

    /** Openings and opened elements of one protocol tag prefix. */
    public record Entry(long openings, long elements) {
    }

    private final Map<String, Entry> entries = new TreeMap<>();

    synchronized void record(String tag, long elements) {
        String key = org.fastcrypt4j.transport.TrafficStats.prefixOf(tag);
        entries.merge(key, new Entry(1, elements), (a, b) -> new Entry(a.openings + b.openings, a.elements + b.elements));
    }

    public synchronized Map<String, Entry> snapshot() {
        return new TreeMap<>(entries);
    }

    public synchronized long openings(String prefix) {
        Entry e = entries.get(prefix);
        return e == null ? 0 : e.openings;
    }

    public synchronized long total() {
        return entries.values().stream().mapToLong(Entry::openings).sum();
    }

    public synchronized void reset() {
        entries.clear();
    }
}
