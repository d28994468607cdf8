package io.streamvl.jobs.bench.pipeline;

import static io.streamvl.jobs.bench.pipeline.StageSampler.*;

import io.streamvl.jobs.caption.LiveCaptionPipeline;
import io.streamvl.jobs.generate.GenerationPipeline;
import io.streamvl.jobs.ingest.IngestJob;
import io.streamvl.operators.caption.LiveCaptionFunction;
import io.streamvl.operators.caption.TsLlavaWindowFunction;
import io.streamvl.operators.generate.GenerationOperator;
import io.streamvl.operators.ingest.FrameToMemory;
import io.streamvl.operators.ingest.SegmentDecodeFunction;
import io.streamvl.operators.ingest.VideoMemoryFunction;
import io.streamvl.operators.model.ModelKind;
import io.streamvl.operators.vision.FrameEncodeOperator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline's stages in one caption mode ({@code streamvl.caption.mode}), and where the benchmark finds them. In
 * llava-mini mode {@code frame-encode} runs every sampled frame through the vision side in batches, pre-fusion with
 * the caption prompt included ({@value StageSampler#VISION}), and {@code live-caption} adds each frame to the
 * window's running sums as it arrives, fusing it with the standing questions' prompts
 * ({@value StageSampler#PRE_FUSION}). In ts-llava mode neither runs: {@code ts-llava-caption} keeps a window's JPEGs
 * and, when it closes, runs TS-LLaVA's vision over them once and fills the prompts with its tokens
 * ({@value StageSampler#TS_LLAVA_VISION}). Decoding, generation, the video memory and checkpoints are the same in
 * both.
 *
 * @param stagesByClass the stage of each class whose code may be innermost on a task thread's stack, in the order
 *     the results list them
 * @param stagesByOperator the stage of each operator, by the name a task's name lists it under
 * @param framesEncoded counter of the sampled frames that went through the mode's vision side
 * @param encodeBatch histogram mean of the frames per vision call
 * @param encodeMillis histogram mean of the ms per vision call (queueing for the shared model included)
 */
record ModeStages(Map<String, String> stagesByClass, Map<String, String> stagesByOperator,
        String framesEncoded, String encodeBatch, String encodeMillis) {
    static final String KAFKA = "kafka";
    /** The decode operator's name (its uid is {@code segment-decode}): task and metric names carry it. */
    static final String DECODE_OPERATOR = "decode-and-sample";

    static final ModeStages LLAVA_MINI = new ModeStages(
            stagesByClass(List.of(Map.entry(FrameEncodeOperator.class.getName(), VISION),
                    Map.entry(LiveCaptionFunction.class.getName(), PRE_FUSION))),
            stagesByOperator(Map.of(FrameEncodeOperator.UID, VISION, LiveCaptionPipeline.UID_LIVE_CAPTION, PRE_FUSION)),
            FrameEncodeOperator.UID + ".framesEncoded", FrameEncodeOperator.UID + ".batchSize_mean",
            FrameEncodeOperator.UID + ".encodeMillis_mean");
    static final ModeStages TS_LLAVA = new ModeStages(
            stagesByClass(List.of(Map.entry(TsLlavaWindowFunction.class.getName(), TS_LLAVA_VISION))),
            stagesByOperator(Map.of(LiveCaptionPipeline.UID_TS_LLAVA_CAPTION, TS_LLAVA_VISION)),
            TsLlavaWindowFunction.UID + ".framesKept", TsLlavaWindowFunction.UID + ".windowFrames_mean",
            TsLlavaWindowFunction.UID + ".encodeMillis_mean");

    static ModeStages of(ModelKind<?> mode) {
        return mode == ModelKind.TS_LLAVA ? TS_LLAVA : LLAVA_MINI;
    }

    /** The metrics of every mode's vision side, for reading whichever the job has. */
    static List<String> encodeMetrics() {
        return List.of(LLAVA_MINI.framesEncoded, LLAVA_MINI.encodeBatch, LLAVA_MINI.encodeMillis,
                TS_LLAVA.framesEncoded, TS_LLAVA.encodeBatch, TS_LLAVA.encodeMillis);
    }

    /** Decoding, the mode's own stages, then the stages every mode has after them. */
    private static Map<String, String> stagesByClass(List<Map.Entry<String, String>> own) {
        Map<String, String> stages = new LinkedHashMap<>();
        stages.put(SegmentDecodeFunction.class.getName(), DECODE);
        own.forEach(e -> stages.put(e.getKey(), e.getValue()));
        stages.put(GenerationOperator.class.getName(), GENERATION);
        stages.put(VideoMemoryFunction.class.getName(), VIDEO_MEMORY);
        stages.put(FrameToMemory.class.getName(), VIDEO_MEMORY);
        // package-private in Flink: where a task thread flushes and snapshots its state for a checkpoint
        stages.put("org.apache.flink.streaming.runtime.tasks.SubtaskCheckpointCoordinatorImpl", CHECKPOINT);
        return Collections.unmodifiableMap(stages);
    }

    private static Map<String, String> stagesByOperator(Map<String, String> own) {
        Map<String, String> stages = new LinkedHashMap<>(own);
        stages.put(DECODE_OPERATOR, DECODE);
        stages.put(GenerationPipeline.UID_GENERATE, GENERATION);
        stages.put(IngestJob.UID_MEMORY, VIDEO_MEMORY);
        stages.put("Source: segments", KAFKA);
        stages.put(": Writer", KAFKA);
        return Collections.unmodifiableMap(stages);
    }
}
