package io.streamvl.kafka;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates streamvl's topics where they are missing; topics that exist are left as they are. */
public final class TopicAdmin {
    private static final long TIMEOUT_SECONDS = 60;

    private TopicAdmin() {}

    /** Returns the names of the topics this call created. */
    public static List<String> ensureTopics(String bootstrapServers, Collection<TopicSpec> specs) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<NewTopic> missing = specs.stream()
                    .filter(s -> !existing.contains(s.name()))
                    .map(s -> new NewTopic(s.name(), Optional.of(s.partitions()), Optional.empty())
                            .configs(s.configs()))
                    .toList();
            if (missing.isEmpty()) {
                return List.of();
            }
            Map<String, KafkaFuture<Void>> results =
                    admin.createTopics(missing).values();
            for (Map.Entry<String, KafkaFuture<Void>> e : results.entrySet()) {
                awaitCreated(e.getKey(), e.getValue());
            }
            return missing.stream().map(NewTopic::name).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics at " + bootstrapServers, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list topics at " + bootstrapServers + ": " + e.getMessage(), e);
        }
    }

    private static void awaitCreated(String topic, KafkaFuture<Void> future)
            throws InterruptedException {
        try {
            future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // Another process may have created it between listing and creating: that is success.
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + topic + ": " + e.getCause().getMessage(), e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating topic " + topic, e);
        }
    }
}
