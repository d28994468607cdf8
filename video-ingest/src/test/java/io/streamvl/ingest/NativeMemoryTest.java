package io.streamvl.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

class NativeMemoryTest {
    private static final int WARM_UP_PASSES = 2;
    private static final int MEASURED_PASSES = 5;

    /**
     * Native memory must not grow with the number of inputs decoded. JavaCPP's own allocations
     * ({@code totalBytes}) must be flat from the first pass on. The process RSS
     * ({@code physicalBytes}) also counts Java heap pages the JVM touches for the first time, which
     * takes a couple of passes to settle, so it is compared after a warm-up.
     */
    @Test
    void repeatedExtractionDoesNotLeakNativeMemory() throws Exception {
        VideoInput in = VideoInput.ofUri(RealMedia.file("vtest.avi").toString());
        long totalAfterFirst = -1;
        long physicalAfterWarmUp = 0;
        try (FrameExtractor x = new FrameExtractor(DecoderOptions.defaults(), ModelInputSpec.clipDefaults())) {
            for (int pass = 0; pass < WARM_UP_PASSES + MEASURED_PASSES; pass++) {
                ExtractStats s = x.extract(in, "mem", 0, -1, new FrameSampler(2), new FrameExtractorTest.Collector());
                assertThat(s.framesDecoded()).isEqualTo(795);
                if (pass == 0) {
                    totalAfterFirst = Pointer.totalBytes();
                }
                if (pass == WARM_UP_PASSES - 1) {
                    physicalAfterWarmUp = Pointer.physicalBytes();
                }
                assertThat(Pointer.totalBytes()).as("JavaCPP bytes after pass %d", pass)
                        .isLessThanOrEqualTo(totalAfterFirst + 64 * 1024);
            }
        }
        assertThat(Pointer.physicalBytes()).as("RSS after %d more passes", MEASURED_PASSES)
                .isLessThanOrEqualTo(physicalAfterWarmUp + 32L * 1024 * 1024);
    }
}
