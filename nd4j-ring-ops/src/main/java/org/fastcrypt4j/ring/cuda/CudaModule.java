package org.fastcrypt4j.ring.cuda;

import static org.bytedeco.cuda.global.cudart.cuCtxSynchronize;
import static org.bytedeco.cuda.global.cudart.cuLaunchKernel;
import static org.bytedeco.cuda.global.cudart.cuModuleGetFunction;
import static org.bytedeco.cuda.global.cudart.cuModuleLoadData;

import java.util.EnumMap;
import java.util.Map;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The ring kernels loaded into one device's primary context, with typed launches. Every launch is
 * synchronous (it returns after cuCtxSynchronize), so results are complete when a method returns and
 * ND4J may read them.
 */
final class CudaModule {
    /** Threads per block of the elementwise kernels. */
    static final int ELEMENTWISE_BLOCK = 256;
    /** Upper bound on elementwise blocks; the grid-stride loops cover any length. */
    static final int MAX_ELEMENTWISE_BLOCKS = 8192;
    private static final int MAX_GRID_Y = 65535;

    /** The loaded module; held so that it stays referenced as long as its functions are used. */
    private final CUmod_st module;
    private final Map<CudaKernel, CUfunc_st> functions = new EnumMap<>(CudaKernel.class);

    private CudaModule(CUmod_st module) {
        this.module = module;
    }

    /** Compiles the kernels with NVRTC for device (current on this thread) and loads them. */
    static CudaModule load(int device) {
        int architecture = NvrtcCompiler.targetArchitecture(CudaDriver.computeCapability(device));
        BytePointer ptx = NvrtcCompiler.compile(architecture);
        CUmod_st module = new CUmod_st();
        CudaDriver.check(cuModuleLoadData(module, ptx), "cuModuleLoadData (PTX for compute_" + architecture + ")");
        CudaModule loaded = new CudaModule(module);
        for (CudaKernel kernel : CudaKernel.values()) {
            CUfunc_st function = new CUfunc_st();
            CudaDriver.check(cuModuleGetFunction(function, module, kernel.symbol()), "cuModuleGetFunction(" + kernel.symbol() + ")");
            loaded.functions.put(kernel, function);
        }
        return loaded;
    }

    /** Launches an elementwise kernel over n elements with the given arguments. */
    void launchElementwise(CudaKernel kernel, long n, Object... args) {
        if (n == 0) {
            return;
        }
        long blocks = Math.min((n + ELEMENTWISE_BLOCK - 1) / ELEMENTWISE_BLOCK, MAX_ELEMENTWISE_BLOCKS);
        launch(kernel, (int) blocks, 1, ELEMENTWISE_BLOCK, 1, args);
    }

    /** Launches the matmul kernel for an m x n result with the given arguments. */
    void launchMatmul(long m, long n, Object... args) {
        if (m == 0 || n == 0) {
            return;
        }
        long gridX = (n + CudaKernel.MATMUL_TILE - 1) / CudaKernel.MATMUL_TILE;
        long gridY = (m + CudaKernel.MATMUL_TILE - 1) / CudaKernel.MATMUL_TILE;
        if (gridY > MAX_GRID_Y || gridX > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ring matmul result " + m + "x" + n + " exceeds the CUDA grid limits");
        }
        launch(CudaKernel.MATMUL, (int) gridX, (int) gridY, CudaKernel.MATMUL_TILE, CudaKernel.MATMUL_TILE, args);
    }

    /**
     * Launches kernel; each argument is a Long (64-bit: ring_t, ring_index_t or a device address) or an
     * Integer (int), in the kernel's parameter order.
     */
    private void launch(CudaKernel kernel, int gridX, int gridY, int blockX, int blockY, Object... args) {
        Pointer[] values = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Long l) {
                values[i] = new LongPointer(1).put(l);
            } else if (args[i] instanceof Integer v) {
                values[i] = new IntPointer(1).put(v);
            } else {
                throw new IllegalArgumentException("argument " + i + " of " + kernel.symbol() + " is neither Long nor Integer: " + args[i]);
            }
        }
        PointerPointer<Pointer> params = new PointerPointer<>(values);
        CudaDriver.check(cuLaunchKernel(functions.get(kernel), gridX, gridY, 1, blockX, blockY, 1, 0,
                (CUstream_st) null, params, (PointerPointer<?>) null), "cuLaunchKernel(" + kernel.symbol() + ")");
        CudaDriver.check(cuCtxSynchronize(), "cuCtxSynchronize after " + kernel.symbol());
    }
}
