package org.fastcrypt4j.service.server;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;

import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.aeron.AeronContext;
import org.fastcrypt4j.transport.client.ClientsConfig;

/**
 * One server's settings: who it is, the servers and clients it knows, its key pair, the links to the other servers,
 * where it keeps checkpoints, and the limits it enforces on clients.
 *
 * @param id              this server's id (0, 1 or 2) in the parties file
 * @param parties         the three servers: UDP host:port for the server links; clients connect over TCP to the same
 *                        host and port number
 * @param clients         the clients it accepts, with their roles
 * @param keyPair         this server's static key pair (pinned in the parties file)
 * @param links           settings of the links between the servers
 * @param checkpointDir   where training jobs keep this server's checkpoints ({@code <dir>/<job>}), or null for none
 * @param checkpointEvery steps between checkpoints
 * @param clientWait      how long a job waits for a client (a data owner's rows, a request at every server)
 * @param maxRows         most rows a data owner may provide, or a querier send, per request
 * @param maxValues       most values (rows x features) one upload may hold: nothing larger is allocated
 */
public record ServerSettings(int id, PartiesConfig parties, ClientsConfig clients, KeyPair keyPair, AeronContext links,
        Path checkpointDir, int checkpointEvery, Duration clientWait, long maxRows, long maxValues) {

    public ServerSettings {
        if (id < 0 || id > 2) {
            throw new IllegalArgumentException("server id must be 0, 1 or 2, not " + id);
        }
        if (!keyPair.getPublic().equals(parties.party(id).publicKey())) {
            throw new IllegalArgumentException("server " + id + ": the key pair is not the one the parties file pins"
                    + " for server " + id);
        }
        if (checkpointEvery < 1 || maxRows < 1 || maxValues < 1) {
            throw new IllegalArgumentException("checkpointEvery, maxRows and maxValues must be positive");
        }
    }

    /** Defaults: no checkpoints, 2 minutes for clients, a million rows and 256 Mi values per upload. */
    public static ServerSettings of(int id, PartiesConfig parties, ClientsConfig clients, KeyPair keyPair,
            AeronContext links) {
        return new ServerSettings(id, parties, clients, keyPair, links, null, 20, Duration.ofMinutes(2), 1_000_000,
                256L << 20);
    }

    public ServerSettings withCheckpoints(Path dir, int every) {
        return new ServerSettings(id, parties, clients, keyPair, links, dir, every, clientWait, maxRows, maxValues);
    }

    public ServerSettings withClientWait(Duration d) {
        return new ServerSettings(id, parties, clients, keyPair, links, checkpointDir, checkpointEvery, d, maxRows,
                maxValues);
    }

    public ServerSettings withLimits(long rows, long values) {
        return new ServerSettings(id, parties, clients, keyPair, links, checkpointDir, checkpointEvery, clientWait,
                rows, values);
    }
}
