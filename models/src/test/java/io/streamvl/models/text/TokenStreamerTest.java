package io.streamvl.models.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.models.testing.TokenizerFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenStreamerTest {

    private static final int HASH = '#';

    @TempDir
    Path dir;

    private Tokenizer bytes;

    @BeforeEach
    void load() {
        bytes = Tokenizer.load(TokenizerFixtures.byteLevelBpe(dir.resolve("bpe")));
    }

    @AfterEach
    void close() {
        bytes.close();
    }

    @Test
    void multiByteCharactersAppearOnlyWhenComplete() {
        TokenStreamer streamer = new TokenStreamer(bytes, true, StopStrings.none());
        assertThat(streamer.push(259)).isEqualTo("é");
        assertThat(streamer.push(260)).isEmpty();
        assertThat(streamer.push(0x98)).isEmpty();
        assertThat(streamer.push(0x80)).isEqualTo("😀");
        assertThat(streamer.push(0xE2)).isEmpty();
        assertThat(streamer.push(0x82)).isEmpty();
        assertThat(streamer.push(0xAC)).isEqualTo("€");
        assertThat(streamer.finish()).isEmpty();
        assertThat(streamer.text()).isEqualTo("é😀€");
    }

    @Test
    void streamedPiecesJoinToTheFullDecodeWithoutReplacementCharacters() {
        String text = "the thé 😀 costs 5€, the end";
        int[] ids = bytes.encode(text, true);
        TokenStreamer streamer = new TokenStreamer(bytes, true, StopStrings.none());
        List<String> pieces = new ArrayList<>();
        for (int id : ids) {
            pieces.add(streamer.push(id));
        }
        pieces.add(streamer.finish());
        assertThat(pieces).noneMatch(p -> p.contains("\uFFFD"));
        assertThat(String.join("", pieces)).isEqualTo(text).isEqualTo(streamer.text());
        assertThat(streamer.ids()).containsExactly(ids);
    }

    @Test
    void anUnfinishedCharacterIsFlushedAsReplacementAtTheEnd() {
        TokenStreamer streamer = new TokenStreamer(bytes, true, StopStrings.none());
        streamer.push(116);
        assertThat(streamer.push(260)).isEmpty();
        assertThat(streamer.finish()).isEqualTo("\uFFFD");
        assertThat(streamer.text()).isEqualTo("t\uFFFD");
    }

    @Test
    void stopStringSplitOverTokensIsHeldBackAndNeverEmitted() {
        TokenStreamer streamer = new TokenStreamer(bytes, true, StopStrings.of("###"));
        List<String> pieces = new ArrayList<>();
        for (int id : bytes.encode("red ", false)) {
            pieces.add(streamer.push(id));
        }
        assertThat(pieces).containsExactly("r", "e", "d", " ");
        assertThat(streamer.push(HASH)).isEmpty();
        assertThat(streamer.push(HASH)).isEmpty();
        assertThat(streamer.stopped()).isFalse();
        assertThat(streamer.push(HASH)).isEmpty();
        assertThat(streamer.stopped()).isTrue();
        assertThat(streamer.text()).isEqualTo("red ");
        assertThatThrownBy(() -> streamer.push(HASH)).isInstanceOf(IllegalStateException.class);
        assertThat(streamer.finish()).isEmpty();
    }

    @Test
    void textBeforeAStopStringInsideOneTokenIsReleased() {
        TokenStreamer streamer = new TokenStreamer(bytes, true, StopStrings.of("he"));
        assertThat(streamer.push(116)).isEqualTo("t");
        assertThat(streamer.push(257)).isEmpty();
        assertThat(streamer.stopped()).isTrue();
        assertThat(streamer.text()).isEqualTo("t");
    }

    @Test
    void heldBackTextThatTurnsOutNotToStopIsReleased() {
        TokenStreamer streamer = new TokenStreamer(bytes, true, StopStrings.of("###"));
        assertThat(streamer.push(HASH)).isEmpty();
        assertThat(streamer.push(HASH)).isEmpty();
        assertThat(streamer.push('x')).isEqualTo("##x");
        assertThat(streamer.push(HASH)).isEmpty();
        assertThat(streamer.finish()).isEqualTo("#");
        assertThat(streamer.stopped()).isFalse();
        assertThat(streamer.text()).isEqualTo("##x#");
    }

    @Test
    void aSpecialStopTokenStopsEvenWhenSpecialTokensAreSkipped() {
        StopStrings llama = StopStrings.of(Llama31Template.DEFAULT.stopStrings());
        for (boolean skip : new boolean[] {true, false}) {
            TokenStreamer streamer = new TokenStreamer(bytes, skip, llama);
            streamer.push(116);
            streamer.push(257);
            streamer.push(TokenizerFixtures.BYTE_LEVEL_EOT);
            assertThat(streamer.stopped()).as("skip special tokens: %s", skip).isTrue();
            assertThat(streamer.text()).isEqualTo("the");
        }
    }

    @Test
    void stopTokenReleasesTextHeldForAStopStringThatDidNotComplete() {
        TokenStreamer streamer = new TokenStreamer(bytes, true, StopStrings.of("###", "<|eot_id|>"));
        streamer.push(HASH);
        assertThat(streamer.push(TokenizerFixtures.BYTE_LEVEL_EOT)).isEqualTo("#");
        assertThat(streamer.stopped()).isTrue();
    }

    @Test
    void servesAsAGeneratorStopCallbackOverTheIdsSoFar() {
        TokenStreamer streamer = new TokenStreamer(bytes, true, StopStrings.of(Llama31Template.DEFAULT.stopStrings()));
        StringBuilder sink = new StringBuilder();
        java.util.function.Predicate<int[]> stop = idsSoFar -> {
            sink.append(streamer.push(idsSoFar[idsSoFar.length - 1]));
            return streamer.stopped();
        };
        int[] generated = {116, 257, 256, 104, 259, TokenizerFixtures.BYTE_LEVEL_EOT, 116};
        int n = 0;
        while (n < generated.length && !stop.test(java.util.Arrays.copyOf(generated, ++n))) {
            // generation continues
        }
        assertThat(n).isEqualTo(6);
        assertThat(sink).hasToString("the thé");
    }

    @Test
    void wordLevelStreamsWordsWithTheirSeparatingSpaces() {
        try (Tokenizer words = Tokenizer.load(TokenizerFixtures.wordLevel(dir.resolve("words"), TokenizerTest.WORDS))) {
            TokenStreamer streamer = new TokenStreamer(words, true, StopStrings.of("<|eot_id|>"));
            List<String> pieces = new ArrayList<>();
            for (int id : new int[] {9, 10, 11, 12, 13, 14, 8}) {
                pieces.add(streamer.push(id));
            }
            assertThat(pieces).containsExactly("what", " color", " is", " the", " circle", " ?", "");
            assertThat(streamer.stopped()).isTrue();
        }
    }
}
