package io.switchboard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/**
 * Every object the overlays render, validated as the API server of a current cluster would take it:
 * <ul>
 * <li>custom resources (Strimzi's Kafka, KafkaNodePool, KafkaTopic, KafkaUser; the Gateway API's Gateway and
 * HTTPRoute; the Prometheus Operator's ServiceMonitor) against the OpenAPI v3 schemas in the CRDs of Strimzi 1.2.0,
 * Gateway API v1.6.1 (standard channel; the experimental one for the optional component only) and Prometheus
 * Operator v0.93.0 (src/test/resources/schemas). A resource whose API version
 * the CRD does not serve (Strimzi's v1beta2, say) has no schema and fails. Fields a schema does not declare fail
 * too, where the API server would prune them silently;</li>
 * <li>Kubernetes' own objects against the typed API of Kubernetes 1.34 (fabric8 kubernetes-model, generated from
 * that release's OpenAPI): a field the API does not have, or a value of the wrong type, fails.</li>
 * </ul>
 * The optional components are checked in the overlay "all" (prod with every component; DeploymentTest makes it).
 */
class ManifestSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    /** apiVersion/kind -> schema, as a cluster with the Gateway API's standard channel serves them. */
    private static final Map<String, Schema> CUSTOM = new HashMap<>();
    /** The same with the experimental channel's HTTPRoute (the optional session persistence needs it). */
    private static final Map<String, Schema> EXPERIMENTAL = new HashMap<>();
    private static final Map<String, Class<?>> BUILT_IN = Map.of(
            "v1/Namespace", io.fabric8.kubernetes.api.model.Namespace.class,
            "v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class,
            "v1/Secret", io.fabric8.kubernetes.api.model.Secret.class,
            "v1/Service", io.fabric8.kubernetes.api.model.Service.class,
            "apps/v1/Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class,
            "autoscaling/v2/HorizontalPodAutoscaler", io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class);

    @BeforeAll
    static void loadCustomResourceDefinitions() throws IOException {
        load(CUSTOM, List.of("strimzi-1.2.0/040-Crd-kafka.yaml", "strimzi-1.2.0/043-Crd-kafkatopic.yaml",
                "strimzi-1.2.0/044-Crd-kafkauser.yaml", "strimzi-1.2.0/045-Crd-kafkanodepool.yaml",
                "gateway-api-v1.6.1/standard/gateways.yaml", "gateway-api-v1.6.1/standard/httproutes.yaml",
                "prometheus-operator-v0.93.0/servicemonitors.yaml"));
        EXPERIMENTAL.putAll(CUSTOM);
        load(EXPERIMENTAL, List.of("gateway-api-v1.6.1/experimental/httproutes.yaml"));
    }

    private static void load(Map<String, Schema> schemas, List<String> crds) throws IOException {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);
        for (String crd : crds) {
            try (InputStream in = ManifestSchemaTest.class.getResourceAsStream("/schemas/" + crd)) {
                Map<String, Object> definition = new Yaml().load(in);
                String group = DeploymentTest.at(definition, "spec", "group");
                String kind = DeploymentTest.at(definition, "spec", "names", "kind");
                for (Map<String, Object> version : DeploymentTest.<List<Map<String, Object>>>at(definition, "spec", "versions")) {
                    if (Boolean.TRUE.equals(version.get("served"))) {
                        ObjectNode schema = JSON.valueToTree(DeploymentTest.at(version, "schema", "openAPIV3Schema"));
                        closeObjects(schema);
                        schemas.put(group + "/" + version.get("name") + "/" + kind, registry.getSchema(schema.toString(), InputFormat.JSON));
                    }
                }
            }
        }
    }

    /**
     * The API server drops fields a structural schema does not declare; here they fail instead: every object schema
     * with declared properties and no word on others gets additionalProperties false.
     */
    private static void closeObjects(com.fasterxml.jackson.databind.JsonNode node) {
        if (node instanceof ObjectNode object) {
            if (object.has("properties") && !object.has("additionalProperties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                object.put("additionalProperties", false);
            }
            object.properties().forEach(entry -> {
                // inside "properties" the keys are field names, not keywords: descend into each field's schema
                closeObjects(entry.getValue());
            });
        } else if (node != null && node.isArray()) {
            node.forEach(ManifestSchemaTest::closeObjects);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "all"})
    void everyRenderedObjectMatchesTheSchemaOfItsApi(String overlay) throws Exception {
        List<String> problems = new ArrayList<>();
        List<Map<String, Object>> documents = DeploymentTest.render(overlay);
        for (Map<String, Object> document : documents) {
            String apiVersion = (String) document.get("apiVersion");
            String kind = (String) document.get("kind");
            String name = apiVersion + " " + kind + " " + DeploymentTest.at(document, "metadata", "name");
            // the base and the overlays use the standard channel only; "all" adds the experimental component
            Schema custom = (overlay.equals("all") ? EXPERIMENTAL : CUSTOM).get(apiVersion + "/" + kind);
            Class<?> builtIn = BUILT_IN.get(apiVersion + "/" + kind);
            if (custom != null) {
                for (Error error : custom.validate(JSON.writeValueAsString(document), InputFormat.JSON)) {
                    problems.add(name + ": " + error.getInstanceLocation() + " " + error.getMessage());
                }
            } else if (builtIn != null) {
                try {
                    Object typed = JSON.convertValue(document, builtIn);
                    unknownFields(typed, name, "", problems, new IdentityHashMap<>());
                } catch (IllegalArgumentException e) {
                    problems.add(name + ": " + e.getMessage().lines().findFirst().orElse(""));
                }
            } else {
                problems.add(name + ": no schema for this API version and kind (not served by the CRDs of the releases above?)");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        if (overlay.equals("all")) {
            Set<String> kinds = new java.util.TreeSet<>();
            documents.forEach(d -> kinds.add((String) d.get("kind")));
            assertTrue(kinds.containsAll(List.of("ServiceMonitor", "Gateway", "HTTPRoute", "KafkaUser", "NetworkPolicy")), kinds.toString());
        }
    }

    /** fabric8 keeps a field its API does not have in additionalProperties: that is the field the server would refuse. */
    private static void unknownFields(Object value, String name, String path, List<String> problems, Map<Object, Boolean> seen)
            throws IllegalAccessException {
        if (value == null || seen.put(value, true) != null) {
            return;
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unknownFields(list.get(i), name, path + "[" + i + "]", problems, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (var entry : map.entrySet()) {
                unknownFields(entry.getValue(), name, path + "." + entry.getKey(), problems, seen);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Class<?> type = value.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive() || field.getType().isEnum()) {
                    continue;
                }
                field.setAccessible(true);
                Object child = field.get(value);
                if (field.getName().equals("additionalProperties")) {
                    if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        problems.add(name + ": " + (path.isEmpty() ? "." : path) + " has fields the API does not: " + extra.keySet());
                    }
                } else {
                    unknownFields(child, name, path + "." + field.getName(), problems, seen);
                }
            }
        }
    }

    @Test
    void aResourceOnAnApiVersionTheOperatorNoLongerServesHasNoSchema() {
        assertEquals((Object) null, CUSTOM.get("kafka.strimzi.io/v1beta2/Kafka"));
        assertTrue(CUSTOM.containsKey("kafka.strimzi.io/v1/Kafka"));
    }

    /** Session persistence is experimental: a cluster with only the standard channel would drop it, so it fails there. */
    @Test
    void theSessionPersistenceComponentNeedsTheExperimentalChannel() throws Exception {
        Map<String, Object> route = DeploymentTest.find(DeploymentTest.render("all"), "HTTPRoute", "notifier-service");
        String json = JSON.writeValueAsString(route);
        assertTrue(EXPERIMENTAL.get("gateway.networking.k8s.io/v1/HTTPRoute").validate(json, InputFormat.JSON).isEmpty());
        List<Error> standard = CUSTOM.get("gateway.networking.k8s.io/v1/HTTPRoute").validate(json, InputFormat.JSON);
        assertTrue(standard.stream().anyMatch(e -> e.getMessage().contains("sessionPersistence")), standard.toString());
    }

    /** The checks can fail: one field misspelt in the manifests' Kafka and in a Deployment, and both are caught. */
    @Test
    @SuppressWarnings("unchecked")
    void aMisspelledFieldFails() throws Exception {
        Map<String, Object> kafka = DeploymentTest.find(DeploymentTest.render("prod"), "Kafka", "switchboard");
        Map<String, Object> spec = DeploymentTest.at(kafka, "spec", "kafka");
        spec.put("listners", spec.remove("listeners"));
        List<Error> errors = CUSTOM.get("kafka.strimzi.io/v1/Kafka").validate(JSON.writeValueAsString(kafka), InputFormat.JSON);
        assertTrue(errors.stream().anyMatch(e -> e.getMessage().contains("listners")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.getMessage().contains("listeners")), "listeners is required: " + errors);

        Map<String, Object> deployment = DeploymentTest.find(DeploymentTest.render("prod"), "Deployment", "chat-service");
        Map<String, Object> pod = DeploymentTest.at(deployment, "spec", "template", "spec");
        pod.put("terminationGracePeriod", pod.remove("terminationGracePeriodSeconds"));
        List<String> problems = new ArrayList<>();
        unknownFields(JSON.convertValue(deployment, BUILT_IN.get("apps/v1/Deployment")), "chat-service", "", problems, new IdentityHashMap<>());
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("terminationGracePeriod"), problems.toString());
    }
}
