package io.streamvl.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.jobs.demo.ShapesCamera;
import io.streamvl.jobs.testing.TestBundles;
import io.streamvl.kafka.Answer;
import io.streamvl.kafka.AnswerStatus;
import io.streamvl.kafka.Caption;
import io.streamvl.kafka.Json;
import io.streamvl.shapes.train.ShapesFrames;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `streamvl demo --once --json` as a script would run it: to its end, one record per line, exit 0. */
class DemoCommandITCase {
    @Test
    void theScriptedDemoPrintsEachCaptionAndAnswerAsJsonAndExitsZero() throws Exception {
        StreamvlCliTest.Run run = StreamvlCliTest.run("demo", "--once", "--json", "--clips", "2",
                "-D", "streamvl.model.bundle=" + TestBundles.shipped());
        assertThat(run.code()).as(run.err()).isZero();
        List<Caption> captions = new ArrayList<>();
        List<Answer> answers = new ArrayList<>();
        for (String line : run.out().lines().toList()) {
            var json = Json.MAPPER.readTree(line);
            if (json.has("queryId")) {
                answers.add(Json.MAPPER.treeToValue(json, Answer.class));
            } else {
                captions.add(Json.MAPPER.treeToValue(json, Caption.class));
            }
        }
        assertThat(captions).hasSize(2).allSatisfy(c -> {
            assertThat(c.streamId).isEqualTo("demo-cam");
            assertThat(c.windowEndMillis - c.windowStartMillis).isEqualTo(ShapesCamera.CLIP_MILLIS);
            assertThat(c.frames).isEqualTo(ShapesCamera.CLIP_SECONDS);
        });
        assertThat(captions.get(1).windowStartMillis - captions.get(0).windowStartMillis)
                .isEqualTo(ShapesCamera.CLIP_MILLIS);
        // the standing question's registration, a question about each clip, one about a video file
        assertThat(answers).extracting(a -> a.status).containsOnly(AnswerStatus.OK).hasSize(4);
        assertThat(answers).filteredOn(a -> a.streamId != null && a.answer != null).hasSize(2)
                .allSatisfy(a -> assertThat(a.framesUsed).isEqualTo(ShapesCamera.CLIP_SECONDS))
                .extracting(a -> a.rangeStartMillis)
                .containsExactlyInAnyOrder(captions.get(0).windowStartMillis, captions.get(1).windowStartMillis);
        // the file (6 s) is read as the model's clips are: ShapesFrames.FRAMES frames spread over it, not one a second
        assertThat(answers).filteredOn(a -> a.videoUri != null).singleElement().satisfies(a -> {
            assertThat(a.rangeStartMillis).isZero();
            assertThat(a.framesUsed).isEqualTo(ShapesFrames.FRAMES);
        });
    }
}
