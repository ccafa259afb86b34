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
@SuppressWarnings("unchecked")
class DeploymentTest {
    private static final Path ROOT = root();
    private static final List<String> SERVICES = List.of("chat-service", "workflow-service", "ai-service", "notifier-service");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{(SWITCHBOARD_[A-Z0-9_]+)(:[^}]*)?}");
    private static final Pattern PORT = Pattern.compile("quarkus\\.http\\.port=\\$\\{SWITCHBOARD_[A-Z]+_PORT:(\\d+)}");

    private static Path root() {
        Path path = Path.of(System.getProperty("switchboard.root", System.getProperty("user.dir"))).toAbsolutePath();
        return Files.exists(path.resolve("chat-service")) ? path : path.getParent();
    }

    /** What a service's code reads from the environment (its own settings and service-common's): name -> whether it has a default. */
    static Map<String, Boolean> variablesReadBy(String service) throws IOException {
        String properties = Files.readString(ROOT.resolve(service + "/src/main/resources/application.properties"))
                + Files.readString(ROOT.resolve("service-common/src/main/resources/META-INF/microprofile-config.properties"));
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
        topics.add(Topics.TYPING);
        for (String service : SERVICES) {
            for (String line : Files.readAllLines(ROOT.resolve(service + "/src/main/resources/application.properties"))) {
                if (line.startsWith("mp.messaging.") && line.contains(".topic=")) {
                    topics.add(line.substring(line.indexOf('=') + 1).strip());
                }
            }
        }
        return topics;
    }

    private static Path deployment;

    /**
     * deploy/ as a user has it after the README's steps: a copy with the dev overlay's secrets.env made by
     * {@code ./switchboard env} (never committed), and an overlay "all" that adds every optional component to prod.
     */
    static synchronized Path deployment() throws Exception {
        if (deployment == null) {
            Path copy = Files.createTempDirectory("switchboard-deploy-");
            try (var paths = Files.walk(ROOT.resolve("deploy"))) {
                for (Path path : paths.toList()) {
                    Path target = copy.resolve(ROOT.resolve("deploy").relativize(path).toString());
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(path, target);
                    }
                }
            }
            Path state = Files.createTempDirectory("switchboard-env-");
            var builder = new ProcessBuilder("bash", ROOT.resolve("switchboard").toString(), "env")
                    .redirectOutput(copy.resolve("k8s/overlays/dev/secrets.env").toFile());
            builder.environment().put("SWITCHBOARD_STATE_DIR", state.toString());
            Process env = builder.start();
            env.getOutputStream().close();
            assertEquals(0, env.waitFor(), "./switchboard env failed");
            Files.createDirectories(copy.resolve("k8s/overlays/all"));
            Files.writeString(copy.resolve("k8s/overlays/all/kustomization.yaml"), String.join("\n",
                    "apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization", "resources:", "  - ../prod",
                    "components:", "  - ../../components/service-monitors", "  - ../../components/notifier-session-persistence", ""));
            deployment = copy;
        }
        return deployment;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> render(String overlay) throws Exception {
        Process kubectl = new ProcessBuilder("kubectl", "kustomize", deployment().resolve("k8s/overlays/" + overlay).toString())
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
    void theSecretOfTheDevOverlayHoldsEveryKeyThePodsNeedAndNoneIsInTheRepository() throws Exception {
        List<Map<String, Object>> documents = render("dev");
        Map<String, Object> secret = all(documents, "Secret").stream().findFirst().orElseThrow();
        Set<String> keys = ((Map<String, Object>) at(secret, "data")).keySet();
        // made by ./switchboard env on the user's machine: nothing of it in the repository's overlay
        String kustomization = Files.readString(ROOT.resolve("deploy/k8s/overlays/dev/kustomization.yaml"));
        assertTrue(!kustomization.contains("literals") && kustomization.contains("secrets.env"), "the dev secret comes from secrets.env");
        assertTrue(Files.readString(ROOT.resolve(".gitignore")).contains("deploy/k8s/overlays/dev/secrets.env"));
        for (Map<String, Object> deployment : all(documents, "Deployment")) {
            String service = at(deployment, "metadata", "name");
            Map<String, Object> container = at(deployment, "spec", "template", "spec", "containers", "0");
            for (Map<String, Object> variable : (List<Map<String, Object>>) at(container, "env")) {
                Map<String, Object> ref = at(variable, "valueFrom", "secretKeyRef");
                // the Kafka credentials are in the Secret of the service's KafkaUser, made by Strimzi
                if (ref != null && !Boolean.TRUE.equals(ref.get("optional")) && !ref.get("name").equals(service)) {
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
        Map<String, Object> kafka = find(documents, "Kafka", "switchboard");
        assertEquals(false, at(kafka, "spec", "kafka", "config", "auto.create.topics.enable"));
        // the broker line the services and the local broker are built with (pom.xml kafka.version)
        assertEquals(kafkaVersionOfTheBuild(), at(kafka, "spec", "kafka", "version"));
        assertEquals("scram-sha-512", at(kafka, "spec", "kafka", "listeners", "0", "authentication", "type"));
        assertEquals("simple", at(kafka, "spec", "kafka", "authorization", "type"));
    }

    static String kafkaVersionOfTheBuild() throws IOException {
        Matcher m = Pattern.compile("<kafka.version>([^<]+)</kafka.version>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertTrue(m.find());
        return m.group(1);
    }

    /** Each service signs in to Kafka as its own KafkaUser and reads its credentials from that user's Secret. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceSignsInToKafkaAsItsOwnUser(String overlay) throws Exception {
        List<Map<String, Object>> documents = render(overlay);
        Map<String, String> config = at(all(documents, "ConfigMap").stream()
                .filter(c -> at(c, "metadata", "name").toString().startsWith("switchboard-config")).findFirst().orElseThrow(), "data");
        assertEquals("SASL_PLAINTEXT", config.get("SWITCHBOARD_KAFKA_SECURITY_PROTOCOL"));
        assertEquals("SCRAM-SHA-512", config.get("SWITCHBOARD_KAFKA_SASL_MECHANISM"));
        for (String service : SERVICES) {
            Map<String, Object> user = find(documents, "KafkaUser", service);
            assertEquals("scram-sha-512", at(user, "spec", "authentication", "type"));
            Map<String, Object> jaas = ((List<Map<String, Object>>) at(find(documents, "Deployment", service), "spec", "template", "spec",
                    "containers", "0", "env")).stream().filter(v -> "SWITCHBOARD_KAFKA_SASL_JAAS_CONFIG".equals(v.get("name")))
                    .findFirst().orElseThrow(() -> new AssertionError(service + " has no Kafka credentials"));
            assertEquals(service, at(jaas, "valueFrom", "secretKeyRef", "name"), "the Secret the User Operator makes for " + service);
            assertEquals("sasl.jaas.config", at(jaas, "valueFrom", "secretKeyRef", "key"));
        }
    }

    @Test
    void theGatewayRoutesThePublicPathsToTheServicesThatServeThemAndNeverQ() throws Exception {
        List<Map<String, Object>> documents = render("prod");
        Map<String, String> routes = new LinkedHashMap<>();
        for (Map<String, Object> route : all(documents, "HTTPRoute")) {
            assertEquals("switchboard", at(route, "spec", "parentRefs", "0", "name"));
            for (Map<String, Object> rule : (List<Map<String, Object>>) at(route, "spec", "rules")) {
                String backend = at(rule, "backendRefs", "0", "name");
                assertEquals(portOf(backend), (int) at(rule, "backendRefs", "0", "port"), backend + " port");
                for (Map<String, Object> match : (List<Map<String, Object>>) rule.get("matches")) {
                    routes.put(at(match, "path", "type") + " " + at(match, "path", "value"), backend);
                }
            }
        }
        assertEquals("ai-service", routes.get("RegularExpression /api/conversations/[^/]+/ai"));
        assertEquals("workflow-service", routes.get("PathPrefix /api/workflows"));
        assertEquals("notifier-service", routes.get("PathPrefix /ws"));
        assertEquals("chat-service", routes.get("PathPrefix /webhooks"));
        assertEquals("chat-service", routes.get("PathPrefix /api"));
        assertEquals("chat-service", routes.get("Exact /"));
        // every page chat-service serves is routed, and nothing under /q (health, metrics, OpenAPI) is
        try (var pages = Files.list(ROOT.resolve("chat-service/src/main/resources/META-INF/resources"))) {
            for (Path page : pages.toList()) {
                assertEquals("chat-service", routes.get("Exact /" + page.getFileName()), "the page " + page.getFileName());
            }
        }
        for (String path : List.of("/q/health", "/q/metrics", "/q/openapi", "/q")) {
            for (String match : routes.keySet()) {
                String value = match.substring(match.indexOf(' ') + 1);
                boolean routed = switch (match.substring(0, match.indexOf(' '))) {
                    case "Exact" -> value.equals(path);
                    case "PathPrefix" -> value.equals("/") || path.equals(value) || path.startsWith(value + "/");
                    default -> Pattern.compile(value).matcher(path).lookingAt();
                };
                assertTrue(!routed, path + " is routed by " + match);
            }
        }
        assertEquals("HTTPS", at(find(documents, "Gateway", "switchboard"), "spec", "listeners", "0", "protocol"), "prod terminates TLS");
    }

    /** Default deny, then each service reaches what it uses; every pod passes the restricted Pod Security Standard. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void podsAreRestrictedAndTheNetworkIsDeniedByDefault(String overlay) throws Exception {
        List<Map<String, Object>> documents = render(overlay);
        Map<String, Object> deny = find(documents, "NetworkPolicy", "default-deny");
        assertEquals(List.of("Ingress", "Egress"), at(deny, "spec", "policyTypes"));
        assertEquals((Object) null, at(deny, "spec", "ingress"));
        assertEquals((Object) null, at(deny, "spec", "egress"));
        for (Map<String, Object> deployment : all(documents, "Deployment")) {
            String name = at(deployment, "metadata", "name");
            Map<String, Object> pod = at(deployment, "spec", "template", "spec");
            Map<String, String> labels = at(deployment, "spec", "template", "metadata", "labels");
            assertEquals("switchboard", labels.get("app.kubernetes.io/part-of"), name + " is under the default deny");
            assertEquals(true, at(pod, "securityContext", "runAsNonRoot"), name);
            assertEquals("RuntimeDefault", at(pod, "securityContext", "seccompProfile", "type"), name);
            for (Map<String, Object> container : (List<Map<String, Object>>) pod.get("containers")) {
                assertEquals(false, at(container, "securityContext", "allowPrivilegeEscalation"), name);
                assertEquals(true, at(container, "securityContext", "readOnlyRootFilesystem"), name);
                assertEquals(List.of("ALL"), at(container, "securityContext", "capabilities", "drop"), name);
                String image = (String) container.get("image");
                assertTrue(image.contains(":") && !image.endsWith(":latest"), name + " pins its image: " + image);
            }
        }
        for (String service : SERVICES) {
            assertEquals(1, (int) at(find(documents, "PodDisruptionBudget", service), "spec", "maxUnavailable"), service);
            Map<String, Object> pod = at(find(documents, "Deployment", service), "spec", "template", "spec");
            assertEquals("/tmp", at(pod, "containers", "0", "volumeMounts", "0", "mountPath"), service + " writes only /tmp");
            assertTrue(((List<?>) pod.get("topologySpreadConstraints")).size() >= 1, service);
        }
        // egress by what each service uses (DeploymentTest knows it from the variables the service reads)
        Map<String, List<String>> egress = Map.of("allow-postgres-out", List.of("chat-service", "workflow-service", "ai-service"),
                "allow-redis-out", List.of("chat-service", "ai-service"));
        egress.forEach((policy, services) -> assertEquals(services,
                at(find(documents, "NetworkPolicy", policy), "spec", "podSelector", "matchExpressions", "0", "values"), policy));
        for (String service : SERVICES) {
            Map<String, Boolean> reads = variablesReadBy(service);
            assertEquals(reads.keySet().stream().anyMatch(v -> v.endsWith("_DB_URL")), egress.get("allow-postgres-out").contains(service), service);
            assertEquals(reads.containsKey("SWITCHBOARD_REDIS_URL"), egress.get("allow-redis-out").contains(service), service);
        }
        if (overlay.equals("dev")) {
            Map<String, String> namespace = at(all(documents, "Namespace").get(0), "metadata", "labels");
            assertEquals("restricted", namespace.get("pod-security.kubernetes.io/enforce"));
        }
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
        assertTrue(dockerfile.contains("${SERVICE}/target/quarkus-app"), "the image holds the service's packaged application (target/quarkus-app)");
        // one role per service database, made by the script the dev overlay's PostgreSQL runs too
        assertTrue(((List<String>) at(services, "postgres", "volumes")).stream()
                .anyMatch(v -> v.startsWith("./deploy/k8s/overlays/dev/init-databases.sh:/docker-entrypoint-initdb.d/")));
        String init = Files.readString(ROOT.resolve("deploy/k8s/overlays/dev/init-databases.sh"));
        assertTrue(init.contains("for service in chat workflow ai"), "a role and database per service");
        for (String service : List.of("chat", "workflow", "ai")) {
            Map<String, Object> environment = at(services, service + "-service", "environment");
            assertTrue(environment.get("SWITCHBOARD_" + service.toUpperCase() + "_DB_URL").toString().endsWith("/switchboard_" + service));
            assertEquals("switchboard_" + service, environment.get("SWITCHBOARD_DB_USER"), service + " signs in as its own role");
            String password = "SWITCHBOARD_" + service.toUpperCase() + "_DB_PASSWORD";
            assertTrue(environment.get("SWITCHBOARD_DB_PASSWORD").toString().startsWith("${" + password + ":?"), service);
            assertTrue(((Map<String, Object>) at(services, "postgres", "environment")).containsKey(password), "the init script gets " + password);
        }
        // Redis wants a password, and those who use it have it
        assertTrue(at(services, "redis", "command").toString().contains("--requirepass"));
        for (String service : SERVICES) {
            Map<String, Object> environment = at(services, service, "environment");
            if (environment.containsKey("SWITCHBOARD_REDIS_URL")) {
                assertTrue(environment.containsKey("SWITCHBOARD_REDIS_PASSWORD"), service + " has the Redis password");
            }
        }
        // the pages, served by chat-service, run in the browser: they reach each service on its published port, and
        // the services let the page's origin in
        Map<String, Object> chat = at(services, "chat-service", "environment");
        String pageOrigin = "http://localhost:" + portOf("chat-service");
        assertEquals("http://localhost:" + portOf("workflow-service"), chat.get("SWITCHBOARD_PAGES_WORKFLOW_URL"));
        assertEquals("http://localhost:" + portOf("ai-service"), chat.get("SWITCHBOARD_PAGES_AI_URL"));
        assertEquals("ws://localhost:" + portOf("notifier-service"), chat.get("SWITCHBOARD_PAGES_NOTIFIER_URL"));
        for (String service : List.of("workflow-service", "ai-service")) {
            assertTrue(List.of(at(services, service, "environment", "SWITCHBOARD_CORS_ORIGINS").toString().split(",")).contains(pageOrigin),
                    service + " lets the pages in");
        }
        assertTrue(at(services, "notifier-service", "environment", "SWITCHBOARD_WS_ALLOWED_ORIGINS").toString().contains(pageOrigin));
        // every secret compose asks .env for is one ./switchboard env writes
        Set<String> written = Files.readAllLines(deployment().resolve("k8s/overlays/dev/secrets.env")).stream()
                .map(line -> line.substring(0, line.indexOf('='))).collect(Collectors.toSet());
        Matcher required = Pattern.compile("\\$\\{(SWITCHBOARD_[A-Z0-9_]+):\\?").matcher(Files.readString(ROOT.resolve("docker-compose.yml")));
        while (required.find()) {
            assertTrue(written.contains(required.group(1)), "./switchboard env does not write " + required.group(1));
        }
    }
}
