package io.streamvl.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamvl.shapes.ShapesDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
    @TempDir
    Path dir;

    @Test
    void helpsDescribeTrainingAndEvaluation() {
        StreamvlCliTest.Run train = StreamvlCliTest.run("shapes", "train", "--help");
        assertThat(train.code()).isZero();
        assertThat(train.out()).contains("--out", "--seed", "--steps", "--videos");
        StreamvlCliTest.Run eval = StreamvlCliTest.run("eval", "--help");
        assertThat(eval.code()).isZero();
        assertThat(eval.out()).contains("--videos", "--bundle", "--mode", "--json", "no trained bundle ships yet",
                "llava-mini", "ts-llava");
    }

    @Test
    void trainsABundleThatEvalScoresAsJson() throws Exception {
        Path bundle = dir.resolve("bundle");
        StreamvlCliTest.Run train = StreamvlCliTest.run("shapes", "train", "--out", bundle.toString(), "--seed", "3",
                "--videos", "2", "--steps", "3", "--log-every", "1");
        assertThat(train.code()).as(train.err()).isZero();
        assertThat(train.err()).contains("step 3/3 loss");
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
}
