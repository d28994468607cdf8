package io.streamvl.models.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.models.testing.TokenizerFixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StopStringsTest {

    @Test
    void findsTheEarliestStopString() {
        StopStrings stops = StopStrings.of("</s>", "USER:");
        assertThat(stops.find("a red circle USER: and </s>")).isEqualTo(13);
        assertThat(stops.find("a red circle</s> USER:")).isEqualTo(12);
        assertThat(stops.find("a red circle")).isEqualTo(-1);
        assertThat(StopStrings.none().find("anything")).isEqualTo(-1);
    }

    @Test
    void partialMatchIsTheLongestEndThatCouldStillBecomeAStopString() {
        StopStrings stops = StopStrings.of("<|eot_id|>", "###");
        assertThat(stops.partialMatchLength("red <|eot")).isEqualTo(5);
        assertThat(stops.partialMatchLength("red ##")).isEqualTo(2);
        assertThat(stops.partialMatchLength("red <")).isEqualTo(1);
        assertThat(stops.partialMatchLength("red")).isZero();
        assertThat(stops.partialMatchLength("")).isZero();
    }

    @Test
    void emptyStopStringsAreRejected() {
        assertThatThrownBy(() -> StopStrings.of("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void matchesDecodesTheIdsWithSpecialTokens(@TempDir Path dir) {
        try (Tokenizer tok = Tokenizer.load(TokenizerFixtures.byteLevelBpe(dir))) {
            StopStrings stops = StopStrings.of("<|eot_id|>");
            assertThat(stops.matches(tok, new int[] {116, 257})).isFalse();
            assertThat(stops.matches(tok, new int[] {116, 257, TokenizerFixtures.BYTE_LEVEL_EOT})).isTrue();
            assertThat(StopStrings.none().matches(tok, new int[] {TokenizerFixtures.BYTE_LEVEL_EOT})).isFalse();
        }
    }
}
