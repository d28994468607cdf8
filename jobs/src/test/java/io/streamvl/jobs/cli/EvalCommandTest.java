package io.streamvl.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamvl.jobs.config.ModelBundlePath;
import io.streamvl.jobs.testing.TestBundles;
import io.streamvl.shapes.ShapesDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
    @TempDir
    Path dir;

    @Test
    void helpsDescribeTrainingAndEvaluation() {
        StreamvlCliTest.Run train = StreamvlCliTest.run("shapes", "train", "--help");
        assertThat(train.code()).isZero();
        assertThat(train.out()).contains("--out", "--seed", "--tower-steps", "--steps", "--videos");
        StreamvlCliTest.Run eval = StreamvlCliTest.run("eval", "--help");
        assertThat(eval.code()).isZero();
        assertThat(eval.out()).contains("--videos", "--bundle", "--mode", "--json", "--answers", "demo",
                "llava-mini", "ts-llava");
    }

    @Test
    void trainsABundleThatEvalScoresAsJson() throws Exception {
        Path bundle = dir.resolve("bundle");
        StreamvlCliTest.Run train = StreamvlCliTest.run("shapes", "train", "--out", bundle.toString(), "--seed", "3",
                "--videos", "2", "--tower-steps", "4", "--steps", "3", "--log-every", "1");
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.err()).contains("tower step 4/4 patch loss", "step 3/3 loss");
        assertThat(train.out()).contains("pre-trained the tower 4 steps");
        assertThat(train.out()).contains("trained 3 steps");
        assertThat(Files.isRegularFile(bundle.resolve("config.json"))).isTrue();

        ShapesDataset data = ShapesDataset.generate(dir.resolve("eval"), 2, 11);
        StreamvlCliTest.Run eval = StreamvlCliTest.run("eval", "--videos", data.dir().toString(), "--bundle",
                bundle.toString(), "--json");
        assertThat(eval.code()).as(eval.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(eval.out());
        assertThat(json.get("videos").asInt()).isEqualTo(2);
        assertThat(json.get("questions").asInt()).isEqualTo(data.questions().size());
        assertThat(json.get("per_type").fieldNames()).toIterable()
                .containsExactly("color", "shape", "count", "direction", "presence");
        assertThat(json.has("overall")).isTrue();
        assertThat(json.has("captions_exact")).isTrue();
        assertThat(json.get("mode").asText()).isEqualTo("llava-mini");

        StreamvlCliTest.Run text = StreamvlCliTest.run("eval", "--videos", data.dir().toString(), "--bundle",
                bundle.toString());
        assertThat(text.out()).contains("llava-mini mode", "overall", "direction", "captions exact");

        // The trained bundle keeps the initial manifest's TS-LLaVA settings, so its image path answers in that mode.
        StreamvlCliTest.Run tsLlava = StreamvlCliTest.run("eval", "--videos", data.dir().toString(), "--bundle",
                bundle.toString(), "--mode", "ts-llava", "--json");
        assertThat(tsLlava.code()).as(tsLlava.err()).isZero();
        JsonNode tsJson = new ObjectMapper().readTree(tsLlava.out());
        assertThat(tsJson.get("mode").asText()).isEqualTo("ts-llava");
        assertThat(tsJson.fieldNames()).toIterable().containsExactlyElementsOf(() -> json.fieldNames());
        assertThat(tsJson.get("questions").asInt()).isEqualTo(data.questions().size());

        StreamvlCliTest.Run unknown = StreamvlCliTest.run("eval", "--videos", data.dir().toString(), "--bundle",
                bundle.toString(), "--mode", "llava");
        assertThat(unknown.code()).isNotZero();
        assertThat(unknown.err()).contains("llava-mini", "ts-llava");
    }

    @Test
    void withoutABundleEvalScoresTheShippedDemoModel() throws Exception {
        ShapesDataset data = ShapesDataset.generate(dir.resolve("eval"), 1, 11);
        String before = System.getProperty(ModelBundlePath.HOME_PROPERTY);
        try {
            System.setProperty(ModelBundlePath.HOME_PROPERTY, TestBundles.shipped().getParent().getParent().toString());
            Path answers = dir.resolve("answers.jsonl");
            StreamvlCliTest.Run shipped = StreamvlCliTest.run("eval", "--videos", data.dir().toString(), "--json",
                    "--answers", answers.toString());
            assertThat(shipped.code()).as(shipped.err()).isZero();
            // the JSON is the last line: loading TensorFlow first in this JVM may log to the captured stdout
            String json = shipped.out().strip().lines().reduce((first, last) -> last).orElseThrow();
            JsonNode score = new ObjectMapper().readTree(json);
            assertThat(score.get("questions").asInt()).isEqualTo(data.questions().size());
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(answers)) {
                lines.add(new ObjectMapper().readTree(line));
            }
            assertThat(lines).hasSize(data.questions().size() + 1);
            assertThat(lines.get(0).fieldNames()).toIterable()
                    .containsExactly("video", "kind", "question", "expected", "answer", "correct");
            assertThat(lines.get(lines.size() - 1).get("kind").asText()).isEqualTo("caption");
            long right = lines.stream().filter(l -> !l.get("kind").asText().equals("caption"))
                    .filter(l -> l.get("correct").asBoolean()).count();
            assertThat(right).isEqualTo(Math.round(score.get("overall").asDouble() * data.questions().size()));

            System.setProperty(ModelBundlePath.HOME_PROPERTY, dir.toString());
            StreamvlCliTest.Run missing = StreamvlCliTest.run("eval", "--videos", data.dir().toString());
            assertThat(missing.code()).isNotZero();
            assertThat(missing.err()).contains("does not exist", "streamvl.model.bundle");
        } finally {
            if (before == null) {
                System.clearProperty(ModelBundlePath.HOME_PROPERTY);
            } else {
                System.setProperty(ModelBundlePath.HOME_PROPERTY, before);
            }
        }
    }
}
