package io.switchboard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import io.switchboard.contracts.Topics;

/**
 * The deployment files against the code, without a cluster: the kustomize output of each overlay
 * ({@code kubectl kustomize}) and docker-compose.yml name every service, its real port and health paths, only
 * environment variables that service reads (and every one it requires), and exactly the topics the code uses.
 */
class DeploymentTest {
    private static final Path ROOT = root();
    private static final List<String> SERVICES = List.of("chat-service", "workflow-service", "ai-service", "notifier-service");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(SWITCHBOARD_[A-Z0-9_]+)(:[^}]*)?}");
    private static final Pattern PORT = Pattern.compile("quarkus\\.http\\.port=\\$\\{SWITCHBOARD_[A-Z]+_PORT:(\\d+)}");

    private static Path root() {
        Path path = Path.of(System.getProperty("switchboard.root", System.getProperty("user.dir"))).toAbsolutePath();
        return Files.exists(path.resolve("chat-service")) ? path : path.getParent();
    }

    /** What a service's code reads from the environment: variable name -> whether it has a default. */
    static Map<String, Boolean> variablesReadBy(String service) throws IOException {
        String properties = Files.readString(ROOT.resolve(service + "/src/main/resources/application.properties"));
        Map<String, Boolean> variables = new LinkedHashMap<>();
        Matcher m = VARIABLE.matcher(properties);
        while (m.find()) {
            variables.merge(m.group(1), m.group(2) != null, Boolean::logicalOr);
        }
        return variables;
    }

    static int portOf(String service) throws IOException {
        Matcher m = PORT.matcher(Files.readString(ROOT.resolve(service + "/src/main/resources/application.properties")));
        assertTrue(m.find(), service + " has no quarkus.http.port");
        return Integer.parseInt(m.group(1));
    }

    /** The topics the code uses: the contract constants, and every topic a service's messaging config names. */
    static Set<String> topicsInCode() throws IOException {
        Set<String> topics = new TreeSet<>();
        for (String topic : List.of(Topics.CHAT_EVENTS, Topics.CHAT_COMMANDS, Topics.AI_COMMANDS)) {
            topics.add(topic);
            topics.add(topic + Topics.DEAD_LETTER_SUFFIX);
        }
        // read whole by every replica (no consumer group, so no dead-letter topic)
        topics.add(Topics.AGENT_EVENTS);
        // read from the end by each notifier replica, failures ignored (no dead-letter topic)
        topics.add(Topics.AI_EVENTS);
        for (String service : SERVICES) {
            for (String line : Files.readAllLines(ROOT.resolve(service + "/src/main/resources/application.properties"))) {
                if (line.startsWith("mp.messaging.") && line.contains(".topic=")) {
                    topics.add(line.substring(line.indexOf('=') + 1).strip());
                }
            }
        }
        return topics;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> render(String overlay) throws Exception {
        Process kubectl = new ProcessBuilder("kubectl", "kustomize", ROOT.resolve("deploy/k8s/overlays/" + overlay).toString())
                .redirectErrorStream(true).start();
        String output = new String(kubectl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, kubectl.waitFor(), "kubectl kustomize failed: " + output);
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(output)) {
            if (document != null) {
                documents.add((Map<String, Object>) document);
            }
        }
        return documents;
    }

    @SuppressWarnings("unchecked")
    static <T> T at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            if (current instanceof List<?> list) {
                current = list.get(Integer.parseInt(key));
            } else {
                current = current == null ? null : ((Map<String, Object>) current).get(key);
            }
        }
        return (T) current;
    }

    static Map<String, Object> find(List<Map<String, Object>> documents, String kind, String name) {
        return documents.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(at(d, "metadata", "name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    static List<Map<String, Object>> all(List<Map<String, Object>> documents, String kind) {
        return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceRunsWithItsPortProbesAndOnlyTheVariablesItReads(String overlay) throws Exception {
        List<Map<String, Object>> documents = render(overlay);
        Map<String, Object> config = all(documents, "ConfigMap").stream()
                .filter(c -> at(c, "metadata", "name").toString().startsWith("switchboard-config")).findFirst().orElseThrow();
        Map<String, String> configData = at(config, "data");
        for (String service : SERVICES) {
            int port = portOf(service);
            Map<String, Object> container = at(find(documents, "Deployment", service), "spec", "template", "spec", "containers", "0");
            assertEquals(port, (int) at(container, "ports", "0", "containerPort"), service + " port");
            assertEquals("/q/health/ready", at(container, "readinessProbe", "httpGet", "path"), service);
            assertEquals("/q/health/live", at(container, "livenessProbe", "httpGet", "path"), service);
            assertEquals("/q/health/started", at(container, "startupProbe", "httpGet", "path"), service);
            Map<String, Object> svc = find(documents, "Service", service);
            assertEquals(port, (int) at(svc, "spec", "ports", "0", "port"), service + " Service port");

            Map<String, Boolean> reads = variablesReadBy(service);
            Set<String> given = new HashSet<>();
            for (Map<String, Object> variable : (List<Map<String, Object>>) at(container, "env")) {
                String name = (String) variable.get("name");
                given.add(name);
                assertTrue(reads.containsKey(name), service + " is given " + name + " but does not read it");
                String configKey = at(variable, "valueFrom", "configMapKeyRef", "key");
                if (configKey != null) {
                    assertTrue(configData.containsKey(configKey), "switchboard-config has no " + configKey);
                }
            }
            for (var entry : reads.entrySet()) {
                if (!entry.getValue() && !entry.getKey().endsWith("_PORT")) {
                    assertTrue(given.contains(entry.getKey()), service + " requires " + entry.getKey() + " and is not given it");
                }
            }
        }
    }

    @Test
    void theSecretOfTheDevOverlayHoldsEveryKeyTheServicesNeed() throws Exception {
        List<Map<String, Object>> documents = render("dev");
        Map<String, Object> secret = all(documents, "Secret").stream().findFirst().orElseThrow();
        Set<String> keys = ((Map<String, Object>) at(secret, "data")).keySet();
        for (String service : SERVICES) {
            Map<String, Object> container = at(find(documents, "Deployment", service), "spec", "template", "spec", "containers", "0");
            for (Map<String, Object> variable : (List<Map<String, Object>>) at(container, "env")) {
                Map<String, Object> ref = at(variable, "valueFrom", "secretKeyRef");
                if (ref != null && !Boolean.TRUE.equals(ref.get("optional"))) {
                    assertEquals(at(secret, "metadata", "name"), ref.get("name"));
                    assertTrue(keys.contains(ref.get("key")), "the dev secret has no " + ref.get("key"));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theKafkaTopicsAreExactlyTheOnesTheCodeUsesAndBoundTheReplicas(String overlay) throws Exception {
        List<Map<String, Object>> documents = render(overlay);
        Set<String> declared = all(documents, "KafkaTopic").stream().map(t -> (String) at(t, "spec", "topicName"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(topicsInCode(), declared);
        int partitions = all(documents, "KafkaTopic").stream().mapToInt(t -> (int) at(t, "spec", "partitions")).min().orElseThrow();
        for (Map<String, Object> hpa : all(documents, "HorizontalPodAutoscaler")) {
            assertTrue((int) at(hpa, "spec", "maxReplicas") <= partitions, at(hpa, "metadata", "name") + " scales past the partitions");
        }
        assertEquals("enabled", at(find(documents, "Kafka", "switchboard"), "metadata", "annotations", "strimzi.io/kraft"));
        assertEquals(false, at(find(documents, "Kafka", "switchboard"), "spec", "kafka", "config", "auto.create.topics.enable"));
    }

    @Test
    void theIngressRoutesThePublicPathsToTheServicesThatServeThem() throws Exception {
        Map<String, String> routes = new LinkedHashMap<>();
        for (Map<String, Object> path : (List<Map<String, Object>>) at(find(render("prod"), "Ingress", "switchboard"), "spec", "rules", "0",
                "http", "paths")) {
            routes.put((String) path.get("path"), at(path, "backend", "service", "name"));
        }
        assertEquals("ai-service", routes.get("/api/conversations/[^/]+/ai"));
        assertEquals("workflow-service", routes.get("/api/workflows"));
        assertEquals("notifier-service", routes.get("/ws/"));
        assertEquals("chat-service", routes.get("/webhooks/"));
        assertEquals("chat-service", routes.get("/"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeRunsTheSameSystem() throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        for (String infra : List.of("kafka", "postgres", "redis")) {
            assertNotNull(at(services, infra, "healthcheck"), infra + " has a health check");
        }
        assertTrue(at(services, "kafka", "image").toString().startsWith("apache/kafka:"), "the official Apache image");
        for (String service : SERVICES) {
            int port = portOf(service);
            assertEquals(service, at(services, service, "build", "args", "SERVICE"));
            assertEquals(List.of(port + ":" + port), at(services, service, "ports"));
            assertTrue(at(services, service, "healthcheck", "test").toString().contains("localhost:" + port + "/q/health/ready"), service);
            assertNotNull(at(services, service, "depends_on", "kafka"), service + " waits for Kafka");
            Map<String, Boolean> reads = variablesReadBy(service);
            Map<String, Object> environment = at(services, service, "environment");
            for (String name : environment.keySet()) {
                assertTrue(reads.containsKey(name), service + " is given " + name + " but does not read it");
            }
            reads.forEach((name, hasDefault) -> assertTrue(hasDefault || name.endsWith("_PORT") || environment.containsKey(name),
                    service + " requires " + name));
        }
        String dockerfile = Files.readString(ROOT.resolve("deploy/docker/Dockerfile.jvm"));
        assertTrue(dockerfile.contains("${SERVICE}/target/quarkus-app"), "the image holds the service's fast-jar");
        String databases = Files.readString(ROOT.resolve("deploy/compose/init-databases.sql"));
        for (String service : List.of("chat", "workflow", "ai")) {
            assertTrue(databases.contains("switchboard_" + service), "database for " + service);
            assertTrue(at(services, service + "-service", "environment", "SWITCHBOARD_" + service.toUpperCase() + "_DB_URL").toString()
                    .endsWith("/switchboard_" + service));
        }
    }
}
