package io.switchboard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
            clock.posted(content);
            long posted = System.currentTimeMillis();
            send(producer, Topics.CHAT_EVENTS, EventType.MESSAGE_RECEIVED, content, posted + 10);
            send(producer, Topics.AI_COMMANDS, CommandType.REPLY_REQUEST, content, posted + 30);
            send(producer, Topics.CHAT_COMMANDS, CommandType.SEND_MESSAGE, "Stub answer to: " + content, posted + 60);
            send(producer, Topics.CHAT_EVENTS, EventType.MESSAGE_CREATED, "Stub answer to: " + content, posted + 100);
            // a message of the step that is never answered has no stages
            clock.posted(StageClock.newContent());
            Thread.sleep(150);
            clock.delivered("Stub answer to: " + content);

            var stages = clock.stages();
            double[] expected = {10, 20, 30, 40};
            for (int i = 0; i < expected.length; i++) {
                var stage = stages.get(StageClock.STAGES.get(i));
                assertEquals(1, stage.count(), StageClock.STAGES.get(i));
                // posted() and the test's clock read may be a millisecond apart
                assertEquals(expected[i], stage.p50(), i == 0 ? 1 : 0, StageClock.STAGES.get(i));
            }
            assertTrue(stages.get(StageClock.STAGES.get(4)).p50() >= 40, "the socket after the answer's record: " + stages);
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static void send(KafkaProducer<String, String> producer, String topic, WireName type, String content, long createTime)
            throws Exception {
        var data = Json.object().put("content", content);
        String envelope = Json.write(Envelope.of(type, "test", "conversation-1", Cause.NONE, data));
        producer.send(new ProducerRecord<>(topic, null, createTime, "conversation-1", envelope)).get();
    }
}
