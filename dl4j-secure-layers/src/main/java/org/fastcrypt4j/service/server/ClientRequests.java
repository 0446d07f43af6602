package org.fastcrypt4j.service.server;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fastcrypt4j.service.Request;
import org.fastcrypt4j.transport.client.ClientChannel;

/**
 * The requests of connected, authenticated clients waiting to be served: work (train, query, download) in arrival
 * order by request id, and data owners' offers of rows by job and owner. Accept threads add; the server's job thread
 * takes. A request no job takes within the client wait is answered with an error and dropped.
 */
final class ClientRequests {

    /** One client's request and its link. */
    record Item(Request request, String client, ClientChannel channel, long arrivedNanos) {
        String describe() {
            return request.kind().name().toLowerCase(java.util.Locale.ROOT) + " request of client '" + client + "'";
        }
    }

    private final Map<String, Item> work = new LinkedHashMap<>();
    private final Map<String, Item> provides = new LinkedHashMap<>();
    private final long maxAgeNanos;
    private boolean closed;

    ClientRequests(java.time.Duration maxAge) {
        this.maxAgeNanos = maxAge.toNanos();
    }

    synchronized void add(Item item) {
        if (closed) {
            item.channel().sendError("the server is shutting down");
            item.channel().close();
            return;
        }
        if (item.request().kind() == Request.Kind.PROVIDE) {
            Item old = provides.put(provideKey(item.request().get("job"), item.client()), item);
            if (old != null) {
                refuse(old, "replaced by a newer offer of data for the same job");
            }
        } else {
            work.put(item.request().id(), item);
        }
        notifyAll();
    }

    private static String provideKey(String job, String owner) {
        return job + "\u0000" + owner;
    }

    /** The oldest work item, waiting up to {@code millis}; null if none. */
    synchronized Item pollWork(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            expire();
            Iterator<Item> it = work.values().iterator();
            if (it.hasNext()) {
                Item i = it.next();
                it.remove();
                return i;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** The work item with request id {@code id}, waiting up to {@code millis}; null if it does not come. */
    synchronized Item takeWork(String id, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!work.containsKey(id)) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || closed) {
                return null;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return work.remove(id);
    }

    /** Data owner {@code owner}'s offer of rows for {@code job}, waiting up to {@code millis}; null if none comes. */
    synchronized Item takeProvide(String job, String owner, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        String key = provideKey(job, owner);
        while (!provides.containsKey(key)) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || closed) {
                return null;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return provides.remove(key);
    }

    private void expire() {
        long now = System.nanoTime();
        for (Map<String, Item> m : List.of(work, provides)) {
            for (Iterator<Item> it = m.values().iterator(); it.hasNext(); ) {
                Item i = it.next();
                if (now - i.arrivedNanos() > maxAgeNanos) {
                    it.remove();
                    refuse(i, "no job took it within " + maxAgeNanos / 1_000_000_000 + " s (did it reach all three"
                            + " servers, and is the job it names running?)");
                }
            }
        }
    }

    private static void refuse(Item i, String why) {
        i.channel().sendError("the " + i.describe() + " was dropped: " + why);
        i.channel().close();
    }

    synchronized void close() {
        closed = true;
        List<Item> all = new ArrayList<>(work.values());
        all.addAll(provides.values());
        work.clear();
        provides.clear();
        for (Item i : all) {
            refuse(i, "the server is shutting down");
        }
        notifyAll();
    }
}
