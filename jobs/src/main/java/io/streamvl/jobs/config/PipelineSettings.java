package io.streamvl.jobs.config;

import static io.streamvl.jobs.config.StreamvlOptions.*;

import io.streamvl.models.ModelFormatException;
import io.streamvl.models.bundle.Architecture;
import io.streamvl.models.bundle.ModelBundle;
import io.streamvl.models.llavamini.LlavaMiniSettings;
import io.streamvl.models.vision.ClipVisionConfigs;
import io.streamvl.operators.caption.LiveCaptionSettings;
import io.streamvl.operators.ingest.IngestSettings;
import io.streamvl.operators.model.ModelKind;
import io.streamvl.operators.model.ModelSettings;
import io.streamvl.operators.query.QuerySettings;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.Configuration;

/**
 * Everything the job's operators are built with, resolved from the configuration once the model bundle is known
 * to exist: the frames ingest keeps are the model's input, so their size comes from the bundle.
 *
 * @param captionMode how live captions see a window: LLaVA-Mini's running sums or TS-LLaVA at the window's close
 * @param alertStateTtl how long the alert filter remembers a question's last answer
 */
public record PipelineSettings(IngestSettings ingest, QuerySettings query, LiveCaptionSettings caption,
        ModelKind<?> captionMode, Batching encode, Batching generate, Duration alertStateTtl) {

    public ModelSettings model() {
        return caption.model();
    }

    /**
     * @throws IllegalArgumentException naming the key when the bundle is missing or not llava-mini, or when
     *     streamvl.model-input.size disagrees with it
     */
    public static PipelineSettings of(Configuration conf) {
        int inputSize = inputSize(ModelBundlePath.existing(conf));
        int configured = conf.get(MODEL_INPUT_SIZE);
        if (configured != 0 && configured != inputSize) {
            throw new IllegalArgumentException(MODEL_INPUT_SIZE.key() + " is " + configured + ", but the model ("
                    + MODEL_BUNDLE.key() + ") takes " + inputSize + "x" + inputSize + " frames; leave "
                    + MODEL_INPUT_SIZE.key() + " at 0 to follow the model");
        }
        ModelSettings model = StreamvlConfig.modelSettings(conf);
        return new PipelineSettings(
                StreamvlConfig.ingestSettings(conf, StreamvlConfig.modelInput(conf, inputSize)),
                StreamvlConfig.querySettings(conf),
                StreamvlConfig.liveCaptionSettings(conf, model),
                StreamvlConfig.captionMode(conf),
                StreamvlConfig.batching(conf, ENCODE_MAX_BATCH, ENCODE_MAX_WAIT),
                StreamvlConfig.batching(conf, GENERATE_MAX_BATCH, GENERATE_MAX_WAIT),
                conf.get(ALERT_STATE_TTL));
    }

    /**
     * What {@code LlavaMiniModel.inputSize()} will say, from the bundle's config alone (no weights loaded): the
     * tower's image size times the HD resolution ratio.
     */
    static int inputSize(Path bundle) {
        try (ModelBundle b = ModelBundle.open(bundle)) {
            if (b.architecture() != Architecture.LLAVA_MINI) {
                throw new IllegalArgumentException(MODEL_BUNDLE.key() + ": " + bundle + " holds a "
                        + b.architecture().id() + " model; the pipeline runs " + Architecture.LLAVA_MINI.id()
                        + " bundles");
            }
            return ClipVisionConfigs.fromHf(b.hfConfig()).imageSize()
                    * LlavaMiniSettings.fromHf(b.hfConfig()).resolutionRatio();
        } catch (ModelFormatException e) {
            throw new IllegalArgumentException(MODEL_BUNDLE.key() + ": " + e.getMessage(), e);
        }
    }
}
