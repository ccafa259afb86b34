package io.switchboard.chat.channel;

import static io.restassured.RestAssured.given;
import static io.switchboard.chat.ChatTestSupport.AGENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.chat.domain.Contact;
import io.switchboard.chat.domain.Conversation;
import io.switchboard.contracts.Json;
import io.switchboard.testing.ChannelStubResource;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.PostgresTestResource;

/**
 * A corpus of real-shaped updates per platform ({@code src/test/resources/channel-corpus/<platform>}), each posted to
 * its webhook as the platform would (Instagram's signed) and checked through the API against the outcome its file
 * names: stored (with the text and metadata an agent sees), updated (an edit or an unsend of an earlier one, posted
 * first from {@code before}), ignored, or malformed (acknowledged, nothing stored). {@code "$CHAT"}, {@code "$UPDATE"},
 * {@code "$SENDER"} and {@code "$MID"} become fresh ids, so the files stay readable and the runs independent.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(ChannelStubResource.class)
class ChannelCorpusTest {
    private static final Path CORPUS = Path.of("src/test/resources/channel-corpus");

    static Stream<String> corpus() throws IOException {
        return Stream.of("telegram", "instagram").flatMap(platform -> {
            try (Stream<Path> files = Files.list(CORPUS.resolve(platform))) {
                return files.map(f -> platform + "/" + f.getFileName()).filter(n -> n.endsWith(".json")).sorted().toList().stream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static JsonNode load(String file) throws IOException {
        String text = Files.readString(CORPUS.resolve(file), StandardCharsets.UTF_8)
                .replace("\"$CHAT\"", Long.toString(ChannelTest.randomId()))
                .replace("\"$UPDATE2\"", Long.toString(ChannelTest.randomId()))
                .replace("\"$UPDATE\"", Long.toString(ChannelTest.randomId()))
                .replace("$SENDER", "17" + ChannelTest.randomId())
                .replace("$MID", "aWdfZAG1faWQ" + ChannelTest.randomId());
        return Json.read(text);
    }

    /** Posts one update or batch; the platform's acknowledgement. */
    private static JsonPath post(boolean telegram, JsonNode body) {
        String json = Json.write(body);
        var response = telegram ? ChannelTest.postTelegram(ChannelStubResource.TELEGRAM_WEBHOOK_SECRET, json)
                : ChannelTest.postInstagram(ChannelTest.sign(json), json);
        return response.statusCode(200).extract().jsonPath();
    }

    /** The platform's id of whoever wrote: Telegram's chat, Instagram's sender. */
    private static String author(boolean telegram, JsonNode body) {
        if (!telegram) {
            return body.path("entry").path(0).path("messaging").path(0).path("sender").path("id").asText(null);
        }
        for (String key : List.of("message", "edited_message", "channel_post")) {
            if (body.path(key).path("chat").hasNonNull("id")) {
                return body.path(key).path("chat").path("id").asText();
            }
        }
        return null;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachUpdateHasItsOutcome(String file) throws IOException {
        boolean telegram = file.startsWith("telegram/");
        String channel = telegram ? "telegram" : "instagram";
        JsonNode corpus = load(file);
        JsonNode expect = corpus.get("expect");
        String outcome = expect.path("outcome").asText();
        List<JsonNode> before = corpus.path("before").isArray() ? List.copyOf(toList(corpus.get("before")))
                : corpus.has("before") ? List.of(corpus.get("before")) : List.of();
        before.forEach(earlier -> post(telegram, earlier));
        long messagesBefore = ChannelTest.messageCount();
        JsonNode body = corpus.has("update") ? corpus.get("update") : corpus.get("batch");
        JsonPath ack = post(telegram, body);
        String author = author(telegram, body);
        switch (outcome) {
            case "ignored" -> {
                if (telegram) {
                    assertEquals(expect.path("ignored").asText(), ack.getString("ignored"));
                } else {
                    assertEquals(0, ack.getInt("stored"));
                }
                assertEquals(messagesBefore, ChannelTest.messageCount(), "nothing stored");
                assertFalse(author != null && QuarkusTransaction.requiringNew().call(() -> Contact.findByExternalId(channel, author).isPresent()),
                        "no contact made");
            }
            case "malformed" -> {
                assertTrue(ack.getString("ignored").startsWith("malformed: "), ack.prettify());
                assertEquals(messagesBefore, ChannelTest.messageCount(), "nothing stored");
            }
            case "stored", "updated" -> {
                Conversation conversation = ChannelTest.conversationOf(channel, author);
                JsonNode messages = Json.read(given().header("Authorization", AGENT)
                        .get("/api/conversations/{id}/messages", conversation.id).then().statusCode(200).extract().asString());
                assertEquals(1, messages.path("total").asInt(), "one message in the conversation");
                JsonNode message = messages.path("items").get(0);
                assertEquals(expect.path("content").asText(), message.path("content").asText());
                assertEquals("customer", message.path("sender_type").asText());
                assertEquals(outcome.equals("updated"), !message.path("edited_at").isNull(), "edited_at: " + message);
                assertContains(expect.path("metadata"), message.path("metadata"), "metadata");
            }
            default -> throw new IllegalArgumentException(file + ": unknown outcome " + outcome);
        }
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> list = new java.util.ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    /** Every field of {@code expected} is in {@code actual} with the same value (objects and lists compared inside). */
    private static void assertContains(JsonNode expected, JsonNode actual, String at) {
        if (expected.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext();) {
                var field = it.next();
                assertContains(field.getValue(), actual.path(field.getKey()), at + "." + field.getKey());
            }
        } else if (expected.isArray()) {
            for (int i = 0; i < expected.size(); i++) {
                assertContains(expected.get(i), actual.path(i), at + "[" + i + "]");
            }
        } else if (!expected.isMissingNode()) {
            assertEquals(expected.asText(), actual.asText(), at);
        }
    }
}
