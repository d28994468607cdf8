package io.streamvl.models;

import org.tensorflow.DeviceSpec;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/** Device placement and session settings shared by every TF graph streamvl builds. */
public final class TfSessions {
    private static final DeviceSpec FIRST_GPU =
            DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build();

    private TfSessions() {}

    /** @throws IllegalArgumentException unless {@code device} is "cpu" or "gpu" */
    public static void checkDevice(String device) {
        if (!"cpu".equals(device) && !"gpu".equals(device)) {
            throw new IllegalArgumentException("device must be cpu or gpu, got " + device);
        }
    }

    /** Ops built from the returned scope are placed on the first GPU when {@code device} is "gpu". */
    public static Ops place(Ops root, String device) {
        return "gpu".equals(device) ? root.withDevice(FIRST_GPU) : root;
    }

    public static ConfigProto config(int intraOpThreads, int interOpThreads, boolean gpuMemoryGrowth) {
        // Soft placement keeps integer bookkeeping ops (shapes, indices, slices) legal on CPU when the
        // graph asks for the GPU.
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(intraOpThreads)
                .setInterOpParallelismThreads(interOpThreads)
                .setAllowSoftPlacement(true)
                .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(gpuMemoryGrowth))
                .build();
    }
}
