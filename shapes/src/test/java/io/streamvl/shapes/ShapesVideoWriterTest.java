package io.streamvl.shapes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShapesVideoWriterTest {
    /** H.264 in yuv420p shifts flat saturated colours by a few levels; 40 still tells any two apart. */
    private static final int CODEC_TOLERANCE = 40;

    @TempDir
    Path dir;

    @Test
    void decodesToEveryFrameAtFullSizeWithObjectColoursAtTheirCentres() throws Exception {
        Scene scene = new Scene(Background.GRAY, 4, 10, List.of(
                new SceneObject(ShapeKind.SQUARE, ShapeColor.RED, 40, 10, 20, Direction.RIGHT, 200 / 39.0),
                new SceneObject(ShapeKind.CIRCLE, ShapeColor.GREEN, 50, 100, 170, Direction.STILL, 0),
                new SceneObject(ShapeKind.TRIANGLE, ShapeColor.BLUE, 60, 250, 170, Direction.UP, 150 / 39.0)));
        Path file = dir.resolve("v.mp4");
        ShapesVideoWriter.write(scene, file);

        DecodedVideo video = DecodedVideo.of(file);
        assertThat(video.info().codecName()).isEqualTo("h264");
        assertThat(video.info().width()).isEqualTo(320);
        assertThat(video.info().height()).isEqualTo(240);
        assertThat(video.info().frameRate()).isEqualTo(10.0);
        assertThat(video.frames()).hasSize(40);
        for (int k : new int[] {0, 17, 39}) {
            for (SceneObject o : scene.objects()) {
                assertColourAtCentre(video.frames().get(k), o, k);
            }
        }
        assertThat(Rgb.at(video.frames().get(0), 320, 300, 5).maxChannelDistance(Background.GRAY.rgb()))
                .isLessThanOrEqualTo(CODEC_TOLERANCE);
    }

    @Test
    void sampledScenesKeepTheirColoursThroughTheCodec() throws Exception {
        for (int index = 0; index < 6; index++) {
            Scene scene = ShapesWorld.video(7, index).scene();
            Path file = dir.resolve(index + ".mp4");
            ShapesVideoWriter.write(scene, file);
            DecodedVideo video = DecodedVideo.of(file);
            assertThat(video.frames()).hasSize(scene.durationSeconds() * 10);
            byte[] drawn = new SceneRenderer().renderRgb(scene, 0);
            for (SceneObject o : scene.objects()) {
                Box b = o.boxAt(0);
                int cx = b.left() + b.size() / 2;
                int cy = b.top() + b.size() * 2 / 3;
                if (Rgb.at(drawn, 320, cx, cy).equals(o.color().rgb())) {
                    assertThat(Rgb.at(video.frames().get(0), 320, cx, cy).maxChannelDistance(o.color().rgb()))
                            .as("%s at (%d,%d) in video %d", o.name(), cx, cy, index)
                            .isLessThanOrEqualTo(CODEC_TOLERANCE);
                }
            }
        }
    }

    @Test
    void putsAKeyframeEverySecond() throws Exception {
        Scene scene = ShapesWorld.video(3, 0).scene();
        Path file = dir.resolve("k.mp4");
        ShapesVideoWriter.write(scene, file);
        assertThat(Files.size(file)).isPositive();
        int frames = 0;
        int keyframes = 0;
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(file.toFile())) {
            grabber.start();
            Frame f;
            while ((f = grabber.grabImage()) != null) {
                if (f.keyFrame) {
                    assertThat(frames % 10).as("keyframe at frame %d", frames).isZero();
                    keyframes++;
                }
                frames++;
            }
            grabber.stop();
        }
        assertThat(keyframes).isEqualTo(scene.durationSeconds());
    }

    /** The centre of the lower two thirds: inside the triangle too, which its box centre barely is. */
    private static void assertColourAtCentre(byte[] rgb, SceneObject o, int frame) {
        Box b = o.boxAt(frame);
        int cx = b.left() + b.size() / 2;
        int cy = b.top() + b.size() * 2 / 3;
        assertThat(Rgb.at(rgb, 320, cx, cy).maxChannelDistance(o.color().rgb()))
                .as("%s at (%d,%d) in frame %d", o.name(), cx, cy, frame)
                .isLessThanOrEqualTo(CODEC_TOLERANCE);
    }
}
