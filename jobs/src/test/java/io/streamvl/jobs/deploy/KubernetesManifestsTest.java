package io.streamvl.jobs.deploy;

import static io.streamvl.jobs.deploy.DeployFiles.at;
import static io.streamvl.jobs.deploy.DeployFiles.file;
import static io.streamvl.jobs.deploy.DeployFiles.name;
import static io.streamvl.jobs.deploy.DeployFiles.ofKind;
import static io.streamvl.jobs.deploy.DeployFiles.single;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.jobs.StreamvlApplication;
import io.streamvl.jobs.config.ModelBundlePath;
import io.streamvl.jobs.config.StreamvlConfig;
import io.streamvl.jobs.config.StreamvlOptions;
import io.streamvl.kafka.StreamvlTopics;
import io.streamvl.kafka.TopicSpec;
import io.streamvl.kafka.Topics;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.jobmanager.JobManagerProcessUtils;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The k8s/ overlays as kustomize renders them, checked for what the Flink Kubernetes Operator's
 * DefaultValidator rejects (its rules mirrored here: operator-api 1.10.0 cannot parse v2_2), what the
 * API server would silently prune from a custom resource, what Flink or Strimzi would refuse at run
 * time, and whether the job accepts the arguments and config it is given.
 */
@SuppressWarnings("unchecked")
class KubernetesManifestsTest {
    /** FlinkDeployment spec fields of the operator's v1beta1 CRD; anything else is pruned on apply. */
    private static final Map<String, Set<String>> CRD_FIELDS = Map.of(
            "spec", Set.of("image", "imagePullPolicy", "serviceAccount", "flinkVersion", "ingress", "podTemplate",
                    "jobManager", "taskManager", "logConfiguration", "mode", "flinkConfiguration", "job", "restartNonce"),
            "spec.job", Set.of("jarURI", "parallelism", "entryClass", "args", "state", "savepointTriggerNonce",
                    "initialSavepointPath", "checkpointTriggerNonce", "upgradeMode", "allowNonRestoredState",
                    "savepointRedeployNonce", "autoscalerResetNonce"),
            "spec.jobManager", Set.of("resource", "replicas", "podTemplate"),
            "spec.taskManager", Set.of("resource", "replicas", "podTemplate"),
            "spec.jobManager.resource", Set.of("cpu", "memory", "ephemeralStorage"),
            "spec.taskManager.resource", Set.of("cpu", "memory", "ephemeralStorage"));

    /** Set by the operator itself; DefaultValidator rejects them in flinkConfiguration. */
    private static final Set<String> FORBIDDEN_KEYS =
            Set.of("kubernetes.namespace", "kubernetes.cluster-id", "high-availability.cluster-id");

    static List<Map<String, Object>> render(String overlay) throws Exception {
        return DeployFiles.render(file("k8s/overlays/" + overlay));
    }

