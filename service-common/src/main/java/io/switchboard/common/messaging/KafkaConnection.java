package io.switchboard.common.messaging;

import java.util.Map;
import java.util.Properties;

/**
 * The settings that say where the broker is and how to sign in to it (bootstrap servers, security protocol, SASL,
 * TLS), taken from the Kafka settings the channels use, for the clients a service opens outside SmallRye (the admin
 * client of readiness, the agent-status reader): the same broker, the same identity, nothing else of the channel's.
 */
public final class KafkaConnection {
    private KafkaConnection() {
    }

    public static Properties of(Map<String, ?> kafkaSettings, String clientId) {
        Properties props = new Properties();
        kafkaSettings.forEach((key, value) -> {
            if (key.equals("bootstrap.servers") || key.startsWith("security.") || key.startsWith("sasl.") || key.startsWith("ssl.")) {
                props.put(key, value);
            }
        });
        props.put("client.id", clientId);
        return props;
    }
}
