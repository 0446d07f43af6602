package org.fastcrypt4j.service;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.fastcrypt4j.service.server.SecureServer;
import org.fastcrypt4j.service.server.ServerSettings;
import org.fastcrypt4j.transport.PartiesConfig;
import org.fastcrypt4j.transport.PartyKeys;
import org.fastcrypt4j.transport.aeron.AeronContext;
import org.fastcrypt4j.transport.aeron.LocalParties;
import org.fastcrypt4j.transport.client.ClientsConfig;

/** Three servers in this JVM (UDP and TCP on loopback) and the clients they know, for the service tests. */
final class ServiceFixture implements AutoCloseable {
    final KeyPair[] serverKeys = LocalParties.freshKeys();
    final Map<String, KeyPair> clientKeys = new LinkedHashMap<>();
    final PartiesConfig parties;
    final ClientsConfig clients;
    final SecureServer[] servers = new SecureServer[3];
    final List<String> log = new CopyOnWriteArrayList<>();

    ServiceFixture(java.util.function.UnaryOperator<ServerSettings> tune) throws IOException {
        int[] ports = LocalParties.freeUdpAndTcpPorts();
        parties = new PartiesConfig(new PartiesConfig.Party(0, "127.0.0.1", ports[0], serverKeys[0].getPublic()),
                new PartiesConfig.Party(1, "127.0.0.1", ports[1], serverKeys[1].getPublic()),
                new PartiesConfig.Party(2, "127.0.0.1", ports[2], serverKeys[2].getPublic()));
        List<ClientsConfig.Client> list = new ArrayList<>();
        add(list, "alice", ClientsConfig.Role.MODEL_OWNER, ClientsConfig.Role.QUERIER);
        add(list, "d1", ClientsConfig.Role.DATA_OWNER);
        add(list, "d2", ClientsConfig.Role.DATA_OWNER);
        add(list, "eve", ClientsConfig.Role.QUERIER);
        clients = new ClientsConfig(list);
        for (int i = 0; i < 3; i++) {
            AeronContext ctx = new AeronContext().connectTimeout(Duration.ofSeconds(20))
                    .streamIdBase(AeronContext.DEFAULT_STREAM_ID_BASE + 16384 + 64 * (ports[0] % 1000));
            ServerSettings s = tune.apply(ServerSettings.of(i, parties, clients, serverKeys[i], ctx)
                    .withClientWait(Duration.ofSeconds(30)));
            servers[i] = new SecureServer(s, log::add).start();
        }
    }

    private void add(List<ClientsConfig.Client> list, String name, ClientsConfig.Role... roles) {
        KeyPair k = PartyKeys.generate();
        clientKeys.put(name, k);
        list.add(new ClientsConfig.Client(name, java.util.EnumSet.of(roles[0], roles), k.getPublic()));
    }

    KeyPair key(String client) {
        return clientKeys.get(client);
    }

    @Override
    public void close() {
        for (SecureServer s : servers) {
            if (s != null) {
                s.close();
            }
        }
    }
}
