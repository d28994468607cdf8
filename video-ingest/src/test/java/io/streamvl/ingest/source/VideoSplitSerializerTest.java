package io.streamvl.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.ingest.FrameSampler;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class VideoSplitSerializerTest {
    private static final VideoSplit FRESH = new VideoSplit("0:clip", VideoFile.of("clip", "/videos/a.mp4"),
            VideoPosition.START);
    private static final VideoSplit MID = new VideoSplit("1:cam", new VideoFile("cam",
            "https://user:pw@example.org/v/ü.mp4?x=1", 1_700_000_000_000L),
            new VideoPosition(41_233_333L, 2, 41L, 413L, 42L));

    @Test
    void splitsRoundTripWithTheirPositions() throws IOException {
        VideoSplitSerializer s = VideoSplitSerializer.INSTANCE;
        for (VideoSplit split : List.of(FRESH, MID)) {
            assertThat(s.deserialize(s.getVersion(), s.serialize(split))).isEqualTo(split);
        }
        assertThat(s.deserialize(s.getVersion(), s.serialize(FRESH)).position().lastTick())
                .isEqualTo(FrameSampler.NO_TICK);
    }

    @Test
    void enumeratorStateRoundTrips() throws IOException {
        VideoEnumeratorStateSerializer s = VideoEnumeratorStateSerializer.INSTANCE;
        for (VideoEnumeratorState state : List.of(new VideoEnumeratorState(List.of()),
                new VideoEnumeratorState(List.of(FRESH, MID)))) {
            assertThat(s.deserialize(s.getVersion(), s.serialize(state))).isEqualTo(state);
        }
    }

    @Test
    void recordsAreFlinkPojos() {
        assertThat(TypeInformation.of(VideoFileRecord.class)).isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void unknownVersionsAreRejected() throws IOException {
        byte[] split = VideoSplitSerializer.INSTANCE.serialize(FRESH);
        assertThatThrownBy(() -> VideoSplitSerializer.INSTANCE.deserialize(99, split))
                .isInstanceOf(IOException.class).hasMessageContaining("99");
        byte[] state = VideoEnumeratorStateSerializer.INSTANCE.serialize(new VideoEnumeratorState(List.of(FRESH)));
        assertThatThrownBy(() -> VideoEnumeratorStateSerializer.INSTANCE.deserialize(99, state))
                .isInstanceOf(IOException.class).hasMessageContaining("99");
    }
}
