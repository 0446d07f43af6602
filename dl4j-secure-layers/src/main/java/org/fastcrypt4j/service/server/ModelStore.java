package org.fastcrypt4j.service.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.fastcrypt4j.service.ModelConfig;
import org.fastcrypt4j.mpc.sharing.SharedTensor;

/**
 * The models this server holds, as its shares, by name: trained by a job, queried by queriers, downloaded by their
 * owner. In memory (the model owner holds the plain model; the job's checkpoints, when kept, hold the shares on disk).
 */
final class ModelStore {
    /** A model: who trained it, its secure configuration, this server's shares of its parameters. */
    record Model(String owner, ModelConfig secureConf, Map<String, SharedTensor> parameters) {
    }

    private final Map<String, Model> models = new ConcurrentHashMap<>();

    Model get(String name) {
        return models.get(name);
    }

    /**
     * Stores {@code m} under {@code name}.
     *
     * @throws SecurityException if another client's model has that name
     */
    void put(String name, Model m) {
        Model old = models.get(name);
        if (old != null && !old.owner().equals(m.owner())) {
            throw new SecurityException("model '" + name + "' belongs to client '" + old.owner() + "'");
        }
        models.put(name, m);
    }
}
