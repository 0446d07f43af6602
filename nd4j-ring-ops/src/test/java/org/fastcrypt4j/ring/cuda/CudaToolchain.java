package org.fastcrypt4j.ring.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Locates nvcc (PATH, then CUDA_HOME/bin, then /usr/local/cuda/bin) or g++ for the host-side kernel
 * tests, copies the kernel sources out of the classpath and runs compilers and programs with a time
 * limit, failing with the tool's own output.
 */
final class CudaToolchain {
    static final String RESOURCE_DIR = "/org/fastcrypt4j/ring/cuda/";
    private static final long TIMEOUT_SECONDS = 120;

    private CudaToolchain() {
    }

    /** nvcc if one is installed. */
    static Optional<Path> nvcc() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir, "nvcc"));
                }
            }
        }
        String cudaHome = System.getenv("CUDA_HOME");
        if (cudaHome != null) {
            candidates.add(Path.of(cudaHome, "bin", "nvcc"));
        }
        candidates.add(Path.of("/usr/local/cuda/bin/nvcc"));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    /** g++ if one is on the PATH. */
    static Optional<Path> gxx() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "g++");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Copies the named classpath resources of the cuda package into dir. */
    static void extract(Path dir, String... names) throws IOException {
        for (String name : names) {
            try (InputStream in = CudaToolchain.class.getResourceAsStream(RESOURCE_DIR + name)) {
                if (in == null) {
                    throw new IOException("resource " + RESOURCE_DIR + name + " is not on the classpath");
                }
                Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /**
     * Runs command in dir with stdin from input (or nothing) and returns its stdout; throws with the
     * command's stderr if it fails or outlives the time limit.
     */
    static String run(Path dir, Path input, List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        if (input != null) {
            pb.redirectInput(input.toFile());
        } else {
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        Process process = pb.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command + " did not finish within " + TIMEOUT_SECONDS + " s");
        }
        if (process.exitValue() != 0) {
            throw new IOException(command + " exited with " + process.exitValue() + ":\n"
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