    static Configuration flinkConfiguration(Map<String, Object> deployment) {
        Map<String, Object> raw = at(deployment, "spec.flinkConfiguration");
        Configuration conf = new Configuration();
        raw.forEach((k, v) -> conf.setString(k, String.valueOf(v)));
        return conf;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu-prod"})
    void flinkDeploymentPassesTheOperatorsValidation(String overlay) throws Exception {
        Map<String, Object> d = single(render(overlay), "FlinkDeployment");
        assertThat(d.get("apiVersion")).isEqualTo("flink.apache.org/v1beta1");
        assertThat(name(d)).matches("[a-z]([-a-z\\d]{0,43}[a-z\\d])?");
        CRD_FIELDS.forEach((path, allowed) -> {
            Map<String, Object> node = at(d, path);
            if (node != null) {
                assertThat(allowed).as("fields of %s", path).containsAll(node.keySet());
            }
        });

        String[] flink = EnvironmentInformation.getVersion().split("\\.");
        assertThat(at(d, "spec.flinkVersion").toString()).isEqualTo("v" + flink[0] + "_" + flink[1]);

        Configuration conf = flinkConfiguration(d);
        assertThat(conf.keySet()).doesNotContainAnyElementsOf(FORBIDDEN_KEYS);
        String upgradeMode = at(d, "spec.job.upgradeMode");
        assertThat(upgradeMode).isIn("savepoint", "last-state");
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).as("checkpoint dir for %s", upgradeMode).isNotBlank();
        assertThat(conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY)).as("savepoint dir for %s", upgradeMode).isNotBlank();
        // last-state, and savepoint's fallback to the last checkpoint, need HA metadata
        assertThat(conf.get(HighAvailabilityOptions.HA_MODE)).isEqualTo("kubernetes");
        assertThat(conf.get(HighAvailabilityOptions.HA_STORAGE_PATH)).isNotBlank();
        // pods come and go: state must outlive them, so no pod-local file:// paths
        for (String dir : List.of(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY),
                conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY), conf.get(HighAvailabilityOptions.HA_STORAGE_PATH))) {
            assertThat(dir).startsWith("s3://");
        }
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();

        int parallelism = at(d, "spec.job.parallelism");
        assertThat(parallelism).isPositive();
        Integer replicas = at(d, "spec.taskManager.replicas");
        if (replicas != null) {
            assertThat(parallelism).as("slots for the parallelism")
                    .isLessThanOrEqualTo(replicas * conf.get(TaskManagerOptions.NUM_TASK_SLOTS));
        }
        assertThat(at(d, "spec.job.state").toString()).isEqualTo("running");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu-prod"})
    void everyConfigurationKeyExistsInFlink22OrTheOperator(String overlay) throws Exception {
        FlinkKeys keys = new FlinkKeys();
        Configuration conf = flinkConfiguration(single(render(overlay), "FlinkDeployment"));
        assertThat(conf.keySet()).allSatisfy(k -> assertThat(keys.known(k)).as("known key %s", k).isTrue());
        assertThat(conf.keySet()).as("credentials come from Secrets, not the manifest")
                .noneMatch(k -> k.contains("secret") || k.contains("access-key") || k.contains("password"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu-prod"})
    void resourcesFitFlinksMemoryModel(String overlay) throws Exception {
        Map<String, Object> d = single(render(overlay), "FlinkDeployment");
        Configuration conf = flinkConfiguration(d);
        // the operator turns resource.memory into the process sizes; Flink then derives heap, managed
        // and network memory and fails at start when the parts do not fit
        Configuration tm = new Configuration(conf);
        tm.set(TaskManagerOptions.TOTAL_PROCESS_MEMORY, MemorySize.parse(at(d, "spec.taskManager.resource.memory")));
        var tmSpec = TaskExecutorProcessUtils.processSpecFromConfig(tm);
        assertThat(tmSpec.getTaskHeapSize().getMebiBytes()).isGreaterThanOrEqualTo(512);
        Configuration jm = new Configuration(conf);
        jm.set(JobManagerOptions.TOTAL_PROCESS_MEMORY, MemorySize.parse(at(d, "spec.jobManager.resource.memory")));
        JobManagerProcessUtils.processSpecFromConfig(jm);
        for (String role : List.of("jobManager", "taskManager")) {
            assertThat(Double.parseDouble(at(d, "spec." + role + ".resource.cpu").toString())).isPositive();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu-prod"})
    void jobGetsItsJarClassArgumentsAndConfig(String overlay, @TempDir Path tmp)
            throws Exception {
        List<Map<String, Object>> all = render(overlay);
        Map<String, Object> d = single(all, "FlinkDeployment");
        assertThat(at(d, "spec.job.jarURI").toString())
                .isEqualTo("local:///opt/flink/usrlib/" + ComposeTest.shadedJarName());
        assertThat(at(d, "spec.job.entryClass").toString()).isEqualTo(StreamvlApplication.class.getName());
        assertThat(at(d, "spec.image").toString()).startsWith("streamvl:");

        Map<String, Object> configMap = ofKind(all, "ConfigMap").stream()
                .filter(c -> name(c).equals(mountedConfigMap(d))).findFirst().orElseThrow();
        String text = (String) ((Map<String, Object>) configMap.get("data")).get("streamvl.yaml");
        assertThat(text).as("data key streamvl.yaml").isNotNull();
        Path config = Files.writeString(tmp.resolve("streamvl.yaml"), text);
        Configuration conf = JobArgs.load(at(d, "spec.job.args"), config);

        Properties flat = new Properties();
        flat.load(new StringReader(text));
        Map<String, String> m = new HashMap<>();
        flat.stringPropertyNames().forEach(k -> m.put(k, flat.getProperty(k)));
        JobArgs.assertOnlyKnownKeys(m);

        Map<String, Object> kafka = single(all, "Kafka");
        Map<String, Object> plain = ((List<Map<String, Object>>) at(kafka, "spec.kafka.listeners")).stream()
                .filter(l -> Boolean.FALSE.equals(l.get("tls")) && !l.containsKey("authentication"))
                .findFirst().orElseThrow();
        assertThat(conf.get(StreamvlOptions.BOOTSTRAP_SERVERS))
                .as("the job has no Kafka security settings, so it needs the plain listener")
                .isEqualTo(name(kafka) + "-kafka-bootstrap:" + plain.get("port"));
        assertThat(StreamvlConfig.topics(conf).all()).isEqualTo(Topics.defaults().all());
        if (overlay.equals("gpu-prod")) {
            assertThat(conf.get(StreamvlOptions.MODEL_DEVICE)).isEqualTo("gpu");
        }
        DeployFiles.ImageModel image = DeployFiles.imageModel(DeployFiles.dockerfileOf(at(d, "spec.image").toString()));
        assertThat(ModelBundlePath.resolve(conf, image.home())).as("the model in the image").isEqualTo(image.demoBundle());
    }

    static String mountedConfigMap(Map<String, Object> d) {
        List<Map<String, Object>> volumes = at(d, "spec.podTemplate.spec.volumes");
        Map<String, Object> main = mainContainer(at(d, "spec.podTemplate"));
        String volume = ((List<Map<String, Object>>) main.get("volumeMounts")).stream()
                .filter(v -> JobArgs.CONFIG_PATH.startsWith(v.get("mountPath") + "/")).findFirst().orElseThrow()
                .get("name").toString();
        return at(volumes.stream().filter(v -> v.get("name").equals(volume)).findFirst().orElseThrow(), "configMap.name");
    }

    static Map<String, Object> mainContainer(Map<String, Object> podTemplate) {
        List<Map<String, Object>> containers = at(podTemplate, "spec.containers");
        return containers.stream().filter(c -> "flink-main-container".equals(c.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("the operator merges only a container named flink-main-container"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu-prod"})
    void podTemplateReferencesResolveAndNoSecretIsInline(String overlay) throws Exception {
        List<Map<String, Object>> all = render(overlay);
        Map<String, Object> d = single(all, "FlinkDeployment");
        Map<String, Object> main = mainContainer(at(d, "spec.podTemplate"));
        Set<String> volumes = ((List<Map<String, Object>>) at(d, "spec.podTemplate.spec.volumes")).stream()
                .map(v -> v.get("name").toString()).collect(Collectors.toSet());
        List<Map<String, Object>> mounts = (List<Map<String, Object>>) main.get("volumeMounts");
        assertThat(volumes).containsAll(mounts.stream().map(m -> m.get("name").toString()).toList());
        assertThat(mounts).anySatisfy(m -> assertThat(m.get("mountPath")).isEqualTo("/opt/streamvl/models"));

        for (Map<String, Object> v : (List<Map<String, Object>>) at(d, "spec.podTemplate.spec.volumes")) {
            String claim = at(v, "persistentVolumeClaim.claimName");
            if (claim != null) {
                assertThat(ofKind(all, "PersistentVolumeClaim")).anySatisfy(p -> assertThat(name(p)).isEqualTo(claim));
            }
        }
        assertThat(ofKind(all, "Secret")).as("Secrets are created out of band (docs/deploy.md)").isEmpty();
        for (Map<String, Object> e : (List<Map<String, Object>>) main.get("env")) {
            String envName = e.get("name").toString();
            if (envName.contains("SECRET") || envName.contains("KEY_ID") || envName.contains("PASSWORD")) {
                assertThat(e).as(envName).doesNotContainKey("value").containsKey("valueFrom");
            }
        }
        assertThat(at(d, "spec.serviceAccount").toString()).isEqualTo(name(single(all, "ServiceAccount")));
    }

    @Test
    void gpuTaskManagersRequestGpusOnGpuNodes() throws Exception {
        Map<String, Object> d = single(render("gpu-prod"), "FlinkDeployment");
        assertThat(at(d, "spec.image").toString()).endsWith("-gpu");
        Map<String, Object> tmTemplate = at(d, "spec.taskManager.podTemplate");
        Map<String, Object> main = mainContainer(tmTemplate);
        Map<String, Object> limits = at(main, "resources.limits");
        Object gpus = limits.get("nvidia.com/gpu");
        assertThat(gpus).as("extended resources are whole numbers").isInstanceOf(Integer.class);
        assertThat((Integer) gpus).isPositive();
        Map<String, Object> requests = at(main, "resources.requests");
        if (requests != null && requests.containsKey("nvidia.com/gpu")) {
            assertThat(requests.get("nvidia.com/gpu")).as("GPU requests must equal limits").isEqualTo(gpus);
        }
        assertThat((Map<String, Object>) at(tmTemplate, "spec.nodeSelector")).isNotEmpty();
        assertThat((List<Map<String, Object>>) at(tmTemplate, "spec.tolerations"))
                .anySatisfy(t -> assertThat(t.get("key")).isEqualTo("nvidia.com/gpu"));
        Map<String, Object> dev = single(render("dev"), "FlinkDeployment");
        assertThat((Object) at(dev, "spec.taskManager.podTemplate")).as("dev runs on CPU nodes").isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "gpu-prod"})
    void kafkaTopicsAndBrokerMatchTheJob(String overlay) throws Exception {
        List<Map<String, Object>> all = render(overlay);
        Map<String, Object> kafka = single(all, "Kafka");
        String cluster = name(kafka);
        assertThat(at(kafka, "spec.kafka.version").toString()).isEqualTo(AppInfoParser.getVersion());
        Map<String, Object> annotations = at(kafka, "metadata.annotations");
        assertThat(annotations).containsEntry("strimzi.io/node-pools", "enabled").containsEntry("strimzi.io/kraft", "enabled");
        Map<String, Object> broker = at(kafka, "spec.kafka.config");
        int maxMessage = StreamvlOptions.MAX_MESSAGE_BYTES.defaultValue();
        assertThat(((Number) broker.get("message.max.bytes")).intValue()).isGreaterThanOrEqualTo(maxMessage);
        assertThat(((Number) broker.get("transaction.max.timeout.ms")).longValue()).isGreaterThanOrEqualTo(900_000L);

        int brokers = ofKind(all, "KafkaNodePool").stream()
                .filter(p -> cluster.equals(label(p)))
                .filter(p -> ((List<Object>) at(p, "spec.roles")).contains("broker"))
                .mapToInt(p -> (Integer) at(p, "spec.replicas")).sum();
        assertThat(brokers).isPositive();
        for (String rf : List.of("default.replication.factor", "offsets.topic.replication.factor",
                "transaction.state.log.replication.factor")) {
            assertThat((Integer) broker.get(rf)).as(rf).isBetween(1, brokers);
        }
        assertThat((Integer) broker.get("transaction.state.log.min.isr"))
                .isLessThanOrEqualTo((Integer) broker.get("transaction.state.log.replication.factor"));

        List<TopicSpec> declared = ofKind(all, "KafkaTopic").stream().map(t -> {
            assertThat(label(t)).as("topic %s belongs to the cluster", name(t)).isEqualTo(cluster);
            int replicas = at(t, "spec.replicas");
            assertThat(replicas).isBetween(1, brokers);
            Map<String, Object> cfg = at(t, "spec.config");
            Map<String, String> configs = new HashMap<>();
            cfg.forEach((k, v) -> configs.put(k, String.valueOf(v)));
            String minIsr = configs.remove("min.insync.replicas");
            if (minIsr != null) {
                assertThat(Integer.parseInt(minIsr)).isLessThanOrEqualTo(replicas);
            }
            return new TopicSpec(at(t, "spec.topicName"), at(t, "spec.partitions"), configs);
        }).toList();
        assertThat(declared).containsExactlyInAnyOrderElementsOf(StreamvlTopics.specs(Topics.defaults(),
                StreamvlOptions.SEGMENT_PARTITIONS.defaultValue(), maxMessage));
        for (Map<String, Object> u : ofKind(all, "KafkaUser")) {
            assertThat(label(u)).isEqualTo(cluster);
        }
    }

    private static String label(Map<String, Object> resource) {
        Map<String, Object> labels = at(resource, "metadata.labels");
        return labels == null ? null : (String) labels.get("strimzi.io/cluster");
    }

    @Test
    void overlaysSetANamespaceAndTheBaseDoesNot() throws Exception {
        for (String overlay : List.of("dev", "gpu-prod")) {
            assertThat(render(overlay)).allSatisfy(r -> assertThat((Object) at(r, "metadata.namespace")).isEqualTo("streamvl"));
        }
        assertThat(DeployFiles.render(file("k8s/base"))).allSatisfy(r -> assertThat((Object) at(r, "metadata.namespace")).isNull());
    }
}
