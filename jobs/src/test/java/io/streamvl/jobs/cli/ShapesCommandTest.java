package io.streamvl.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.shapes.ShapesDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShapesCommandTest {
    @TempDir
    Path dir;

    @Test
    void generateWritesVideosQuestionsAndCaptionsReproducibly() throws Exception {
        StreamvlCliTest.Run a = StreamvlCliTest.run("shapes", "generate", "--out", dir.resolve("a").toString(),
                "--videos", "3", "--seed", "9");
        StreamvlCliTest.Run b = StreamvlCliTest.run("shapes", "generate", "--out", dir.resolve("b").toString(),
                "--videos", "3", "--seed", "9");
        assertThat(a.code()).as(a.err()).isZero();
        assertThat(b.code()).isZero();
        ShapesDataset data = ShapesDataset.read(dir.resolve("a"));
        assertThat(data.videos()).hasSize(3);
        assertThat(data.captions()).hasSize(3);
        assertThat(data.questions()).isNotEmpty();
        for (String f : new String[] {"questions.jsonl", "captions.jsonl", "video-00002.mp4"}) {
            assertThat(Files.readAllBytes(dir.resolve("a").resolve(f))).as(f)
                    .isEqualTo(Files.readAllBytes(dir.resolve("b").resolve(f)));
        }
        assertThat(StreamvlCliTest.run("shapes", "generate", "--out", dir.toString(), "--videos", "0").err())
                .contains("--videos must be at least 1");
    }
}
