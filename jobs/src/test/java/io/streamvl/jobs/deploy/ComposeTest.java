package io.streamvl.jobs.deploy;

import static io.streamvl.jobs.deploy.DeployFiles.at;
import static io.streamvl.jobs.deploy.DeployFiles.file;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamvl.jobs.StreamvlApplication;
import io.streamvl.jobs.cli.StreamvlCli;
import io.streamvl.jobs.config.ModelBundlePath;
import io.streamvl.jobs.config.StreamvlConfig;
import io.streamvl.jobs.config.StreamvlOptions;
import io.streamvl.kafka.StreamvlTopics;
import io.streamvl.kafka.TopicSpec;
import io.streamvl.kafka.Topics;
import java.io.StringReader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** docker-compose.yml, the image and the topic script: what Docker, Kafka and Flink would do with them. */
@SuppressWarnings("unchecked")
class ComposeTest {
    static Map<String, Object> compose;
    static Map<String, Object> services;

    @BeforeAll
    static void read() throws Exception {
        compose = DeployFiles.yaml(file("docker-compose.yml"));
        services = at(compose, "services");
    }

    static Map<String, Object> service(String name) {
        Map<String, Object> s = at(services, name);
        assertThat(s).as("service %s", name).isNotNull();
        return s;
    }

    static Map<String, String> kafkaEnv() {
        Map<String, Object> env = at(service("kafka"), "environment");
        Map<String, String> out = new HashMap<>();
        env.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    static Map<String, String> listeners(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : value.split(",")) {
            String[] nameAndAddress = l.split("://", 2);
            out.put(nameAndAddress[0], nameAndAddress[1]);
        }
        return out;
    }

    @Test
    void kafkaImageIsPinnedToTheClientVersion() {
        assertThat(service("kafka").get("image")).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
        assertThat(service("topics").get("image")).isEqualTo(service("kafka").get("image"));
    }

