package org.fastcrypt4j.ring.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves that ring_kernels.cu compiles for the device: nvcc emits PTX for compute_80 with one entry
 * point per kernel that CudaRingKernels launches. Skipped, with a message, where nvcc is not installed.
 */
class RingKernelsPtxTest {
    @TempDir
    Path workDir;

    @Test
    void kernelsCompileToPtxForCompute80() throws Exception {
        Optional<Path> nvcc = CudaToolchain.nvcc();
        assumeTrue(nvcc.isPresent(), "nvcc is not installed: the CUDA kernels cannot be compiled on this machine");
        CudaToolchain.extract(workDir, "ring_arith.cuh", "ring_kernels.cu");
        CudaToolchain.run(workDir, null, List.of(nvcc.get().toString(), "-ptx", "-arch=compute_80",
                "-o", "ring_kernels.ptx", "ring_kernels.cu"));
        String ptx = Files.readString(workDir.resolve("ring_kernels.ptx"), StandardCharsets.UTF_8);
        for (CudaKernel kernel : CudaKernel.values()) {
            assertTrue(ptx.contains(".entry " + kernel.symbol() + "("), "PTX has no entry point " + kernel.symbol());
        }
    }
}
