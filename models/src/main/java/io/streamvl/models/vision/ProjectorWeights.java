package io.streamvl.models.vision;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamvl.models.ModelFormatException;
import io.streamvl.models.weights.PrefixedTensors;
import io.streamvl.models.weights.TensorInfo;
import io.streamvl.models.weights.TensorSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code mlp2x_gelu} projector's tensors under HF LLaVA's unprefixed names {@code linear_1.weight},
 * {@code linear_1.bias}, {@code linear_2.weight}, {@code linear_2.bias}, and the views that find them in
 * HF LLaVA ({@code multi_modal_projector.}, {@code model.multi_modal_projector.}) and original LLaVA /
 * LLaVA-Mini checkpoints ({@code model.mm_projector.0.} and {@code .2.}: an {@code nn.Sequential} whose
 * index 1 is the GELU).
 */
public final class ProjectorWeights {
    public static final String LINEAR_1 = "linear_1.";
    public static final String LINEAR_2 = "linear_2.";

    private static final List<Map<String, String>> LAYOUTS = List.of(
            layout("multi_modal_projector.linear_1.", "multi_modal_projector.linear_2."),
            layout("model.multi_modal_projector.linear_1.", "model.multi_modal_projector.linear_2."),
            layout("model.mm_projector.0.", "model.mm_projector.2."));

    private ProjectorWeights() {}

    public static Map<String, long[]> expected(int in, int out) {
        Map<String, long[]> m = new LinkedHashMap<>();
        m.put(LINEAR_1 + "weight", new long[] {out, in});
        m.put(LINEAR_1 + "bias", new long[] {out});
        m.put(LINEAR_2 + "weight", new long[] {out, out});
        m.put(LINEAR_2 + "bias", new long[] {out});
        return m;
    }

    /**
     * The projector's tensors under unprefixed names.
     *
     * @throws ModelFormatException when the checkpoint holds no projector under a known name
     */
    public static TensorSource projector(TensorSource weights) {
        String probe = LINEAR_1 + "weight";
        if (weights.info(probe) != null) {
            return weights;
        }
        for (Map<String, String> layout : LAYOUTS) {
            if (weights.info(layout.get(LINEAR_1) + "weight") != null) {
                return new PrefixedTensors(weights, layout);
            }
        }
        throw new ModelFormatException("the checkpoint has no mlp2x_gelu projector: no weight under any of "
                + LAYOUTS.stream().map(l -> l.get(LINEAR_1)).toList());
    }

    /**
     * Input and output width from {@code linear_1.weight} {@code [out, in]}, after checking all four tensors.
     *
     * @throws ModelFormatException listing the first problems, expected vs actual shape
     */
    public static int[] dims(TensorSource projector) {
        TensorInfo first = projector.info(LINEAR_1 + "weight");
        if (first == null || first.shape().length != 2) {
            throw new ModelFormatException("projector " + LINEAR_1 + "weight: "
                    + (first == null ? "missing" : "shape " + Arrays.toString(first.shape()))
                    + ", expected [out, in]");
        }
        int out = Math.toIntExact(first.shape()[0]);
        int in = Math.toIntExact(first.shape()[1]);
        WeightCheck.check("mlp2x_gelu projector", expected(in, out), projector);
        return new int[] {in, out};
    }

    /**
     * Rejects configs that name a projector other than {@code mlp2x_gelu}: {@code mm_projector_type}
     * (original LLaVA) or {@code projector_hidden_act} (HF LLaVA, whose projector is always two linears).
     */
    public static void checkType(JsonNode config) {
        String type = config.path("mm_projector_type").asText("mlp2x_gelu");
        String act = config.path("projector_hidden_act").asText("gelu");
        if (!type.equals("mlp2x_gelu") || !act.equals("gelu")) {
            throw new ModelFormatException("config.json: only the mlp2x_gelu projector is supported, got mm_projector_type="
                    + type + " projector_hidden_act=" + act);
        }
    }

    private static Map<String, String> layout(String linear1, String linear2) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(LINEAR_1, linear1);
        m.put(LINEAR_2, linear2);
        return m;
    }
}
