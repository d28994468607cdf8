package io.streamvl.shapes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShapesDatasetTest {
    @TempDir
    Path tmp;

    @Test
    void sameSeedWritesIdenticalFilesAndFrames() throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        ShapesDataset.generate(a, 3, 42);
        ShapesDataset.generate(b, 3, 42);

        for (String file : List.of(ShapesDataset.QUESTIONS_FILE, ShapesDataset.CAPTIONS_FILE)) {
            assertThat(Files.readString(a.resolve(file))).isEqualTo(Files.readString(b.resolve(file)));
        }
        for (int i = 0; i < 3; i++) {
            String name = ShapesWorld.videoName(i);
            assertSameFrames(a.resolve(name), b.resolve(name));
        }
    }

    @Test
    void differentSeedsGiveDifferentDatasets() throws Exception {
        ShapesDataset one = ShapesDataset.generate(tmp.resolve("one"), 2, 1);
        ShapesDataset two = ShapesDataset.generate(tmp.resolve("two"), 2, 2);
        assertThat(one.captions()).isNotEqualTo(two.captions());
        assertThat(DecodedVideo.of(one.videoPath("video-00000.mp4")).frames().get(0))
                .isNotEqualTo(DecodedVideo.of(two.videoPath("video-00000.mp4")).frames().get(0));
    }

    @Test
    void videoKIsTheSameWhateverTheNumberOfVideos() throws Exception {
        ShapesDataset small = ShapesDataset.generate(tmp.resolve("small"), 2, 9);
        ShapesDataset large = ShapesDataset.generate(tmp.resolve("large"), 3, 9);
        assertThat(large.captions().subList(0, 2)).isEqualTo(small.captions());
        assertThat(large.questions().subList(0, small.questions().size())).isEqualTo(small.questions());
        assertSameFrames(small.videoPath("video-00001.mp4"), large.videoPath("video-00001.mp4"));
        assertThat(ShapesWorld.video(9, 1)).isEqualTo(ShapesWorld.video(9, 1));
    }

    @Test
    void writesTheSpecifiedJsonLinesAndReadsThemBack() throws Exception {
        List<Integer> progress = new ArrayList<>();
        ShapesDataset written = ShapesDataset.generate(tmp, 2, 5, progress::add);
        assertThat(progress).containsExactly(1, 2);
        assertThat(tmp.resolve("video-00000.mp4")).isRegularFile();
        assertThat(tmp.resolve("video-00001.mp4")).isRegularFile();

        List<String> captionLines = Files.readAllLines(tmp.resolve("captions.jsonl"));
        assertThat(captionLines).hasSize(2);
        assertThat(captionLines.get(0)).isEqualTo("{\"video\":\"video-00000.mp4\",\"caption\":\""
                + ShapesWorld.video(5, 0).caption() + "\"}");
        Question first = ShapesWorld.video(5, 0).questions().get(0);
        assertThat(Files.readAllLines(tmp.resolve("questions.jsonl")).get(0)).isEqualTo(
                "{\"video\":\"video-00000.mp4\",\"question\":\"" + first.question() + "\",\"answer\":\""
                        + first.answer() + "\",\"type\":\"" + first.type().label() + "\"}");

        ShapesDataset read = ShapesDataset.read(tmp);
        assertThat(read).isEqualTo(written);
        assertThat(read.videos()).containsExactly("video-00000.mp4", "video-00001.mp4");
        assertThat(read.questionsAbout("video-00001.mp4"))
                .extracting(VideoQuestion::question)
                .containsExactlyElementsOf(ShapesWorld.video(5, 1).questions().stream()
                        .map(Question::question).toList());
    }

    @Test
    void readsLinesWithoutTypeFromOtherGenerators() throws Exception {
        Files.writeString(tmp.resolve("questions.jsonl"), """
                {"video": "v.mp4", "question": "What color is the circle?", "answer": "red", "id": 7}
                {"video": "v.mp4", "question": "What shape is the red object?", "answer": "circle"}

                {"video": "v.mp4", "question": "How many objects are there?", "answer": "one"}
                {"video": "v.mp4", "question": "Which way does the red circle move?", "answer": "it does not move"}
                {"video": "v.mp4", "question": "Is there a blue square?", "answer": "no"}
                """, StandardCharsets.UTF_8);
        Files.writeString(tmp.resolve("captions.jsonl"),
                "{\"video\": \"v.mp4\", \"caption\": \"a red circle stays still\"}\n", StandardCharsets.UTF_8);
        ShapesDataset read = ShapesDataset.read(tmp);
        assertThat(read.questions()).extracting(VideoQuestion::type).containsExactly(QuestionType.COLOR,
                QuestionType.SHAPE, QuestionType.COUNT, QuestionType.DIRECTION, QuestionType.PRESENCE);
        assertThat(read.questions().get(3).isCorrect("It doesn't move.")).isTrue();
        assertThat(read.captions()).containsExactly(new VideoCaption("v.mp4", "a red circle stays still"));
    }

    @Test
    void namesTheLineOfABadRecord() throws Exception {
        Files.writeString(tmp.resolve("questions.jsonl"), "{\"video\": \"v.mp4\", \"question\": \"Why?\", \"answer\": \"x\"}\n");
        Files.writeString(tmp.resolve("captions.jsonl"), "");
        assertThatThrownBy(() -> ShapesDataset.read(tmp)).isInstanceOf(IOException.class)
                .hasMessageContaining("questions.jsonl:1");
    }

    private static void assertSameFrames(Path a, Path b) throws Exception {
        List<byte[]> fa = DecodedVideo.of(a).frames();
        List<byte[]> fb = DecodedVideo.of(b).frames();
        assertThat(fa).hasSameSizeAs(fb);
        for (int i = 0; i < fa.size(); i++) {
            assertThat(fa.get(i)).as("frame %d", i).isEqualTo(fb.get(i));
        }
    }
}
