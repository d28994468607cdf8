package io.streamvl.shapes.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.models.tiny.ShapesModelConfig;
import io.streamvl.models.train.SamplePixels;
import io.streamvl.shapes.ShapesDataset;
import io.streamvl.shapes.ShapesWorld;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A clip kept as its stored JPEGs reads as exactly the floats of its sampled frames, whole, by frame or by range. */
class ShapesFramesTest {
    private static final int SIZE = ShapesModelConfig.vision().imageSize();

    @TempDir
    Path dir;

    @Test
    void aClipKeptAsJpegsReadsAsTheDecodedFloats() throws Exception {
        ShapesDataset data = ShapesDataset.generate(dir, 2, 5);
        try (ShapesFrames frames = new ShapesFrames(SIZE)) {
            for (String video : data.videos()) {
                SamplePixels clip = frames.clip(data.videoPath(video));
                // the 1 fps samples are the 10 fps frames at whole seconds, each made into floats on its own
                List<byte[]> every = frames.everyJpeg(data.videoPath(video));
                float[] decoded = new float[frames.clipLength()];
                for (int k = 0; k < ShapesFrames.FRAMES; k++) {
                    frames.tensor(every.get(k * ShapesWorld.FPS), decoded, k * decoded.length / ShapesFrames.FRAMES);
                }
                assertThat(frames.decode(data.videoPath(video))).as(video).containsExactly(decoded);
                assertThat(clip.length()).isEqualTo(frames.clipLength()).isEqualTo(decoded.length);
                assertThat(clip.toArray()).as(video).containsExactly(decoded);
                int frameFloats = decoded.length / ShapesFrames.FRAMES;
                for (int k = 0; k < ShapesFrames.FRAMES; k++) {
                    assertThat(clip.frame(k, frameFloats).toArray()).as("%s frame %d", video, k)
                            .containsExactly(Arrays.copyOfRange(decoded, k * frameFloats, (k + 1) * frameFloats));
                }
                int from = frameFloats / 2;
                int count = frameFloats + 7;
                float[] across = new float[count + 3];
                clip.copyTo(from, across, 3, count);
                assertThat(Arrays.copyOfRange(across, 3, count + 3)).as("a range across two frames")
                        .containsExactly(Arrays.copyOfRange(decoded, from, from + count));
                assertThatThrownBy(() -> clip.copyTo(decoded.length - 1, new float[2], 0, 2))
                        .isInstanceOf(IndexOutOfBoundsException.class);
            }
        }
    }
}
