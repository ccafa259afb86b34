package io.switchboard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.switchboard.contracts.Cause;
import io.switchboard.contracts.CommandType;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.Topics;
import io.switchboard.contracts.WireName;
import io.switchboard.kafka.LocalKafka;

/**
 * The stage clock reads a step's records once the step is over, from where the topics ended when it began, and takes
 * each stage from the records' CreateTime, so reading late changes no figure.
 */
class StageClockTest {
    @TempDir
    Path kafkaData;

    @Test
    void aStepsStagesComeFromItsRecordsCreateTimeReadAfterIt() throws Exception {
        try (LocalKafka kafka = LocalKafka.startBrief(kafkaData, 0, 4);
                StageClock clock = new StageClock(kafka.bootstrapServers());
                var producer = producer(kafka.bootstrapServers())) {
            clock.clear();
            String content = StageClock.newContent();
            long posted = clock.posted(content);
            String questionId = UUID.randomUUID().toString();
            // the records as the services write them; the answer does not repeat the question (the local provider's)
            var received = Json.object().put("content", content);
            received.putObject("message").put("id", questionId).put("sender_type", "customer").put("content", content);
            // a record that is not an envelope (a poison record) is no stage and stops nothing
            producer.send(new ProducerRecord<>(Topics.CHAT_EVENTS, null, posted + 5, "conversation-1", "not an envelope")).get();
            send(producer, Topics.CHAT_EVENTS, EventType.MESSAGE_RECEIVED, received, posted + 10);
            send(producer, Topics.AI_COMMANDS, CommandType.REPLY_REQUEST, Json.object().put("message_id", questionId).put("content", content),
                    posted + 30);
            String answer = "To reset your password, open Settings.";
            var sendMessage = Json.object().put("content", answer).put("sender_type", "ai");
            sendMessage.putObject("metadata").put("reply_to", questionId);
            send(producer, Topics.CHAT_COMMANDS, CommandType.SEND_MESSAGE, sendMessage, posted + 60);
            var created = Json.object().put("content", answer);
            created.putObject("message").put("sender_type", "ai").put("content", answer).putObject("metadata").put("reply_to", questionId);
            send(producer, Topics.CHAT_EVENTS, EventType.MESSAGE_CREATED, created, posted + 100);
            // a person's message after it, naming the same question, is no stage of it
            var agent = Json.object().put("content", answer);
            agent.putObject("message").put("sender_type", "agent").putObject("metadata").put("reply_to", questionId);
            send(producer, Topics.CHAT_EVENTS, EventType.MESSAGE_CREATED, agent, posted + 120);
            // a message of the step that is never answered has no stages
            clock.posted(StageClock.newContent());
            Thread.sleep(150);
            clock.delivered(content);

            var stages = clock.stages();
            double[] expected = {10, 20, 30, 40};
            for (int i = 0; i < expected.length; i++) {
                var stage = stages.get(StageClock.STAGES.get(i));
                assertEquals(1, stage.count(), StageClock.STAGES.get(i));
                assertEquals(expected[i], stage.p50(), StageClock.STAGES.get(i));
            }
            assertTrue(stages.get(StageClock.STAGES.get(4)).p50() >= 40, "the socket after the answer's record: " + stages);
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static void send(KafkaProducer<String, String> producer, String topic, WireName type, ObjectNode data, long createTime)
            throws Exception {
        String envelope = Json.write(Envelope.of(type, "test", "conversation-1", Cause.NONE, data));
        producer.send(new ProducerRecord<>(topic, null, createTime, "conversation-1", envelope)).get();
    }
}
