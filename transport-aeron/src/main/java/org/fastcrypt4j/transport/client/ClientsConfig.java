package org.fastcrypt4j.transport.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.fastcrypt4j.transport.PartyKeys;

/**
 * The clients a server accepts, with their roles and pinned keys: one line per client,
 * {@code name roles base64-public-key}, roles comma-separated from {@code model-owner}, {@code data-owner} and
 * {@code querier}; blank lines and lines starting with {@code #} are ignored. Every server holds the same file.
 * <pre>
 * # name     roles                   X25519 public key (keygen)
 * alice      model-owner,querier     MCowBQYDK2VuAyEA...
 * hospital1  data-owner              MCowBQYDK2VuAyEA...
 * </pre>
 */
public final class ClientsConfig {

    /** What a client may do. */
    public enum Role {
        /** Submits training jobs and alone receives the trained model and its loss. */
        MODEL_OWNER,
        /** Provides examples and labels to a job it is named in. */
        DATA_OWNER,
        /** Sends inputs to a model the servers hold and receives the predictions. */
        QUERIER;

        /** "model-owner", "data-owner", "querier". */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Role parse(String s) {
            for (Role r : values()) {
                if (r.label().equals(s.trim())) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown role '" + s + "' (model-owner, data-owner, querier)");
        }
    }

    /** One client. */
    public record Client(String name, Set<Role> roles, PublicKey publicKey) {
    }

    private final Map<String, Client> clients;

    public ClientsConfig(List<Client> list) {
        Map<String, Client> m = new LinkedHashMap<>();
        for (Client c : list) {
            if (m.put(c.name(), c) != null) {
                throw new IllegalArgumentException("client '" + c.name() + "' listed twice");
            }
        }
        clients = Collections.unmodifiableMap(m);
    }

    /** The client named {@code name}, or null. */
    public Client client(String name) {
        return clients.get(name);
    }

    public Map<String, Client> all() {
        return clients;
    }

    /** The pinned key of {@code name}, or null for a client not in the file. */
    public PublicKey keyOf(String name) {
        Client c = clients.get(name);
        return c == null ? null : c.publicKey();
    }

    /**
     * Checks that client {@code name} has {@code role}.
     *
     * @throws SecurityException naming the client and the role
     */
    public void requireRole(String name, Role role) {
        Client c = clients.get(name);
        if (c == null || !c.roles().contains(role)) {
            throw new SecurityException("client '" + name + "' is not a " + role.label() + " in the clients file");
        }
    }

    /** Parses the text of a clients file ({@code source} names it in errors). */
    public static ClientsConfig parse(List<String> lines, String source) {
        java.util.ArrayList<Client> out = new java.util.ArrayList<>();
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 3) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": expected 'name roles base64-key'");
            }
            if (!f[0].matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": client name '" + f[0] + "' (letters,"
                        + " digits, '_', '.', '-', at most 64)");
            }
            EnumSet<Role> roles = EnumSet.noneOf(Role.class);
            try {
                for (String r : f[1].split(",")) {
                    roles.add(Role.parse(r));
                }
                PublicKey key = PartyKeys.decodePublic(f[2]);
                PartyKeys.checkUsable(key);
                for (Client c : out) {
                    if (c.name().equals(f[0])) {
                        throw new IllegalArgumentException("client '" + f[0] + "' listed twice");
                    }
                    if (c.publicKey().equals(key)) {
                        throw new IllegalArgumentException("client '" + f[0] + "' has the same key as '" + c.name() + "'");
                    }
                }
                out.add(new Client(f[0], roles, key));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": " + e.getMessage());
            }
        }
        return new ClientsConfig(out);
    }

    public static ClientsConfig read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    /** The file text. */
    public String format() {
        StringBuilder sb = new StringBuilder("# name roles base64-x25519-public-key\n");
        for (Client c : clients.values()) {
            sb.append(c.name()).append(' ');
            sb.append(String.join(",", c.roles().stream().map(Role::label).toList())).append(' ');
            sb.append(PartyKeys.encodePublic(c.publicKey())).append('\n');
        }
        return sb.toString();
    }
}
