package org.fastcrypt4j.service.server;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import org.fastcrypt4j.mpc.sharing.MpcSettings;
import org.fastcrypt4j.mpc.sharing.Session;
import org.fastcrypt4j.mpc.sharing.SharedTensor;
import org.fastcrypt4j.mpc.sharing.Sharing;
import org.fastcrypt4j.nn.SecureModel;
import org.fastcrypt4j.service.ModelConfig;
import org.fastcrypt4j.nn.conf.SecureActivationKind;
import org.fastcrypt4j.nn.conf.SecureOutputLayer;
import org.fastcrypt4j.nn.training.SharedBatches;
import org.fastcrypt4j.service.JobFailure;
import org.fastcrypt4j.service.Request;
import org.fastcrypt4j.service.Uploads;
import org.fastcrypt4j.transport.client.ClientChannel;

/**
 * A querier's request at one server: the querier uploads its rows as shares for a model the servers hold; the logits
 * are computed on shares in batches and each server sends the querier its re-randomised component of them (at 2f
 * fractional bits, without the last truncation), which the querier adds, decodes and (for a softmax output)
 * normalises. No server sees the input, the model or the prediction. A download request of the model owner
 * ({@code kind=download}) sends it the model's parameters the same way.
 */
final class QueryJob {
    /** Rows per batch of the private forward pass (the old demo's inference batch: three servers share one JVM there). */
    static final int BATCH = 64;

    private final JobContext ctx;
    private final ClientRequests.Item item;

    QueryJob(JobContext ctx, ClientRequests.Item item) {
        this.ctx = ctx;
        this.item = item;
    }

    private ModelStore.Model model(Request r) {
        String name = r.get("model");
        ModelStore.Model m = ctx.models.get(name);
        byte[] have = {(byte) (m == null ? 0 : 1)};
        ctx.agree("the servers received different requests (a client sent them different ones): refused",
                r.encode());
        ctx.agree("model '" + name + "' is not held by every server (was a server restarted since it was trained?"
                + " models are kept in memory)", have, m == null ? new byte[0]
                        : m.secureConf().toJson().getBytes(StandardCharsets.UTF_8));
        if (m == null) {
            throw new JobFailure("no model '" + name + "' on the servers");
        }
        return m;
    }

    void run() {
        Request r = item.request();
        ClientChannel c = ctx.take(item.channel());
        if (r.kind() == Request.Kind.DOWNLOAD) {
            download(r, c);
            return;
        }
        ModelStore.Model m = model(r);
        long rows = r.getLong("rows", 1, ctx.settings.maxRows());
        long[] shape = r.getShape("features", 1 << 24);
        JobContext.checkRows(item.client(), shape, m.secureConf());
        checkOutputActivation(item.client(), m.secureConf());
        long width = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (rows * width > ctx.settings.maxValues()) {
            throw new JobFailure("client '" + item.client() + "' sends " + rows + " rows of " + width + " values: more"
                    + " than server " + ctx.party() + " accepts in one query");
        }
        long[] xShape = new long[shape.length + 1];
        xShape[0] = rows;
        System.arraycopy(shape, 0, xShape, 1, shape.length);
        Uploads.Check check = new Uploads.Check(ctx.party());
        SharedTensor x = Uploads.receive(c, ctx.party(), "query/features", xShape, check);
        check.verify(ctx.servers, item.client());
        Session s = Session.start(ctx.servers, MpcSettings.defaults());
        SecureModel net = m.secureConf().newNetwork(s);
        net.parameters().set(m.parameters());
        c.send("query/meta", new long[] {net.softmaxOutput() ? 1 : 0, m.secureConf().classes(), BATCH});
        for (long at = 0; at < rows; at += BATCH) {
            SharedTensor z = net.logitsForClient(SharedBatches.rows(x, at, Math.min(rows, at + BATCH)));
            c.send("query/logits", Sharing.revealToClient(s, z).toLongArray());
        }
    }

    /**
     * Queries return logits that the querier turns into softmax probabilities or takes as they are (identity): a model
     * whose MSE output follows another activation is refused before anything is received.
     */
    private static void checkOutputActivation(String client, ModelConfig conf) {
        SecureOutputLayer out = (SecureOutputLayer) conf.outputLayer();
        if (!out.isSoftmaxCrossEntropy() && SecureActivationKind.of(out.getActivationFn()) != SecureActivationKind.IDENTITY) {
            throw new JobFailure("client '" + client + "' queries a model whose output activation is "
                    + out.getActivationFn() + ": queries support softmax and identity outputs only");
        }
    }

    private void download(Request r, ClientChannel c) {
        ModelStore.Model m = model(r);
        if (!m.owner().equals(item.client())) {
            throw new JobFailure("model '" + r.get("model") + "' belongs to another client; only its owner may"
                    + " download it");
        }
        Session s = Session.start(ctx.servers, MpcSettings.defaults());
        c.send("download/config", m.secureConf().toJson().getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, SharedTensor> e : m.parameters().entrySet()) {
            c.send("model/" + e.getKey(), Sharing.revealToClient(s, e.getValue()).toLongArray());
        }
    }
}
