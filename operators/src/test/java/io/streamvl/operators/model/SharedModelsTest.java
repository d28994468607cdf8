package io.streamvl.operators.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.models.llama.DecoderOptions;
import io.streamvl.models.llavamini.LlavaMiniModel;
import io.streamvl.models.vision.VisionOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SharedModelsTest {

    @Test
    void settingsConvertToTheRuntimesOptions() {
        ModelSettings s = new ModelSettings("/models/x", "cpu", 3, 1, 6, 1024, false);
        assertThat(s.decoderOptions()).isEqualTo(new DecoderOptions("cpu", 3, 1, 6, 1024, false));
        assertThat(s.visionOptions())
                .isEqualTo(new VisionOptions("cpu", 3, 1, VisionOptions.defaults().maxBatch(), false));
        DecoderOptions d = DecoderOptions.defaults();
        assertThat(ModelSettings.of("/m").decoderOptions()).isEqualTo(d);
        assertThatThrownBy(() -> new ModelSettings("/m", "tpu", 0, 0, 4, 2048, true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModelSettings.of("/m").withMaxBatch(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leasesOfEqualSettingsShareOneModelUntilTheLastCloses() {
        ModelSettings settings = TinyModel.settings();
        SharedModels.Lease<LlavaMiniModel> a = SharedModels.acquire(settings);
        SharedModels.Lease<LlavaMiniModel> b = SharedModels.acquire(ModelSettings.of(settings.bundleDir()).withThreads(2, 1)
                .withMaxContext(256).withMaxBatch(4));
        assertThat(SharedModels.leases(settings)).isEqualTo(2);
        LlavaMiniModel first = a.call(m -> m);
        LlavaMiniModel second = b.call(m -> m);
        assertThat(second).isSameAs(first);

        a.close();
        a.close();
        assertThat(SharedModels.leases(settings)).isEqualTo(1);
        assertThatThrownBy(() -> a.call(LlavaMiniModel::inputSize)).isInstanceOf(IllegalStateException.class);
        assertThat(b.call(LlavaMiniModel::inputSize)).isEqualTo(TinyModel.INPUT_SIZE);
        b.close();
        assertThat(SharedModels.leases(settings)).isZero();

        try (SharedModels.Lease<LlavaMiniModel> c = SharedModels.acquire(settings)) {
            LlavaMiniModel reopened = c.call(m -> m);
            assertThat(reopened).isNotSameAs(first);
        }
    }

    @Test
    void theModelIsOnlyReachableUnderTheLeasesLock() throws Exception {
        try (SharedModels.Lease<LlavaMiniModel> lease = SharedModels.acquire(TinyModel.settings())) {
            assertThatThrownBy(lease::model).isInstanceOf(IllegalStateException.class).hasMessageContaining("Lease.call");
            boolean same = lease.call(m -> lease.model() == m);
            assertThat(same).isTrue();

            // two threads in call() at once would be a data race on the model; the lock keeps them apart
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<?>[] runs = new Future<?>[2];
                for (int i = 0; i < runs.length; i++) {
                    runs[i] = pool.submit(() -> {
                        start.await();
                        for (int k = 0; k < 20; k++) {
                            lease.call(m -> {
                                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                                Thread.onSpinWait();
                                return inside.decrementAndGet();
                            });
                        }
                        return null;
                    });
                }
                start.countDown();
                for (Future<?> r : runs) {
                    r.get(30, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(most.get()).isEqualTo(1);
        }
    }
}
