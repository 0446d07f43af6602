package org.fastcrypt4j.ring.cuda;

import static org.bytedeco.cuda.global.nvrtc.NVRTC_SUCCESS;
import static org.bytedeco.cuda.global.nvrtc.nvrtcCompileProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcCreateProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcDestroyProgram;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetErrorString;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetNumSupportedArchs;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetPTX;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetPTXSize;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLog;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetProgramLogSize;
import static org.bytedeco.cuda.global.nvrtc.nvrtcGetSupportedArchs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.bytedeco.cuda.nvrtc._nvrtcProgram;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * Compiles ring_kernels.cu (with its header ring_arith.cuh, both classpath resources of this package)
 * to PTX at run time with NVRTC 11.6, for the newest virtual architecture NVRTC supports that does not
 * exceed the device's compute capability.
 *
 * <p>Why NVRTC rather than PTX embedded at build time: nd4j-cuda-11.6 runs on drivers as old as CUDA
 * 11.6's, which load PTX up to ISA 7.6, while the nvcc on the build machines (CUDA 13) emits ISA 9.x; NVRTC
 * from the same org.bytedeco:cuda release as ND4J always emits PTX the installed driver accepts, and
 * targets the actual device rather than a fixed compute_80.
 */
final class NvrtcCompiler {
    static final String KERNEL_SOURCE = "ring_kernels.cu";
    static final String ARITH_HEADER = "ring_arith.cuh";

    private NvrtcCompiler() {
    }

    /** Reads a kernel source file from this package's resources. */
    static String source(String name) {
        try (InputStream in = NvrtcCompiler.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("CUDA source " + name + " is missing from the classpath next to "
                        + NvrtcCompiler.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CUDA source " + name, e);
        }
    }

    /** The newest NVRTC virtual architecture (e.g. 80 for compute_80) not above computeCapability. */
    static int targetArchitecture(int computeCapability) {
        int[] count = new int[1];
        check(nvrtcGetNumSupportedArchs(count), "nvrtcGetNumSupportedArchs", null);
        int[] archs = new int[count[0]];
        check(nvrtcGetSupportedArchs(archs), "nvrtcGetSupportedArchs", null);
        int best = -1;
        for (int arch : archs) {
            if (arch <= computeCapability && arch > best) {
                best = arch;
            }
        }
        if (best < 0) {
            throw new CudaException("NVRTC supports no architecture at or below the device's compute capability "
                    + computeCapability);
        }
        return best;
    }

    /** PTX of ring_kernels.cu for compute_{architecture}, NUL-terminated as cuModuleLoadData expects. */
    static BytePointer compile(int architecture) {
        _nvrtcProgram program = new _nvrtcProgram();
        check(nvrtcCreateProgram(program, new BytePointer(source(KERNEL_SOURCE)), new BytePointer(KERNEL_SOURCE), 1,
                new PointerPointer<>(source(ARITH_HEADER)), new PointerPointer<>(ARITH_HEADER)), "nvrtcCreateProgram", null);
        try {
            PointerPointer<?> options = new PointerPointer<>("--gpu-architecture=compute_" + architecture, "--std=c++14");
            check(nvrtcCompileProgram(program, 2, options), "nvrtcCompileProgram of " + KERNEL_SOURCE, program);
            SizeTPointer size = new SizeTPointer(1);
            check(nvrtcGetPTXSize(program, size), "nvrtcGetPTXSize", program);
            BytePointer ptx = new BytePointer(size.get());
            check(nvrtcGetPTX(program, ptx), "nvrtcGetPTX", program);
            return ptx;
        } finally {
            nvrtcDestroyProgram(program);
        }
    }

    private static void check(int result, String call, _nvrtcProgram program) {
        if (result == NVRTC_SUCCESS) {
            return;
        }
        StringBuilder message = new StringBuilder(call).append(" failed with nvrtcResult ").append(result)
                .append(": ").append(nvrtcGetErrorString(result).getString());
        if (program != null) {
            SizeTPointer logSize = new SizeTPointer(1);
            if (nvrtcGetProgramLogSize(program, logSize) == NVRTC_SUCCESS && logSize.get() > 1) {
                BytePointer log = new BytePointer(logSize.get());
                nvrtcGetProgramLog(program, log);
                message.append('\n').append(log.getString());
            }
        }
        throw new CudaException(message.toString());
    }
}
