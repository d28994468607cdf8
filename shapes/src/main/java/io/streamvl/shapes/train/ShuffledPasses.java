package io.streamvl.shapes.train;

import io.streamvl.models.train.TrainingSample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Draws samples in seeded shuffled passes over a list, endlessly: every sample once per pass. */
final class ShuffledPasses {
    private final List<TrainingSample> pass;
    private final Random order;
    private int next;

    ShuffledPasses(List<TrainingSample> samples, Random order) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples to draw from");
        }
        this.pass = new ArrayList<>(samples);
        this.order = order;
        this.next = pass.size();
    }

    /** The next {@code min(n, samples)} samples. */
    List<TrainingSample> take(int n) {
        List<TrainingSample> out = new ArrayList<>(n);
        while (out.size() < Math.min(n, pass.size())) {
            if (next == pass.size()) {
                Collections.shuffle(pass, order);
                next = 0;
            }
            out.add(pass.get(next++));
        }
        return out;
    }
}
