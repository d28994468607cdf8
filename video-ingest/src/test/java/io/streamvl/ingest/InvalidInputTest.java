package io.streamvl.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.kafka.DlqReason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvalidInputTest {
    @TempDir
    Path tmp;

    private static VideoDecodeException decodeAll(VideoInput in) {
        try (FrameExtractor x = new FrameExtractor(DecoderOptions.defaults(), ModelInputSpec.clipDefaults())) {
            x.extract(in, "bad", 0, 0, new FrameSampler(1), new FrameExtractorTest.Collector());
        } catch (VideoDecodeException e) {
            return e;
        }
        throw new AssertionError("no VideoDecodeException for " + in.describe());
    }

    @Test
    void randomBytesAreACorruptSegment() {
        byte[] junk = new byte[200_000];
        new Random(42).nextBytes(junk);
        VideoDecodeException e = decodeAll(VideoInput.ofBytes(junk, null));
        assertThat(e.reason()).isEqualTo(DlqReason.CORRUPT_SEGMENT);
        assertThat(e.getMessage()).contains("in-memory segment (200000 bytes)");
        assertThat(decodeAll(VideoInput.ofBytes(junk, "mpegts")).reason()).isIn(DlqReason.CORRUPT_SEGMENT,
                DlqReason.UNSUPPORTED_CODEC);
    }

    @Test
    void truncatedSegmentDeliversItsGoodFramesThenFails() throws Exception {
        byte[] ts = Files.readAllBytes(RealMedia.file("sintel-captions.ts"));
        byte[] half = Arrays.copyOf(ts, ts.length / 2);
        FrameExtractorTest.Collector c = new FrameExtractorTest.Collector();
        VideoDecodeException e = null;
        try (FrameExtractor x = new FrameExtractor(DecoderOptions.defaults(), ModelInputSpec.clipDefaults())) {
            x.extract(VideoInput.ofBytes(half, "mpegts"), "s", 0, 3, new FrameSampler(1), c);
        } catch (VideoDecodeException ex) {
            e = ex;
        }
        assertThat(e).isNotNull();
        assertThat(e.reason()).isEqualTo(DlqReason.CORRUPT_SEGMENT);
        assertThat(e.getMessage()).contains("mpegts segment").contains("corrupt");
        assertThat(c.decoded).hasSizeGreaterThan(50);
        assertThat(c.sampled).isNotEmpty();
    }

    @Test
    void textFileIsRejected() throws Exception {
        Path txt = tmp.resolve("notes.txt");
        Files.writeString(txt, "This is not a video.\n".repeat(200), StandardCharsets.UTF_8);
        VideoDecodeException e = decodeAll(VideoInput.ofUri(txt.toString()));
        assertThat(e.reason()).isIn(DlqReason.CORRUPT_SEGMENT, DlqReason.UNSUPPORTED_CODEC);
        assertThat(e.getMessage()).contains("notes.txt");
        byte[] bytes = Files.readAllBytes(txt);
        assertThat(decodeAll(VideoInput.ofBytes(bytes, null)).reason()).isEqualTo(DlqReason.CORRUPT_SEGMENT);
    }

    @Test
    void zeroLengthInputIsAnEmptySegment() throws Exception {
        assertThat(decodeAll(VideoInput.ofBytes(new byte[0], "mpegts")).reason()).isEqualTo(DlqReason.EMPTY_SEGMENT);
        Path empty = Files.createFile(tmp.resolve("empty.mp4"));
        VideoDecodeException e = decodeAll(VideoInput.ofUri(empty.toString()));
        assertThat(e.reason()).isEqualTo(DlqReason.EMPTY_SEGMENT);
        assertThat(e.getMessage()).contains("empty.mp4");
    }

    @Test
    void audioOnlyInputHasNoVideoToDecode() throws Exception {
        Path wav = tmp.resolve("tone.wav");
        Files.write(wav, wav(8000, 2));
        VideoDecodeException e = decodeAll(VideoInput.ofUri(wav.toString()));
        assertThat(e.reason()).isEqualTo(DlqReason.UNSUPPORTED_CODEC);
        assertThat(e.getMessage()).contains("tone.wav").contains("no video stream");
    }

    @Test
    void absurdDimensionsAreRejectedBeforeDecoding() {
        // a greyscale PGM image claiming 8200 x 16 px, which FFmpeg probes as a one-frame video
        byte[] header = "P5\n8200 16\n255\n".getBytes(StandardCharsets.US_ASCII);
        byte[] pgm = Arrays.copyOf(header, header.length + 8200 * 16);
        VideoDecodeException e = decodeAll(VideoInput.ofBytes(pgm, null));
        assertThat(e.reason()).isEqualTo(DlqReason.ABSURD_DIMENSIONS);
        assertThat(e.getMessage()).contains("8200x16");
    }

    @Test
    void missingFileNamesThePath() {
        VideoDecodeException e = decodeAll(VideoInput.ofUri(tmp.resolve("nope.mp4").toString()));
        assertThat(e.reason()).isEqualTo(DlqReason.UNREADABLE_INPUT);
        assertThat(e.getMessage()).contains("nope.mp4").contains("No such file");
    }

    @Test
    void describeNeverDumpsTheBytesOrPasswords() {
        assertThat(VideoInput.ofBytes(new byte[5_000_000], "mp4").describe()).isEqualTo("in-memory mp4 segment (5000000 bytes)");
        assertThat(VideoInput.ofUri("rtsp://admin:secret@127.0.0.1:554/live").describe())
                .isEqualTo("rtsp://***@127.0.0.1:554/live");
    }

    /** A mono 16-bit PCM WAV of silence. */
    private static byte[] wav(int sampleRate, int seconds) {
        int dataLen = sampleRate * seconds * 2;
        ByteBuffer b = ByteBuffer.allocate(44 + dataLen).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + dataLen)
                .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2)
                .putShort((short) 16).put("data".getBytes(StandardCharsets.US_ASCII)).putInt(dataLen);
        return b.array();
    }
}
