package org.fastcrypt4j.ring.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Keeps the standalone GPU harness of the ring kernels (examples/gpu/check.sh, sources in
 * src/test/cuda) building on machines without a GPU: compiles it with {@code check.sh --build-only}
 * (the script's default architectures, sm_80 and sm_90 SASS plus compute_90 PTX) into
 * target/gpu-harness and runs its CPU self-test, which needs no device. Where g++ exists it also builds
 * and runs the CPU emulation of the kernels ({@code check.sh --emulate --quick}), which executes
 * ring_kernels.cu as host code under the Java launch conventions and compares every result exactly.
 * Skipped, with the reason, where nvcc (respectively g++) is not installed.
 */
class CudaHarnessBuildTest {
    /** Limit for one script run; the builds take seconds to tens of seconds. */
    private static final long TIMEOUT_SECONDS = 300;

    /** Maven runs the tests with the module directory as the working directory. */
    private static final Path MODULE_DIR = Path.of("").toAbsolutePath();

    private static Path script() {
        Path script = MODULE_DIR.resolve("../examples/gpu/check.sh").normalize();
        assertTrue(Files.isRegularFile(script), "the harness script " + script + " is missing (working directory "
                + MODULE_DIR + ")");
        return script;
    }

    private record Result(int exit, String output, double seconds) {
    }

    /** Runs command with extra environment, stdout and stderr merged, within the time limit. */
    private static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        Path log = Files.createTempFile("cuda-harness", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(MODULE_DIR.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(env);
            long start = System.nanoTime();
            Process process = pb.start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + TIMEOUT_SECONDS + " s:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8), seconds);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    @Test
    void harnessBuildsWithTheScriptsDefaultArchitecturesAndPassesItsCpuSelfTest() throws Exception {
        Optional<Path> nvcc = CudaToolchain.nvcc();
        assumeTrue(nvcc.isPresent(), "nvcc not found");
        Path buildDir = MODULE_DIR.resolve("target/gpu-harness");
        // the script searches PATH first: put the nvcc that CudaToolchain found there, so both agree
        String path = nvcc.get().getParent() + File.pathSeparator + System.getenv().getOrDefault("PATH", "");
        Result build = run(List.of("bash", script().toString(), "--build-only", "--rebuild"),
                Map.of("RING_HARNESS_BUILD_DIR", buildDir.toString(), "PATH", path));
        System.out.printf("check.sh --build-only: exit %d in %.1f s%n%s", build.exit(), build.seconds(), build.output());
        assertEquals(0, build.exit(), "examples/gpu/check.sh --build-only failed:\n" + build.output());
        Path harness = buildDir.resolve("ring_kernels_harness");
        assertTrue(Files.isExecutable(harness), "no harness binary at " + harness + ":\n" + build.output());

        Result self = run(List.of(harness.toString(), "--self-test-cpu"), Map.of());
        assertEquals(0, self.exit(), "the harness's CPU self-test failed:\n" + self.output());
        assertTrue(self.output().contains(" passed, 0 failed"), self.output());
    }

    @Test
    void emulatedKernelsMatchTheCpuReferences() throws Exception {
        assumeTrue(CudaToolchain.gxx().isPresent(), "g++ not found");
        Path buildDir = MODULE_DIR.resolve("target/gpu-harness-emu");
        Result emu = run(List.of("bash", script().toString(), "--emulate", "--quick"),
                Map.of("RING_HARNESS_BUILD_DIR", buildDir.toString()));
        System.out.printf("check.sh --emulate --quick: exit %d in %.1f s%n", emu.exit(), emu.seconds());
        assertEquals(0, emu.exit(), "the CPU emulation of ring_kernels.cu failed:\n" + emu.output());
        assertTrue(emu.output().contains(" passed, 0 failed"), emu.output());
    }
}
