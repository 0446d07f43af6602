package org.fastcrypt4j.examples.service;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import org.fastcrypt4j.service.server.SecureServer;
import org.fastcrypt4j.service.server.ServerSettings;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.PartyKeys;
import org.fastcrypt4j.transport.aeron.AeronContext;
import org.fastcrypt4j.transport.client.ClientsConfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./fastcrypt4j server --id N --config parties.conf --clients clients.conf}: one of the three servers, serving
 * clients one job after another until stopped (SIGTERM or Ctrl-C). The parties file gives the three servers' hosts,
 * ports (UDP between the servers, TCP for clients, the same number) and pinned keys; the clients file each client's
 * roles and pinned key. It prints one line per event: a client refused, a job started, done or failed.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Runs one of the three servers: clients submit training jobs, provide data, query models.")
public final class ServerCommand implements Callable<Integer> {

    @Option(names = "--id", required = true, description = "this server's id: 0, 1 or 2")
    int id;

    @Option(names = "--config", required = true, description = "the parties file of the three servers")
    Path config;

    @Option(names = "--clients", required = true, description = "the clients file (name roles public-key per line)")
    Path clients;

    @Option(names = "--keys", description = "directory holding party-N.key (default: the parties file's)")
    Path keys;

    @Option(names = "--checkpoints", description = "directory for the training jobs' checkpoints (resume after a crash)")
    Path checkpoints;

    @Option(names = "--checkpoint-every", description = "steps between checkpoints (default ${DEFAULT-VALUE})")
    int checkpointEvery = 20;

    @Option(names = "--client-wait", description = "seconds a job waits for a client (default ${DEFAULT-VALUE})")
    int clientWait = 120;

    @Option(names = "--max-rows", description = "most rows a client may send per request (default ${DEFAULT-VALUE})")
    long maxRows = 1_000_000;

    @Override
    public Integer call() throws Exception {
        if (id < 0 || id > 2) {
            throw new org.fastcrypt4j.examples.CliErrors.OptionException("--id must be 0, 1 or 2, not " + id);
        }
        if (checkpointEvery < 1 || clientWait < 1 || maxRows < 1) {
            throw new org.fastcrypt4j.examples.CliErrors.OptionException("--checkpoint-every, --client-wait and --max-rows must"
                    + " be positive");
        }
        PartiesConfig parties = PartiesConfig.read(config);
        ClientsConfig clientsConfig = ClientsConfig.read(clients);
        Path keyDir = keys != null ? keys : config.toAbsolutePath().getParent();
        ServerSettings s = ServerSettings.of(id, parties, clientsConfig, PartyKeys.read(keyDir, id), new AeronContext())
                .withClientWait(Duration.ofSeconds(clientWait)).withLimits(maxRows, 256L << 20);
        if (checkpoints != null) {
            s = s.withCheckpoints(checkpoints, checkpointEvery);
        }
        SecureServer server = new SecureServer(s, m -> System.out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS)
                + " " + m)).start();
        System.out.println("server " + id + ": listening for clients on " + parties.party(id).host() + ":"
                + parties.party(id).port() + " (TCP); " + clientsConfig.all().size() + " clients known");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
