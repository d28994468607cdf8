package io.streamvl.operators.caption;

import io.streamvl.models.llavamini.IncrementalCaption;
import io.streamvl.models.llavamini.RunningTextFusion;
import java.util.ArrayList;
import java.util.List;

/**
 * One prompt's running state in one stream's caption window, as keyed state: the
 * {@link IncrementalCaption.State} (sum of the fused text over the window's frames and each frame's
 * Z'), flattened to arrays so it serializes compactly on any state backend. A Flink POJO.
 */
public class PromptWindow {
    /** Columns (L) and width (D) of the prompt's fused text. */
    public int length;
    public int width;
    public long frames;
    /** {@code [L·D]} row-major sum of T' over the frames. */
    public double[] textSum;
    /** Rows (C²) of Z' per frame. */
    public int tokensPerFrame;
    /** {@code [frames·C²·D]}: every frame's Z', in arrival order. */
    public float[] fused;

    public PromptWindow() {}

    public static PromptWindow of(IncrementalCaption.State state) {
        RunningTextFusion.State text = state.text();
        PromptWindow w = new PromptWindow();
        w.length = text.length();
        w.width = text.width();
        w.frames = text.frames();
        w.textSum = text.sum();
        w.tokensPerFrame = state.fused().isEmpty() ? 0 : state.fused().get(0).length;
        w.fused = new float[state.fused().size() * w.tokensPerFrame * w.width];
        int at = 0;
        for (float[][] frame : state.fused()) {
            for (float[] row : frame) {
                System.arraycopy(row, 0, w.fused, at, w.width);
                at += w.width;
            }
        }
        return w;
    }

    public IncrementalCaption.State toState() {
        List<float[][]> perFrame = new ArrayList<>();
        int at = 0;
        for (long f = 0; f < frames; f++) {
            float[][] rows = new float[tokensPerFrame][width];
            for (float[] row : rows) {
                System.arraycopy(fused, at, row, 0, width);
                at += width;
            }
            perFrame.add(rows);
        }
        return new IncrementalCaption.State(new RunningTextFusion.State(length, width, frames, textSum), perFrame);
    }
}
