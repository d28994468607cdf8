package io.streamvl.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamvl.kafka.testing.TopicDrain;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaTest {
    private static final int MAX_MESSAGE = EmbeddedKafka.DEFAULT_MAX_MESSAGE_BYTES;

    @TempDir
    Path workDir;

    @Test
    void createsStreamvlTopicsWithTheirConfigsOnLoopbackAndKeepsDataAcrossRestart() throws Exception {
        Topics topics = Topics.defaults();
        long t0 = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(workDir, 0)) {
            System.out.printf("broker startup (fresh dir): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
            assertNotReachableOffLoopback(Integer.parseInt(kafka.bootstrapServers().split(":")[1]));

            List<TopicSpec> specs = StreamvlTopics.specs(topics, 3, MAX_MESSAGE);
            assertThat(TopicAdmin.ensureTopics(kafka.bootstrapServers(), specs))
                    .containsExactlyInAnyOrderElementsOf(topics.all());
            assertThat(TopicAdmin.ensureTopics(kafka.bootstrapServers(), specs)).isEmpty();

            try (Admin admin = admin(kafka)) {
                assertThat(admin.describeTopics(List.of(topics.segments)).allTopicNames().get()
                        .get(topics.segments).partitions()).hasSize(3);
                Config segments = topicConfig(admin, topics.segments);
                assertThat(segments.get("max.message.bytes").value()).isEqualTo(String.valueOf(MAX_MESSAGE));
                assertThat(segments.get("retention.ms").value()).isEqualTo(String.valueOf(Duration.ofDays(1).toMillis()));
                assertThat(segments.get("cleanup.policy").value()).isEqualTo("delete");
                assertThat(topicConfig(admin, topics.dlq).get("retention.ms").value())
                        .isEqualTo(String.valueOf(Duration.ofDays(7).toMillis()));
            }
            try (SegmentPublisher publisher = new SegmentPublisher(kafka.bootstrapServers(), topics.segments, MAX_MESSAGE)) {
                publisher.publish("cam-1", 0, 1_000, "mpegts", "kept".getBytes(StandardCharsets.UTF_8));
            }
        }

        long t1 = System.nanoTime();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(workDir, 0)) {
            System.out.printf("broker startup (reused dir): %d ms%n", (System.nanoTime() - t1) / 1_000_000);
            assertThat(TopicAdmin.ensureTopics(kafka.bootstrapServers(), StreamvlTopics.specs(topics, 3, MAX_MESSAGE)))
                    .isEmpty();
            List<ConsumerRecord<byte[], byte[]>> records =
                    TopicDrain.drain(kafka.bootstrapServers(), topics.segments, false, Duration.ofSeconds(30));
            assertThat(records).hasSize(1);
            assertThat(new String(records.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("kept");
        }
    }

    private static void assertNotReachableOffLoopback(int port) throws Exception {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(nif.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    try (Socket socket = new Socket()) {
                        assertThatThrownBy(() -> socket.connect(new InetSocketAddress(address, port), 1000))
                                .as("broker port reachable on %s", address).isInstanceOf(IOException.class);
                    }
                }
            }
        }
    }

    private static Admin admin(EmbeddedKafka kafka) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return Admin.create(p);
    }

    private static Config topicConfig(Admin admin, String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(r)).all().get();
        return configs.get(r);
    }
}
