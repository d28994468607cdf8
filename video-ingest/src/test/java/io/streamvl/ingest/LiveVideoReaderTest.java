package io.streamvl.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LiveVideoReaderTest {

    /**
     * A loopback "camera": the first request gets half the clip and then the connection drops;
     * later requests get the whole clip, chunked like a live stream.
     */
    @Test
    void reconnectsAfterADroppedConnectionWithMonotonicTimestamps() throws Exception {
        byte[] clip = Files.readAllBytes(RealMedia.file("sintel-captions.ts"));
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/live.ts", exchange -> {
            boolean first = requests.incrementAndGet() == 1;
            exchange.getResponseHeaders().add("Content-Type", "video/mp2t");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(clip, 0, first ? clip.length / 2 : clip.length);
            } catch (java.io.IOException clientWentAway) {
                // the reader closing mid-response is expected at the end of the test
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/live.ts";
        DecoderOptions opts = DecoderOptions.defaults().withReconnectDelays(20, 200).withIoTimeoutMicros(2_000_000);
        List<Long> pts = new ArrayList<>();
        try (LiveVideoReader reader = new LiveVideoReader(VideoInput.ofUri(url), opts);
                ModelInputConverter converter = new ModelInputConverter(ModelInputSpec.clipDefaults())) {
            float[] tensor = new float[ModelInputSpec.clipDefaults().tensorLength()];
            while (pts.size() < 300) {
                DecodedFrame f = reader.next();
                assertThat(f).isNotNull();
                pts.add(f.ptsMicros());
                if (pts.size() % 50 == 0) {
                    converter.toTensor(f, tensor);
                }
            }
            assertThat(reader.reconnects()).isGreaterThanOrEqualTo(1);
            assertThat(reader.info().codecName()).isEqualTo("h264");
        } finally {
            server.stop(0);
        }
        assertThat(requests.get()).isGreaterThanOrEqualTo(2);
        assertThat(pts).isSorted().doesNotHaveDuplicates();
        // after the drop the timeline continues rather than restarting at 0
        assertThat(pts.get(299)).isGreaterThan(10_000_000L);
    }

    @Test
    void closeStopsABlockedReaderPromptly() throws Exception {
        // a server that accepts and then sends nothing: the reader blocks in its read
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + silent.getLocalPort() + "/stalled.ts";
            LiveVideoReader reader = new LiveVideoReader(VideoInput.ofUri(url),
                    DecoderOptions.defaults().withIoTimeoutMicros(30_000_000L));
            CompletableFuture<DecodedFrame> next = CompletableFuture.supplyAsync(() -> {
                try {
                    return reader.next();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            long t0 = System.nanoTime();
            reader.close();
            assertThat(next.get(5, TimeUnit.SECONDS)).isNull();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(3_000);
        }
    }
}
