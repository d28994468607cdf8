package io.streamvl.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.ingest.ResizeMode;
import io.streamvl.jobs.testing.TestBundles;
import io.streamvl.models.tiny.ShapesModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamvlConfigTest {
    @Test
    void defaultsGiveTheDocumentedSettings() throws Exception {
        Configuration conf = StreamvlConfig.load(null, Map.of());
        var s = StreamvlConfig.ingestSettings(conf, StreamvlConfig.modelInput(conf, 48));
        assertThat(s.samplingFps).isEqualTo(1.0);
        assertThat(s.modelInput.width()).as("the model's size").isEqualTo(48);
        assertThat(s.modelInput.resizeMode()).isEqualTo(ResizeMode.NEAREST);
        assertThat(s.statusClock.window()).isEqualTo(Duration.ofSeconds(10));
        assertThat(StreamvlConfig.topics(conf).segments).isEqualTo("streamvl.segments");
    }

    @Test
    void fileValuesAreOverriddenByDashD(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("streamvl.yaml"), String.join("\n",
                "# a comment",
                "streamvl.sampling.fps: 2.5",
                "streamvl.model-input.resize: \"squash\"",
                "streamvl.topic.segments: cams"));
        Configuration conf = StreamvlConfig.load(file, Map.of("streamvl.topic.segments", "cams-2"));
        assertThat(StreamvlConfig.ingestSettings(conf, StreamvlConfig.modelInput(conf, 48)).samplingFps).isEqualTo(2.5);
        assertThat(StreamvlConfig.resizeMode(conf)).isEqualTo(ResizeMode.SQUASH);
        assertThat(StreamvlConfig.topics(conf).segments).isEqualTo("cams-2");
    }

    @Test
    void malformedValuesFailNamingTheirKey() {
        assertThatThrownBy(() -> StreamvlConfig.load(null, Map.of("streamvl.sampling.fps", "fast")))
                .hasMessageContaining("streamvl.sampling.fps");
        assertThatThrownBy(() -> StreamvlConfig.load(null, Map.of("streamvl.model-input.resize", "crop")))
                .hasMessageContaining("streamvl.model-input.resize");
        assertThatThrownBy(() -> StreamvlConfig.load(null, Map.of("streamvl.kafka.delivery", "maybe")))
                .hasMessageContaining("streamvl.kafka.delivery");
        assertThatThrownBy(() -> StreamvlConfig.load(null, Map.of("streamvl.sampling.fps", "0")))
                .hasMessageContaining("sampling rate");
        assertThatThrownBy(() -> StreamvlConfig.load(null, Map.of("streamvl.memory.idle-ttl", "10 min")))
                .hasMessageContaining("idle TTL");
    }

    @Test
    void aRelativeModelBundleIsFoundUnderTheInstallationRoot(@TempDir Path home) throws Exception {
        String before = System.getProperty(ModelBundlePath.HOME_PROPERTY);
        System.setProperty(ModelBundlePath.HOME_PROPERTY, home.toString());
        try {
            Configuration conf = StreamvlConfig.load(null, Map.of());
            assertThat(ModelBundlePath.of(conf)).isEqualTo(home.resolve("bundles/streamvl-shapes"));
            assertThatThrownBy(() -> PipelineSettings.of(conf)).hasMessageContaining("streamvl.model.bundle")
                    .hasMessageContaining(home.resolve("bundles/streamvl-shapes").toString())
                    .hasMessageContaining("installation root");
            Path bundle = TestBundles.randomShapes();
            Configuration absolute = StreamvlConfig.load(null, Map.of("streamvl.model.bundle", bundle.toString()));
            assertThat(ModelBundlePath.of(absolute)).isEqualTo(bundle);
        } finally {
            if (before == null) {
                System.clearProperty(ModelBundlePath.HOME_PROPERTY);
            } else {
                System.setProperty(ModelBundlePath.HOME_PROPERTY, before);
            }
        }
    }

    @Test
    void theFramesTakeTheModelsInputSizeUnlessTheyAreSetOtherwise() throws Exception {
        Map<String, String> model = Map.of("streamvl.model.bundle", TestBundles.randomShapes().toString());
        PipelineSettings s = PipelineSettings.of(StreamvlConfig.load(null, model));
        int side = ShapesModelConfig.vision().imageSize();
        assertThat(s.ingest().modelInput.width()).isEqualTo(side).isEqualTo(s.ingest().modelInput.height());
        assertThat(s.caption().clock()).isEqualTo(s.ingest().statusClock);
        assertThat(s.caption().clock().window()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.model().bundleDir()).isEqualTo(TestBundles.randomShapes().toString());
        Map<String, String> mismatch = new java.util.HashMap<>(model);
        mismatch.put("streamvl.model-input.size", "336");
        assertThatThrownBy(() -> PipelineSettings.of(StreamvlConfig.load(null, mismatch)))
                .hasMessageContaining("streamvl.model-input.size").hasMessageContaining(side + "x" + side);
    }

    @Test
    void missingConfigFileIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> StreamvlConfig.load(dir.resolve("nope.yaml"), Map.of()))
                .hasMessageContaining("nope.yaml");
    }

    @Test
    void kafkaClientPropertiesPassThroughWithSecretsFromTheEnvironment() throws Exception {
        Configuration conf = StreamvlConfig.load(null, Map.of(
                "streamvl.kafka.properties.security.protocol", "SASL_SSL",
                "streamvl.kafka.properties.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"svl\" password=\"${env:KAFKA_PASSWORD}\";"),
                Map.of("KAFKA_PASSWORD", "s3cr$t\\x"));
        java.util.Properties p = StreamvlConfig.kafkaClientProperties(conf);
        assertThat(p).containsEntry("security.protocol", "SASL_SSL").hasSize(2);
        assertThat(p.getProperty("sasl.jaas.config")).endsWith("password=\"s3cr$t\\x\";");
        assertThatThrownBy(() -> StreamvlConfig.load(null, Map.of("streamvl.kafka.properties.x", "${env:NOPE}"), Map.of()))
                .hasMessageContaining("NOPE").hasMessageContaining("streamvl.kafka.properties.x");
    }
}
