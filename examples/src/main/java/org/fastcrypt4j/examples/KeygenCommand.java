package org.fastcrypt4j.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;

import org.fastcrypt4j.transport.PartyKeys;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fastcrypt4j keygen --out DIR --party N [--host H --port P]}: writes a fresh X25519 key pair for
 * party N ({@code DIR/party-N.key}, readable only by its owner, and {@code DIR/party-N.pub}) and prints the
 * party's line for the parties file ({@code id host port base64-public-key}, see
 * {@link org.fastcrypt4j.transport.PartiesConfig}). The private key is never printed. An existing key pair is kept
 * unless {@code --force} is given.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Writes an X25519 key pair for a party and prints its parties-file line.")
public final class KeygenCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Directory for party-N.key and party-N.pub.")
    Path out;

    @Option(names = "--party", required = true, description = "Party id: 0, 1 or 2.")
    int party;

    @Option(names = "--host", description = "Host other parties reach this party at (default ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--port", description = "UDP port this party listens on (default ${DEFAULT-VALUE}).")
    int port = 40100;

    @Option(names = "--force", description = "Replace an existing key pair (the party's identity: its peers must then"
            + " pin the new public key).")
    boolean force;

    @Option(names = "--reuse", description = "Keep an existing key pair and print its parties-file line (make one if"
            + " missing): what the launcher does, so that checkpoints made with the key stay usable.")
    boolean reuse;

    @Override
    public Integer call() throws Exception {
        if (party < 0 || party > 2) {
            throw new CliErrors.OptionException("--party must be 0, 1 or 2, not " + party);
        }
        if (port < 1 || port > 65535) {
            throw new CliErrors.OptionException("--port must be in 1..65535, not " + port);
        }
        if (force && reuse) {
            throw new CliErrors.OptionException("--force and --reuse exclude each other");
        }
        boolean exists = Files.exists(PartyKeys.privateKeyFile(out, party));
        if (exists && reuse) {
            KeyPair pair = PartyKeys.read(out, party);
            System.err.println("kept " + PartyKeys.privateKeyFile(out, party) + "; parties-file line:");
            System.out.println(party + " " + host + " " + port + " " + PartyKeys.encodePublic(pair.getPublic()));
            return 0;
        }
        if (exists && !force) {
            throw new CliErrors.OptionException(PartyKeys.privateKeyFile(out, party) + " exists: it is party " + party
                    + "'s identity, pinned by its peers; pass --force to replace it, or --reuse to keep it");
        }
        KeyPair pair = PartyKeys.generate();
        PartyKeys.write(out, party, pair, force);
        System.err.println("wrote " + PartyKeys.privateKeyFile(out, party) + " (owner-only) and "
                + PartyKeys.publicKeyFile(out, party) + "; parties-file line:");
        System.out.println(party + " " + host + " " + port + " " + PartyKeys.encodePublic(pair.getPublic()));
        return 0;
    }
}
