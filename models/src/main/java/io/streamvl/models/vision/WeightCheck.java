package io.streamvl.models.vision;

import io.streamvl.models.ModelFormatException;
import io.streamvl.models.weights.TensorInfo;
import io.streamvl.models.weights.TensorSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Checks tensors against expected shapes and reports every problem in one message. */
final class WeightCheck {
    /** Problems listed in one error message; the rest are counted. */
    private static final int REPORTED_PROBLEMS = 8;

    private WeightCheck() {}

    static void check(String what, Map<String, long[]> expected, TensorSource weights) {
        List<String> problems = new ArrayList<>();
        expected.forEach((name, shape) -> {
            TensorInfo info = weights.info(name);
            if (info == null) {
                problems.add(name + ": missing (expected " + Arrays.toString(shape) + ")");
            } else if (!info.hasShape(shape)) {
                problems.add(name + ": shape " + Arrays.toString(info.shape()) + ", expected " + Arrays.toString(shape));
            } else if (!info.dtype().isFloating()) {
                problems.add(name + ": dtype " + info.dtype() + ", expected a floating type");
            }
        });
        if (problems.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder("weights do not fit the ").append(what).append(" (")
                .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems").append("):");
        problems.stream().limit(REPORTED_PROBLEMS).forEach(p -> message.append("\n  ").append(p));
        if (problems.size() > REPORTED_PROBLEMS) {
            message.append("\n  ... and ").append(problems.size() - REPORTED_PROBLEMS).append(" more");
        }
        throw new ModelFormatException(message.toString());
    }
}
