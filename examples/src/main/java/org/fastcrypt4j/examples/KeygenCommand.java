package org.fastcrypt4j.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;

import org.fastcrypt4j.transport.PartyKeys;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fastcrypt4j keygen --out DIR --party N [--host H --port P]}: writes a fresh X25519 key pair for server
 * (party) N ({@code DIR/party-N.key}, readable only by its owner, and {@code DIR/party-N.pub}) and prints its line for
 * the parties file ({@code id host port base64-public-key}, see {@link org.fastcrypt4j.transport.PartiesConfig}).
 * {@code keygen --out DIR --client NAME --roles model-owner,querier} does the same for a client ({@code DIR/NAME.key})
 * and prints its line for the servers' clients file. The private key is never printed. An existing key pair is kept
 * unless {@code --force} is given; {@code --reuse} prints the line of the existing one.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Writes an X25519 key pair for a server (--party) or a client (--client) and prints its line for"
                + " the parties or clients file.")
public final class KeygenCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Directory for the key files.")
    Path out;

    @Option(names = "--party", description = "Server (party) id: 0, 1 or 2.")
    Integer party;

    @Option(names = "--client", description = "Client name (letters, digits, '_', '.', '-').")
    String client;

    @Option(names = "--roles", description = "The client's roles: model-owner, data-owner, querier, comma-separated.")
    String roles;

    @Option(names = "--host", description = "Host other parties reach this party at (default ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--port", description = "UDP port this party listens on, and TCP port for clients (default"
            + " ${DEFAULT-VALUE}).")
    int port = 40100;

    @Option(names = "--force", description = "Replace an existing key pair (its owner's identity: its peers must then"
            + " pin the new public key).")
    boolean force;

    @Option(names = "--reuse", description = "Keep an existing key pair and print its line (make one if missing): what"
            + " the launcher does, so that checkpoints made with the key stay usable.")
    boolean reuse;

    @Override
    public Integer call() throws Exception {
        if ((party == null) == (client == null)) {
            throw new CliErrors.OptionException("give --party N (a server) or --client NAME (a client)");
        }
        String stem;
        String who;
        if (party != null) {
            if (party < 0 || party > 2) {
                throw new CliErrors.OptionException("--party must be 0, 1 or 2, not " + party);
            }
            if (port < 1 || port > 65535) {
                throw new CliErrors.OptionException("--port must be in 1..65535, not " + port);
            }
            stem = "party-" + party;
            who = "party " + party;
        } else {
            if (!client.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw new CliErrors.OptionException("--client: a name of letters, digits, '_', '.', '-', not '"
                        + client + "'");
            }
            if (roles == null) {
                throw new CliErrors.OptionException("--client needs --roles (model-owner, data-owner, querier)");
            }
            org.fastcrypt4j.transport.client.ClientsConfig.parse(java.util.List.of(client + " " + roles + " "
                    + PartyKeys.encodePublic(PartyKeys.generate().getPublic())), "--roles");
            stem = client;
            who = "client '" + client + "'";
        }
        if (force && reuse) {
            throw new CliErrors.OptionException("--force and --reuse exclude each other");
        }
        boolean exists = Files.exists(PartyKeys.privateKeyFile(out, stem));
        KeyPair pair;
        if (exists && reuse) {
            pair = PartyKeys.read(out, stem);
            System.err.println("kept " + PartyKeys.privateKeyFile(out, stem) + "; its line:");
        } else if (exists && !force) {
            throw new CliErrors.OptionException(PartyKeys.privateKeyFile(out, stem) + " exists: it is " + who
                    + "'s identity, pinned by its peers; pass --force to replace it, or --reuse to keep it");
        } else {
            pair = PartyKeys.generate();
            PartyKeys.write(out, stem, pair, force);
            System.err.println("wrote " + PartyKeys.privateKeyFile(out, stem) + " (owner-only) and "
                    + PartyKeys.publicKeyFile(out, stem) + "; its line:");
        }
        String key = PartyKeys.encodePublic(pair.getPublic());
        System.out.println(party != null ? party + " " + host + " " + port + " " + key : client + " " + roles + " " + key);
        return 0;
    }
}
