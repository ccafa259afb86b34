package io.switchboard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.contracts.Topics;
import io.switchboard.kafka.LocalKafka;

/**
 * The four services against a broker that wants SCRAM-SHA-512 sign-in and decides by ACLs, as the Kubernetes
 * manifests deploy it: each service signs in as its own user, with exactly the ACLs of its KafkaUser in
 * deploy/k8s/kafka/users.yaml (read from the rendered manifests, not repeated here). A seed scenario runs end to end
 * through every topic; a user without rights is refused by the broker.
 */
class KafkaSecurityTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();
    private static final Map<String, String> PASSWORDS = new HashMap<>();
    private static SystemUnderTest system;
    private static final Api api = new Api();

    @BeforeAll
    static void start() throws Exception {
        List<Map<String, Object>> users = DeploymentTest.all(DeploymentTest.render("prod"), "KafkaUser");
        Map<String, Map<String, String>> settings = new HashMap<>();
        for (Map<String, Object> user : users) {
            String name = DeploymentTest.at(user, "metadata", "name");
            PASSWORDS.put(name, "pw-" + UUID.randomUUID());
            settings.put(name, Map.of("SWITCHBOARD_KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT",
                    "SWITCHBOARD_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                    "SWITCHBOARD_KAFKA_SASL_JAAS_CONFIG", LocalKafka.scramLogin(name, PASSWORDS.get(name))));
        }
        assertEquals(4, settings.size(), "a KafkaUser per service");
        system = SystemUnderTest.startSecured(ADMIN_PASSWORD, bootstrap -> grant(bootstrap, users), settings);
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    /** What Strimzi's operators would do: the topics of the manifests, a SCRAM user per KafkaUser and its ACLs. */
    private static void grant(String bootstrap, List<Map<String, Object>> users) {
        try (Admin admin = Admin.create(client(bootstrap, LocalKafka.ADMIN, ADMIN_PASSWORD))) {
            List<NewTopic> topics = new ArrayList<>();
            for (String topic : DeploymentTest.topicsInCode()) {
                topics.add(new NewTopic(topic, 4, (short) 1));
            }
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
            List<org.apache.kafka.clients.admin.UserScramCredentialAlteration> credentials = new ArrayList<>();
            List<AclBinding> acls = new ArrayList<>();
            for (Map<String, Object> user : users) {
                String name = DeploymentTest.at(user, "metadata", "name");
                credentials.add(new UserScramCredentialUpsertion(name, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                        PASSWORDS.get(name)));
                for (Map<String, Object> acl : DeploymentTest.<List<Map<String, Object>>>at(user, "spec", "authorization", "acls")) {
                    ResourcePattern resource = new ResourcePattern(
                            ResourceType.fromString(DeploymentTest.<String>at(acl, "resource", "type").toUpperCase()),
                            DeploymentTest.at(acl, "resource", "name"),
                            // Strimzi's "prefix" is Kafka's PREFIXED
                            "prefix".equals(DeploymentTest.at(acl, "resource", "patternType")) ? PatternType.PREFIXED : PatternType.LITERAL);
                    for (String operation : DeploymentTest.<List<String>>at(acl, "operations")) {
                        acls.add(new AclBinding(resource, new AccessControlEntry("User:" + name, "*",
                                AclOperation.fromString(operation.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase()), AclPermissionType.ALLOW)));
                    }
                }
            }
            admin.alterUserScramCredentials(credentials).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("setting up the secured broker failed", e);
        }
    }

    private static Properties client(String bootstrap, String user, String password) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.putAll(LocalKafka.scramClient(user, password));
        return props;
    }

    @Test
    void aSeedScenarioRunsEndToEndWithEachServiceOnlyItsOwnRights() {
        // the Premium workflow (verified premium customers): chat-events -> workflow-service -> chat-commands and
        // ai-commands -> ai-service -> chat-commands -> chat-events -> notifier-service, every hop signed in
        JsonNode started = api.post(system.chatUrl() + "/api/conversations", null, Map.of("channel", "web",
                "identity_token", io.switchboard.testing.TestKeys.identityToken("user-" + UUID.randomUUID(), "Ana",
                        Map.of("last_purchase", "2026-10-02", "plan", "premium")))).ok();
        String id = started.path("id").asText();
        String token = started.path("customer_token").asText();
        try (Socket socket = Socket.open(system.notifierWs(1) + "/ws/conversations/" + id, token)) {
            String marker = UUID.randomUUID().toString();
            api.post(system.chatUrl() + "/api/conversations/" + id + "/messages", token, Map.of("content", "I need help with order " + marker)).ok();
            assertEquals("Hello Ana! I've upgraded your support to premium tier.", content(socket.nextMessageFrom("workflow", WAIT)));
            assertEquals("Stub answer to: I need help with order " + marker, content(socket.nextMessageFrom("ai", WAIT)));
            assertEquals(1, system.model().requestsMentioning(marker).size(), "the model was asked once");
        }
    }

    private static String content(Socket.Received received) {
        assertTrue(received != null, "no frame in time");
        return received.frame().path("data").path("content").asText();
    }

    @Test
    void aServiceCannotWriteWhereItMayNotAndAStrangerCannotSignIn() throws Exception {
        String bootstrap = system.kafkaBootstrapServers();
        // notifier-service writes typing signals only: a send_message forged with its credentials is refused by the broker
        Properties notifier = client(bootstrap, "notifier-service", PASSWORDS.get("notifier-service"));
        notifier.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        notifier.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        notifier.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        try (var producer = new KafkaProducer<>(notifier, new StringSerializer(), new StringSerializer())) {
            ExecutionException refused = assertThrows(ExecutionException.class, () -> producer.send(new ProducerRecord<>(Topics.CHAT_COMMANDS,
                    UUID.randomUUID().toString(), "{\"type\":\"send_message\"}")).get(20, TimeUnit.SECONDS));
            assertInstanceOf(TopicAuthorizationException.class, refused.getCause(), refused.toString());
        }
        // workflow-service may not read the commands meant for chat-service, nor use its consumer group
        Properties workflow = client(bootstrap, "workflow-service", PASSWORDS.get("workflow-service"));
        workflow.put(ConsumerConfig.GROUP_ID_CONFIG, "chat-service");
        try (var consumer = new KafkaConsumer<>(workflow, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.CHAT_COMMANDS));
            RuntimeException denied = assertThrows(RuntimeException.class, () -> {
                for (int i = 0; i < 20; i++) {
                    consumer.poll(Duration.ofMillis(500));
                }
            });
            assertTrue(denied instanceof GroupAuthorizationException || denied instanceof TopicAuthorizationException, denied.toString());
        }
        // a client without a valid password does not get in at all
        Properties stranger = client(bootstrap, "chat-service", "not-the-password");
        stranger.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        try (var producer = new KafkaProducer<>(stranger, new StringSerializer(), new StringSerializer())) {
            Exception failed = assertThrows(Exception.class, () -> producer.send(new ProducerRecord<>(Topics.CHAT_EVENTS, "k", "v"))
                    .get(20, TimeUnit.SECONDS));
            Throwable cause = failed instanceof ExecutionException ? failed.getCause() : failed;
            assertInstanceOf(SaslAuthenticationException.class, cause, failed.toString());
        }
    }
}
