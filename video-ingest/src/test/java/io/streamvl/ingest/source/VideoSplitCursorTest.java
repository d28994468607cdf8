package io.streamvl.ingest.source;

import static io.streamvl.ingest.source.SourceMedia.SPEC;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.ingest.DecoderOptions;
import io.streamvl.kafka.DlqReason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Resuming from a snapshot taken after any record must continue exactly like the uninterrupted
 * run: the seek-based restore is checked at many positions of containers with exact (AVI, MP4)
 * and approximate (MPEG-TS) seeking.
 */
class VideoSplitCursorTest {
    private static final double FPS = 2.0;

    private record Run(List<VideoFileRecord> records, List<VideoSplit> snapshots, SourceCounters counters) {}

    @ParameterizedTest
    @ValueSource(strings = {"vtest.avi", "balle-jbart.mp4", "sintel-captions.ts"})
    void resumingFromAnySnapshotRepeatsAndLosesNothing(String name) throws Exception {
        VideoSplit split = new VideoSplit("0:" + name, new VideoFile(name, SourceMedia.file(name), 5_000L),
                VideoPosition.START);
        Run full = run(split);
        List<Long> pts = SourceMedia.framePts(SourceMedia.file(name));
        List<Long> expected = SourceMedia.sampledEventTimes(pts, 5_000L, FPS);

        VideoFileRecord end = full.records().get(full.records().size() - 1);
        assertThat(end.kind).isEqualTo(VideoFileRecord.Kind.END);
        assertThat(end.framesDecoded).isEqualTo(pts.size());
        assertThat(full.records().subList(0, full.records().size() - 1))
                .extracting(r -> r.frame.eventTimeMillis).containsExactlyElementsOf(expected);
        assertThat(full.counters().framesDecoded().getCount()).isEqualTo(pts.size());
        assertThat(full.counters().framesSampled().getCount()).isEqualTo(expected.size());
        assertThat(full.counters().decodeErrors().getCount()).isZero();

        // a split is never snapshotted after its END record: it is finished then
        int frames = full.records().size() - 1;
        for (int i = 0; i < frames; i += Math.max(1, frames / 7)) {
            Run resumed = run(full.snapshots().get(i));
            assertThat(resumed.records()).as("resumed after record %d of %s", i, name)
                    .containsExactlyElementsOf(full.records().subList(i + 1, full.records().size()));
        }
    }

    @Test
    void unreadableInputEndsTheSplitWithAnErrorRecord(@TempDir Path tmp) throws Exception {
        Path empty = Files.createFile(tmp.resolve("empty.mp4"));
        Path text = Files.writeString(tmp.resolve("notes.mp4"), "not a video at all\n".repeat(100));
        Map<String, DlqReason> expected = Map.of(
                tmp.resolve("missing.avi").toString(), DlqReason.UNREADABLE_INPUT,
                empty.toString(), DlqReason.EMPTY_SEGMENT,
                text.toString(), DlqReason.CORRUPT_SEGMENT,
                "file:///no/such/dir/clip.mp4", DlqReason.UNREADABLE_INPUT);
        for (Map.Entry<String, DlqReason> e : expected.entrySet()) {
            Run run = run(new VideoSplit("0:bad", VideoFile.of("bad", e.getKey()), VideoPosition.START));
            assertThat(run.records()).as(e.getKey()).singleElement().satisfies(r -> {
                assertThat(r.kind).isEqualTo(VideoFileRecord.Kind.ERROR);
                assertThat(r.videoId).isEqualTo("bad");
                assertThat(r.errorReason).isEqualTo(e.getValue().code());
                assertThat(r.errorMessage).isNotBlank();
            });
            assertThat(run.counters().decodeErrors().getCount()).isEqualTo(1);
        }
    }

    /** Steps the split to its end, keeping the split's snapshot after each record. */
    private static Run run(VideoSplit split) {
        SourceCounters counters = new SourceCounters(new SimpleCounter(), new SimpleCounter(), new SimpleCounter());
        List<VideoFileRecord> records = new ArrayList<>();
        List<VideoSplit> snapshots = new ArrayList<>();
        try (VideoSplitCursor c = new VideoSplitCursor(split, DecoderOptions.defaults(), SPEC, FPS, counters)) {
            while (!c.done()) {
                VideoFileRecord r = c.step(VideoFileReader.MAX_FRAMES_PER_POLL);
                if (r != null) {
                    records.add(r);
                    snapshots.add(c.snapshot());
                }
            }
        }
        return new Run(records, snapshots, counters);
    }
}
