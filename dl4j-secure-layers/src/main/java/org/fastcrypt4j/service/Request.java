package org.fastcrypt4j.service;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeMap;

import org.fastcrypt4j.transport.client.ClientsConfig;

/**
 * What a client asks of the servers, sent to all three as the first message of a connection (which is also the
 * client's key confirmation: the servers act on nothing before it). A few {@code key=value} lines: the kind, a
 * random request id the client sends to all three (so the servers can tell they serve the same request), and the
 * kind's own fields. Public to the servers: it holds names, shapes and counts, never data.
 */
public final class Request {
    /** Largest request text accepted. */
    public static final int MAX_BYTES = 16 * 1024;

    /** What a request asks for, and the role it needs. */
    public enum Kind {
        /** A model owner submits a training job. */
        TRAIN(ClientsConfig.Role.MODEL_OWNER),
        /** A data owner provides its rows to a job. */
        PROVIDE(ClientsConfig.Role.DATA_OWNER),
        /** A querier asks for predictions of a model the servers hold. */
        QUERY(ClientsConfig.Role.QUERIER),
        /** A model owner downloads a model it trained. */
        DOWNLOAD(ClientsConfig.Role.MODEL_OWNER);

        private final ClientsConfig.Role role;

        Kind(ClientsConfig.Role role) {
            this.role = role;
        }

        /** The role a client needs to make this request. */
        public ClientsConfig.Role role() {
            return role;
        }
    }

    private final TreeMap<String, String> fields;

    private Request(TreeMap<String, String> fields) {
        this.fields = fields;
    }

    /** A new request of {@code kind} with a fresh random id. */
    public static Request of(Kind kind) {
        byte[] id = new byte[16];
        new SecureRandom().nextBytes(id);
        TreeMap<String, String> f = new TreeMap<>();
        f.put("kind", kind.name().toLowerCase(Locale.ROOT));
        f.put("id", HexFormat.of().formatHex(id));
        return new Request(f);
    }

    public Request with(String key, Object value) {
        TreeMap<String, String> f = new TreeMap<>(fields);
        f.put(key, String.valueOf(value));
        return new Request(f);
    }

    public Kind kind() {
        return Kind.valueOf(fields.get("kind").toUpperCase(Locale.ROOT));
    }

    /** The request id: the same at the three servers for one request. */
    public String id() {
        return fields.get("id");
    }

    /**
     * The value of {@code key}.
     *
     * @throws IllegalArgumentException naming the missing field
     */
    public String get(String key) {
        String v = fields.get(key);
        if (v == null) {
            throw new IllegalArgumentException("the " + fields.get("kind") + " request has no '" + key + "'");
        }
        return v;
    }

    public String get(String key, String dflt) {
        return fields.getOrDefault(key, dflt);
    }

    /** An integer field within [min, max]. */
    public long getLong(String key, long min, long max) {
        String v = get(key);
        long x;
        try {
            x = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + key + "' must be an integer, got '" + v + "'");
        }
        if (x < min || x > max) {
            throw new IllegalArgumentException("'" + key + "' must be in [" + min + ", " + max + "], got " + x);
        }
        return x;
    }

    /** A shape field ("1,28,28"), each dimension in [1, max]. */
    public long[] getShape(String key, long max) {
        String[] parts = get(key).split(",");
        if (parts.length == 0 || parts.length > 6) {
            throw new IllegalArgumentException("'" + key + "' must be 1 to 6 dimensions, got '" + get(key) + "'");
        }
        long[] s = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                s[i] = Long.parseLong(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + key + "' must be comma-separated integers, got '" + get(key)
                        + "'");
            }
            if (s[i] < 1 || s[i] > max) {
                throw new IllegalArgumentException("'" + key + "' has a dimension of " + s[i] + " (1 to " + max + ")");
            }
        }
        return s;
    }

    public byte[] encode() {
        Properties p = new Properties();
        p.putAll(fields);
        StringWriter w = new StringWriter();
        try {
            p.store(w, null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        // drop the date comment Properties writes, so that the three servers see the same bytes
        String text = w.toString().lines().filter(l -> !l.startsWith("#")).sorted()
                .reduce("", (a, b) -> a + b + "\n");
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses a request a client sent.
     *
     * @throws IllegalArgumentException if it is malformed
     */
    public static Request decode(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new IllegalArgumentException("request of " + bytes.length + " bytes");
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed request");
        }
        TreeMap<String, String> f = new TreeMap<>();
        p.forEach((k, v) -> f.put((String) k, (String) v));
        Request r = new Request(f);
        try {
            r.kind();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unknown request kind '" + f.get("kind") + "'");
        }
        if (!r.get("id").matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("malformed request id");
        }
        return r;
    }

    @Override
    public String toString() {
        return fields.get("kind") + " " + fields;
    }
}