    @Test
    void kraftListenersAreConsistent() {
        Map<String, String> env = kafkaEnv();
        Map<String, String> listeners = listeners(env.get("KAFKA_LISTENERS"));
        Map<String, String> advertised = listeners(env.get("KAFKA_ADVERTISED_LISTENERS"));
        Map<String, String> protocols = Arrays.stream(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").split(","))
                .map(p -> p.split(":")).collect(Collectors.toMap(p -> p[0], p -> p[1]));
        String controller = env.get("KAFKA_CONTROLLER_LISTENER_NAMES");

        assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
        assertThat(protocols.keySet()).as("every listener has a protocol").containsAll(listeners.keySet());
        assertThat(listeners).containsKey(controller);
        assertThat(advertised).as("the controller listener is never advertised").doesNotContainKey(controller);
        assertThat(listeners.keySet()).as("advertised listeners must be bound").containsAll(advertised.keySet());
        advertised.forEach((name, address) -> assertThat(port(address)).as("port of %s", name)
                .isEqualTo(port(listeners.get(name))));
        assertThat(advertised).containsKey(env.get("KAFKA_INTER_BROKER_LISTENER_NAME"));

        String voterAddress = env.get("KAFKA_CONTROLLER_QUORUM_VOTERS").split("@")[1];
        assertThat(voterAddress).isEqualTo(service("kafka").get("hostname") + ":" + port(listeners.get(controller)));
        assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS")).startsWith(env.get("KAFKA_NODE_ID") + "@");
        assertThat(Uuid.fromString(env.get("CLUSTER_ID"))).isNotNull();

        String hostListener = advertised.entrySet().stream().filter(e -> e.getValue().startsWith("localhost:"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        List<Object> ports = at(service("kafka"), "ports");
        assertThat(ports).contains(port(advertised.get(hostListener)) + ":" + port(listeners.get(hostListener)));
    }

    @Test
    void brokerAcceptsWhatTheJobSendsAndAsks() {
        Map<String, String> env = kafkaEnv();
        int maxMessage = StreamvlOptions.MAX_MESSAGE_BYTES.defaultValue();
        assertThat(Integer.parseInt(env.get("KAFKA_MESSAGE_MAX_BYTES"))).isGreaterThanOrEqualTo(maxMessage);
        assertThat(Integer.parseInt(env.get("KAFKA_REPLICA_FETCH_MAX_BYTES"))).isGreaterThanOrEqualTo(maxMessage);
        assertThat(Long.parseLong(env.get("KAFKA_TRANSACTION_MAX_TIMEOUT_MS"))).isGreaterThanOrEqualTo(900_000L);
        // one broker: internal topics with a replication factor above 1 could never be created
        env.entrySet().stream().filter(e -> e.getKey().endsWith("REPLICATION_FACTOR") || e.getKey().endsWith("MIN_ISR"))
                .forEach(e -> assertThat(e.getValue()).as(e.getKey()).isEqualTo("1"));
        assertThat(env.get("KAFKA_LOG_DIRS")).isEqualTo("/var/lib/kafka/data");
        assertThat((List<Object>) at(service("kafka"), "volumes")).contains("kafka-data:/var/lib/kafka/data");
        assertThat(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).isEqualTo("false");
    }

    @Test
    void topicScriptCreatesStreamvlTopicsLayout() throws Exception {
        Pattern line = Pattern.compile("^create (\\S+) (\\d+)((?: \\S+=\\S+)*)$");
        List<TopicSpec> created = new ArrayList<>();
        for (String l : Files.readAllLines(file("docker/create-topics.sh"))) {
            Matcher m = line.matcher(l.trim());
            if (m.matches()) {
                Map<String, String> configs = new HashMap<>();
                for (String kv : m.group(3).trim().split(" ")) {
                    String[] p = kv.split("=", 2);
                    configs.put(p[0], p[1]);
                }
                created.add(new TopicSpec(m.group(1), Integer.parseInt(m.group(2)), Map.copyOf(configs)));
            }
        }
        assertThat(created).containsExactlyInAnyOrderElementsOf(StreamvlTopics.specs(Topics.defaults(),
                StreamvlOptions.SEGMENT_PARTITIONS.defaultValue(), StreamvlOptions.MAX_MESSAGE_BYTES.defaultValue()));
        assertThat((List<Object>) at(service("topics"), "volumes")).contains("./docker/create-topics.sh:/create-topics.sh:ro");
        assertThat(at(service("topics"), "depends_on.kafka.condition").toString()).isEqualTo("service_healthy");
    }

    static Configuration flinkProperties(String service) {
        String text = at(service(service), "environment.FLINK_PROPERTIES");
        Configuration conf = new Configuration();
        text.lines().map(String::trim).filter(l -> !l.isEmpty()).forEach(l -> {
            int colon = l.indexOf(':');
            conf.setString(l.substring(0, colon).trim(), l.substring(colon + 1).trim());
        });
        return conf;
    }

    @Test
    void flinkConfigurationUsesFlink22KeysAndTheSharedVolume() throws Exception {
        FlinkKeys keys = new FlinkKeys();
        Configuration jm = flinkProperties("jobmanager");
        assertThat(jm.toMap()).isEqualTo(flinkProperties("taskmanager").toMap());
        assertThat(jm.keySet()).allSatisfy(k -> assertThat(keys.isFlinkKey(k)).as("Flink 2.2 key %s", k).isTrue());

        assertThat(jm.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(jm.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(jm.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isNotNull();
        String volume = "flink-data:/flink-data";
        for (String s : List.of("jobmanager", "taskmanager")) {
            assertThat((List<Object>) at(service(s), "volumes")).contains(volume);
        }
        assertThat(jm.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).startsWith("file:///flink-data/");
        assertThat(jm.get(CheckpointingOptions.SAVEPOINT_DIRECTORY)).startsWith("file:///flink-data/");
        assertThat(TaskExecutorProcessUtils.processSpecFromConfig(jm).getTaskHeapSize().getMebiBytes())
                .as("task heap left beside managed, network and model off-heap memory").isGreaterThanOrEqualTo(512);
        assertThat(jm.getString("jobmanager.rpc.address", null)).isEqualTo(service("jobmanager").get("hostname"));
        assertThat((Map<String, Object>) at(compose, "volumes")).containsKeys("flink-data", "kafka-data");
    }

    @Test
    void imageIsTheFlinkVersionOnTheClasspathWithTheShadedJar() throws Exception {
        String flink = EnvironmentInformation.getVersion();
        List<String> dockerfile = Files.readAllLines(file("docker/Dockerfile"));
        assertThat(dockerfile).contains("FROM flink:" + flink + "-scala_2.12-java17");
        assertThat(Files.readAllLines(file("docker/Dockerfile.gpu"))).contains("FROM flink:" + flink + "-scala_2.12-java17");
        String jar = shadedJarName();
        String copy = "COPY --chown=flink:flink jobs/target/" + jar + " /opt/flink/usrlib/" + jar;
        assertThat(dockerfile).contains(copy);
        assertThat(Files.readAllLines(file("docker/Dockerfile.gpu"))).contains(copy);
        assertThat(String.join("\n", dockerfile)).contains("/opt/streamvl/models", "/opt/streamvl/conf", "/flink-data");
        assertThat(at(service("jobmanager"), "build.dockerfile").toString()).isEqualTo("docker/Dockerfile");
    }

    @Test
    void imagesCarryTheDemoModelWhereTheJobsDefaultFindsIt() throws Exception {
        Configuration defaults = StreamvlConfig.load(null, Map.of());
        for (String dockerfile : List.of("docker/Dockerfile", "docker/Dockerfile.gpu")) {
            DeployFiles.ImageModel image = DeployFiles.imageModel(file(dockerfile));
            assertThat(ModelBundlePath.resolve(defaults, image.home())).as(dockerfile).isEqualTo(image.demoBundle());
        }
        List<String> command = at(service("jobmanager"), "command");
        Configuration jobConf = JobArgs.load(command.subList(3, command.size()), file("docker/streamvl.yaml"));
        DeployFiles.ImageModel image = DeployFiles.imageModel(DeployFiles.dockerfileOf(
                at(service("jobmanager"), "image").toString()));
        assertThat(ModelBundlePath.resolve(jobConf, image.home())).isEqualTo(image.demoBundle());
    }

    /** The file the shade profile writes, read from jobs/pom.xml so the two cannot drift apart. */
    static String shadedJarName() throws Exception {
        Matcher m = Pattern.compile("<outputFile>\\$\\{project.build.directory}/([^<]+\\.jar)</outputFile>")
                .matcher(Files.readString(file("jobs/pom.xml")));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    @Test
    void jobManagerRunsTheApplicationWithArgumentsTheJobAccepts() throws Exception {
        List<String> command = at(service("jobmanager"), "command");
        assertThat(command.subList(0, 3))
                .containsExactly("standalone-job", "--job-classname", StreamvlApplication.class.getName());
        List<String> args = command.subList(3, command.size());
        // standalone-job stops reading its own options at the first non-option: "run" must come first
        assertThat(args.get(0)).isEqualTo("run");
        Configuration conf = JobArgs.load(args, file("docker/streamvl.yaml"));
        assertThat(conf.get(StreamvlOptions.BOOTSTRAP_SERVERS)).isEqualTo(advertised("DOCKER"));
        assertThat(StreamvlConfig.topics(conf).all()).isEqualTo(Topics.defaults().all());
        assertThat(conf.get(StreamvlOptions.MAX_MESSAGE_BYTES))
                .isLessThanOrEqualTo(Integer.parseInt(kafkaEnv().get("KAFKA_MESSAGE_MAX_BYTES")));

        Properties file = new Properties();
        file.load(new StringReader(Files.readString(file("docker/streamvl.yaml"))));
        Map<String, String> flat = new HashMap<>();
        file.stringPropertyNames().forEach(k -> flat.put(k, file.getProperty(k)));
        JobArgs.assertOnlyKnownKeys(flat);
        assertThat((List<Object>) at(service("jobmanager"), "volumes"))
                .contains("./docker/streamvl.yaml:" + JobArgs.CONFIG_PATH + ":ro");
    }

    static int port(String address) {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    static String advertised(String listener) {
        return listeners(kafkaEnv().get("KAFKA_ADVERTISED_LISTENERS")).get(listener);
    }

    @Test
    void producerCommandsParse() {
        assertThat((List<Object>) at(service("producer"), "profiles")).containsExactly("producer");
        List<String> command = at(service("producer"), "command");
        String script = String.join(" ", command);
        String[] steps = script.split("&&");
        assertThat(steps).hasSize(2);
        for (String step : steps) {
            List<String> words = List.of(step.trim().split("\\s+"));
            assertThat(words.subList(0, 2)).containsExactly("java", StreamvlCli.class.getName());
            CommandLine.ParseResult parsed = new CommandLine(new StreamvlCli())
                    .parseArgs(words.subList(2, words.size()).toArray(String[]::new));
            assertThat(parsed.hasSubcommand()).isTrue();
        }
        assertThat(script).contains("--bootstrap " + advertised("DOCKER"));
        assertThat(at(service("producer"), "environment.CLASSPATH").toString())
                .startsWith("/opt/flink/usrlib/").contains("/opt/flink/lib/*");
    }

    @Test
    void gpuOverrideKeepsTheArgumentsValid() throws Exception {
        Map<String, Object> gpu = DeployFiles.yaml(file("docker/compose.gpu.yml"));
        List<String> command = at(gpu, "services.jobmanager.command");
        Configuration conf = JobArgs.load(command.subList(3, command.size()), file("docker/streamvl.yaml"));
        assertThat(conf.get(StreamvlOptions.MODEL_DEVICE)).isEqualTo("gpu");
        assertThat(at(gpu, "services.jobmanager.build.dockerfile").toString()).isEqualTo("docker/Dockerfile.gpu");
        List<Map<String, Object>> devices = at(gpu, "services.taskmanager.deploy.resources.reservations.devices");
        assertThat(devices).singleElement().satisfies(d -> assertThat(d.get("capabilities").toString()).contains("gpu"));
    }
}
