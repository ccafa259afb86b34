package io.switchboard.chat.channel;

import static io.switchboard.chat.ChatTestSupport.AGENT;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.switchboard.contracts.Envelope;
import io.switchboard.contracts.EventType;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.Topics;
import io.switchboard.testing.ChannelStub;
import io.switchboard.testing.ChannelStubResource;
import io.switchboard.testing.KafkaTestResource;
import io.switchboard.testing.PostgresTestResource;
import io.switchboard.testing.TopicProbe;
import io.switchboard.chat.domain.Contact;
import io.switchboard.chat.domain.Conversation;
import io.switchboard.chat.channel.instagram.InstagramWebhook;
import io.switchboard.chat.domain.Message;
import io.switchboard.chat.channel.telegram.TelegramWebhook;

@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
@WithTestResource(ChannelStubResource.class)
class ChannelTest {
    private static TopicProbe events;
    private final ChannelStub telegram = ChannelStubResource.telegram();
    private final ChannelStub instagram = ChannelStubResource.instagram();

    @BeforeAll
    static void probe() {
        events = TopicProbe.of(Topics.CHAT_EVENTS);
    }

    @AfterAll
    static void close() {
        events.close();
    }

    @BeforeEach
    void resetStubs() {
        telegram.reset();
        instagram.reset();
    }

    // ---- Telegram in ----

    static ObjectNode telegramUpdate(long updateId, long chatId, String text) {
        ObjectNode update = Json.object().put("update_id", updateId);
        ObjectNode message = update.putObject("message").put("message_id", updateId % 10_000).put("date", 1_764_000_000L);
        message.putObject("from").put("id", chatId).put("is_bot", false).put("first_name", "Tania").put("last_name", "Gray")
                .put("username", "tania").put("language_code", "en");
        message.putObject("chat").put("id", chatId).put("first_name", "Tania").put("type", "private");
        if (text != null) {
            message.put("text", text);
        }
        return update;
    }

    static ValidatableResponse postTelegram(String secret, String body) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (secret != null) {
            request.header(TelegramWebhook.SECRET_HEADER, secret);
        }
        return request.post("/webhooks/telegram").then();
    }

    static long randomId() {
        return ThreadLocalRandom.current().nextLong(1_000_000, 9_000_000_000L);
    }

    static Conversation conversationOf(String channel, String externalId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Contact contact = Contact.findByExternalId(channel, externalId).orElseThrow();
            Conversation conversation = Conversation.findById(Conversation.latestNotClosed(contact, channel).orElseThrow());
            conversation.contact.externalId.length(); // load the contact while the session is open
            return conversation;
        });
    }

    static long messageCount() {
        return QuarkusTransaction.requiringNew().call(() -> Message.count());
    }

    @Test
    void aTelegramUpdateStartsAConversationAndPublishesMessageReceivedOnce() {
        long chatId = randomId();
        long updateId = randomId();
        String body = Json.write(telegramUpdate(updateId, chatId, "Hello from Telegram"));
        postTelegram(ChannelStubResource.TELEGRAM_WEBHOOK_SECRET, body).statusCode(200).body("duplicate", equalTo(false));
        postTelegram(ChannelStubResource.TELEGRAM_WEBHOOK_SECRET, body).statusCode(200).body("duplicate", equalTo(true));

        Conversation conversation = conversationOf("telegram", Long.toString(chatId));
        assertEquals("telegram", conversation.channel);
        List<Envelope> published = events.awaitEnvelopes(conversation.id.toString(), 3, Duration.ofSeconds(20));
        assertEquals(List.of("user_created", "conversation_created", "message_received"),
                events.drain(conversation.id.toString(), Duration.ofSeconds(2)).stream().map(Envelope::type).toList());
        JsonNode received = published.get(2).data();
        assertEquals("Hello from Telegram", received.path("content").asText());
        assertEquals("Tania", received.path("contact").path("first_name").asText());
        assertEquals(updateId, received.path("message").path("metadata").path("telegram_update_id").asLong());

        // the same chat writing again stays in its conversation, and says who it is only once
        postTelegram(ChannelStubResource.TELEGRAM_WEBHOOK_SECRET, Json.write(telegramUpdate(updateId + 1, chatId, "still me")))
                .statusCode(200);
        assertEquals(conversation.id, conversationOf("telegram", Long.toString(chatId)).id);
        given().header("Authorization", AGENT).get("/api/conversations/{id}/messages", conversation.id).then()
                .statusCode(200).body("total", equalTo(2));
    }

    @Test
    void nonTextContentIsStoredAsAPlaceholderAndUpdatesWithoutAMessageAreAcknowledged() {
        long chatId = randomId();
        ObjectNode update = telegramUpdate(randomId(), chatId, null);
        ((ObjectNode) update.get("message")).put("caption", "my receipt").putArray("photo").addObject()
                .put("file_id", "AgAD").put("file_unique_id", "u1").put("width", 90).put("height", 90);
        postTelegram(ChannelStubResource.TELEGRAM_WEBHOOK_SECRET, Json.write(update)).statusCode(200);
        Conversation conversation = conversationOf("telegram", Long.toString(chatId));
        given().header("Authorization", AGENT).get("/api/conversations/{id}/messages", conversation.id).then()
                .body("items[0].content", equalTo("[photo] my receipt"))
                .body("items[0].metadata.content_kind", equalTo("photo"));

        long before = messageCount();
        ObjectNode edit = Json.object().put("update_id", randomId());
        edit.putObject("edited_message").put("message_id", 1).put("text", "edited");
        postTelegram(ChannelStubResource.TELEGRAM_WEBHOOK_SECRET, Json.write(edit)).statusCode(200);
        assertEquals(before, messageCount());
    }

    @Test
    void aCustomersPhotoAndDocumentOpenThroughChatServiceForAgentsAndThatCustomerOnly() {
        long chatId = randomId();
        byte[] photo = "not really a jpeg, but bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        telegram.putFile("AgAC-" + chatId, "photos/file_" + chatId + ".jpg", photo, "image/jpeg");
        telegram.putFile("BQAC-" + chatId, "documents/file_" + chatId + ".pdf", new byte[] { 37, 80, 68, 70 }, "application/octet-stream");
        ObjectNode withPhoto = telegramUpdate(randomId(), chatId, null);
        ((ObjectNode) withPhoto.get("message")).putArray("photo").addObject().put("file_id", "AgAC-" + chatId)
                .put("file_unique_id", "p").put("width", 800).put("height", 600);
        ObjectNode withDocument = telegramUpdate(randomId(), chatId, null);
        ((ObjectNode) withDocument.get("message")).putObject("document").put("file_id", "BQAC-" + chatId)
                .put("file_unique_id", "d").put("file_name", "invoice.pdf").put("mime_type", "application/pdf");
        postTelegram(ChannelStubResource.TELEGRAM_WEBHOOK_SECRET, Json.write(withPhoto)).statusCode(200);
        postTelegram(ChannelStubResource.TELEGRAM_WEBHOOK_SECRET, Json.write(withDocument)).statusCode(200);
        Conversation conversation = conversationOf("telegram", Long.toString(chatId));
        var items = messages(conversation).extract().jsonPath();
        String photoMessage = items.getString("items[0].id");
        String documentMessage = items.getString("items[1].id");
        String path = "/api/conversations/{id}/messages/{mid}/attachments/{n}";

        long downloads = telegram.fileDownloads();
        var opened = given().header("Authorization", AGENT).get(path, conversation.id, photoMessage, 0).then().statusCode(200)
                .header("Content-Type", "image/jpeg").header("Content-Disposition", org.hamcrest.Matchers.startsWith("inline"))
                .header("X-Content-Type-Options", "nosniff").extract().asByteArray();
        assertTrue(java.util.Arrays.equals(photo, opened), "the file's bytes, streamed");
        given().header("Authorization", AGENT).get(path, conversation.id, photoMessage, 0).then().statusCode(200);
        assertEquals(downloads + 1, telegram.fileDownloads(), "opened twice, fetched once");
        given().header("Authorization", AGENT).get(path, conversation.id, documentMessage, 0).then().statusCode(200)
                .header("Content-Type", "application/pdf")
                .header("Content-Disposition", equalTo("attachment; filename=\"invoice.pdf\""));

        String customer = "Bearer " + io.switchboard.testing.TestKeys.customerToken(conversation.id.toString());
        given().header("Authorization", customer).get(path, conversation.id, photoMessage, 0).then().statusCode(200);
        String stranger = "Bearer " + io.switchboard.testing.TestKeys.customerToken(java.util.UUID.randomUUID().toString());
        given().header("Authorization", stranger).get(path, conversation.id, photoMessage, 0).then().statusCode(403);
        given().get(path, conversation.id, photoMessage, 0).then().statusCode(401);
        given().header("Authorization", AGENT).get(path, conversation.id, photoMessage, 3).then().statusCode(404);
        given().header("Authorization", AGENT).get(path, java.util.UUID.randomUUID(), photoMessage, 0).then().statusCode(404);
    }

    @Test
    void anInstagramImageOpensFromMetasCdnOnlyAndNoOtherAddressIsEverRequested() {
        String customer = "IGSID" + randomId();
        byte[] image = new byte[] { (byte) 0x89, 'P', 'N', 'G' };
        instagram.putFile("ig-" + customer, "ig-" + customer + ".png", image, "image/png");
        ObjectNode fromCdn = messagingEvent(customer, "mid-" + UUID.randomUUID(), null);
        ((ObjectNode) fromCdn.get("message")).remove("text");
        ((ObjectNode) fromCdn.get("message")).putArray("attachments").addObject().put("type", "image").putObject("payload")
                .put("url", instagram.cdnUrl("ig-" + customer + ".png"));
        ObjectNode elsewhere = messagingEvent(customer, "mid-" + UUID.randomUUID(), null);
        ((ObjectNode) elsewhere.get("message")).remove("text");
        ((ObjectNode) elsewhere.get("message")).putArray("attachments").addObject().put("type", "file").putObject("payload")
                .put("url", "http://169.254.169.254/latest/meta-data/");
        String body = instagramBatch(fromCdn, elsewhere);
        postInstagram(sign(body), body).statusCode(200).body("stored", equalTo(2));
        Conversation conversation = conversationOf("instagram", customer);
        var items = messages(conversation).extract().jsonPath();
        String path = "/api/conversations/{id}/messages/{mid}/attachments/{n}";
        byte[] opened = given().header("Authorization", AGENT).get(path, conversation.id, items.getString("items[0].id"), 0).then()
                .statusCode(200).header("Content-Type", "image/png").extract().asByteArray();
        assertTrue(java.util.Arrays.equals(image, opened));
        given().header("Authorization", AGENT).get(path, conversation.id, items.getString("items[1].id"), 0).then().statusCode(404)
                .body("error", equalTo("the file's address is not on Instagram's media hosts"));
    }

    @Test
    void forgedOrMalformedTelegramUpdatesAreRejectedAndStoreNothing() {
        long before = messageCount();
        String valid = Json.write(telegramUpdate(randomId(), randomId(), "forged"));
        postTelegram(null, valid).statusCode(401);
        postTelegram("wrong-secret", valid).statusCode(403);
        // an authenticated body that cannot be read is acknowledged (Telegram would resend anything else forever),
        // counted, and stores nothing; the reason names the field
        postTelegram(ChannelStubResource.TELEGRAM_WEBHOOK_SECRET, "{not json").statusCode(200)
                .body("ignored", equalTo("malformed: malformed JSON"));
        postTelegram(ChannelStubResource.TELEGRAM_WEBHOOK_SECRET, "[1, 2]").statusCode(200)
                .body("ignored", equalTo("malformed: body must be a JSON object"));
        ObjectNode noId = telegramUpdate(1, randomId(), "no id");
        noId.remove("update_id");
        postTelegram(ChannelStubResource.TELEGRAM_WEBHOOK_SECRET, Json.write(noId)).statusCode(200)
                .body("ignored", equalTo("malformed: update_id must be an integer"));
        ObjectNode noChat = telegramUpdate(randomId(), randomId(), "no chat");
        ((ObjectNode) noChat.get("message")).remove("chat");
        postTelegram(ChannelStubResource.TELEGRAM_WEBHOOK_SECRET, Json.write(noChat)).statusCode(200)
                .body("ignored", equalTo("malformed: message.chat.id must be an integer"));
        assertEquals(before, messageCount());
    }

    // ---- Instagram in ----

    static String sign(String body) {
        return "sha256=" + HexFormat.of().formatHex(InstagramWebhook.hmacSha256(ChannelStubResource.INSTAGRAM_APP_SECRET,
                body.getBytes(StandardCharsets.UTF_8)));
    }

    static ValidatableResponse postInstagram(String signature, String body) {
        var request = given().contentType(ContentType.JSON).body(body.getBytes(StandardCharsets.UTF_8));
        if (signature != null) {
            request.header(InstagramWebhook.SIGNATURE_HEADER, signature);
        }
        return request.post("/webhooks/instagram").then();
    }

    static ObjectNode messagingEvent(String senderId, String mid, String text) {
        ObjectNode event = Json.object().put("timestamp", 1_764_000_000_000L);
        event.putObject("sender").put("id", senderId);
        event.putObject("recipient").put("id", "17841400000000000");
        event.putObject("message").put("mid", mid).put("text", text);
        return event;
    }

    static String instagramBatch(ObjectNode... events) {
        ObjectNode payload = Json.object().put("object", "instagram");
        var messaging = payload.putArray("entry").addObject().put("id", "17841400000000000").put("time", 1_764_000_000_000L)
                .putArray("messaging");
        for (ObjectNode event : events) {
            messaging.add(event);
        }
        return Json.write(payload);
    }

    @Test
    void theInstagramHandshakeEchoesTheChallengeOnlyForTheVerifyToken() {
        given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", ChannelStubResource.INSTAGRAM_VERIFY_TOKEN)
                .queryParam("hub.challenge", "1158201444").get("/webhooks/instagram").then().statusCode(200).body(equalTo("1158201444"));
        given().queryParam("hub.mode", "subscribe").queryParam("hub.verify_token", "guess")
                .queryParam("hub.challenge", "1158201444").get("/webhooks/instagram").then().statusCode(403);
        given().queryParam("hub.mode", "unsubscribe").queryParam("hub.verify_token", ChannelStubResource.INSTAGRAM_VERIFY_TOKEN)
                .queryParam("hub.challenge", "1").get("/webhooks/instagram").then().statusCode(400).body("field", equalTo("hub.mode"));
    }

    @Test
    void aSignedInstagramBatchStoresEachMessageOnceAndSkipsEchoes() {
        String customer = "IGSID" + randomId();
        String mid = "aWdfZAG1" + UUID.randomUUID();
        ObjectNode echo = messagingEvent(customer, "echo-" + UUID.randomUUID(), "our own reply");
        ((ObjectNode) echo.get("message")).put("is_echo", true);
        ObjectNode read = Json.object().put("timestamp", 1L);
        read.putObject("sender").put("id", customer);
        read.putObject("read").put("mid", mid);
        ObjectNode image = messagingEvent(customer, "img-" + UUID.randomUUID(), null);
        ((ObjectNode) image.get("message")).remove("text");
        ((ObjectNode) image.get("message")).putArray("attachments").addObject().put("type", "image").putObject("payload")
                .put("url", "https://lookaside.example/image.jpg");
        String body = instagramBatch(messagingEvent(customer, mid, "Hi from Instagram"), echo, read, image);

        postInstagram(sign(body), body).statusCode(200).body("stored", equalTo(2)).body("skipped", equalTo(2));
        postInstagram(sign(body), body).statusCode(200).body("stored", equalTo(0));

        Conversation conversation = conversationOf("instagram", customer);
        List<Envelope> published = events.awaitEnvelopes(conversation.id.toString(), 4, Duration.ofSeconds(20));
        assertEquals(List.of("user_created", "conversation_created", "message_received", "message_received"),
                published.stream().map(Envelope::type).toList());
        assertEquals("Hi from Instagram", published.get(2).data().path("content").asText());
        assertEquals("[image]", published.get(3).data().path("content").asText());
    }

    @Test
    void forgedReplayedOrMalformedInstagramEventsAreRejectedAndStoreNothing() {
        long before = messageCount();
        String body = instagramBatch(messagingEvent("IGSID" + randomId(), "mid-" + UUID.randomUUID(), "forged"));
        postInstagram(null, body).statusCode(401);
        postInstagram("sha256=" + "0".repeat(64), body).statusCode(403);
        postInstagram("sha1=abc", body).statusCode(403);
        postInstagram(sign(body), body.replace("forged", "tampered")).statusCode(403);
        assertEquals(before, messageCount(), "nothing forged is stored");
        // signed but unreadable: acknowledged (Meta would resend anything else), counted, named; the readable events of
        // the same batch are kept
        String notInstagram = body.replace("\"instagram\"", "\"page\"");
        postInstagram(sign(notInstagram), notInstagram).statusCode(200).body("stored", equalTo(0))
                .body("malformed[0]", equalTo("object must be instagram"));
        ObjectNode noMid = messagingEvent("IGSID" + randomId(), "x", "no mid");
        ((ObjectNode) noMid.get("message")).remove("mid");
        String partlyBad = instagramBatch(messagingEvent("IGSID" + randomId(), "ok-" + UUID.randomUUID(), "fine"), noMid);
        postInstagram(sign(partlyBad), partlyBad).statusCode(200).body("stored", equalTo(1))
                .body("malformed[0]", equalTo("entry[0].messaging[1].message.mid must be a non-empty string"));
        assertEquals(before + 1, messageCount(), "the good event of the batch, and only it");
    }

    @Test
    void aReferralIsKeptOnTheContactItBrought() {
        String customer = "IGSID" + randomId();
        String first = instagramBatch(messagingEvent(customer, "mid-" + UUID.randomUUID(), "hi from the ad"));
        postInstagram(sign(first), first).statusCode(200);
        ObjectNode referral = Json.object().put("timestamp", 1_764_000_000_000L);
        referral.putObject("sender").put("id", customer);
        referral.putObject("referral").put("ref", "summer-sale").put("source", "ADS").put("type", "OPEN_THREAD");
        String body = instagramBatch(referral);
        postInstagram(sign(body), body).statusCode(200).body("stored", equalTo(1));
        Conversation conversation = conversationOf("instagram", customer);
        given().header("Authorization", AGENT).get("/api/conversations/{id}", conversation.id).then().statusCode(200)
                .body("contact.attributes.referral_ref", equalTo("summer-sale"))
                .body("contact.attributes.referral_source", equalTo("ADS"));
    }

    // ---- Out: replies reach the platform once ----

    static void reply(Conversation conversation, String content) {
        given().header("Authorization", AGENT).contentType(ContentType.JSON).body(Map.of("content", content))
                .post("/api/conversations/{id}/messages", conversation.id).then().statusCode(201);
    }

    static ValidatableResponse messages(Conversation conversation) {
        return given().header("Authorization", AGENT).get("/api/conversations/{id}/messages", conversation.id).then().statusCode(200);
    }

    /** The conversation a customer's first Instagram message starts. */
    Conversation instagramConversation(String customer) {
        String body = instagramBatch(messagingEvent(customer, "mid-" + UUID.randomUUID(), "hello"));
        postInstagram(sign(body), body).statusCode(200);
        return conversationOf("instagram", customer);
    }

    Conversation telegramConversation() {
        long chatId = randomId();
        postTelegram(ChannelStubResource.TELEGRAM_WEBHOOK_SECRET, Json.write(telegramUpdate(randomId(), chatId, "hi"))).statusCode(200);
        return conversationOf("telegram", Long.toString(chatId));
    }

    @Test
    void anAgentReplyReachesTelegramOnceAndShowsAsSent() {
        Conversation conversation = telegramConversation();
        String marker = "reply-" + UUID.randomUUID();
        reply(conversation, marker);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> telegram.deliveredMentioning(marker).size() == 1);
        JsonNode sent = telegram.deliveredMentioning(marker).get(0);
        assertEquals(conversation.contact.externalId, sent.path("chat_id").asText());
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> messages(conversation)
                .body("items[1].delivery_status", equalTo("sent")).body("items[1].metadata.external_message_id", notNullValue()));
        // later polls find nothing due: the sent message is never sent again
        Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> telegram.deliveredMentioning(marker).size() == 1);
    }

    @Test
    void aPrivateNoteNeverReachesTelegram() {
        Conversation conversation = telegramConversation();
        String note = "note-" + UUID.randomUUID();
        String marker = "after-note-" + UUID.randomUUID();
        given().header("Authorization", AGENT).contentType(ContentType.JSON).body(Map.of("content", note))
                .post("/api/conversations/{id}/notes", conversation.id).then().statusCode(201).body("delivery_status", org.hamcrest.Matchers.nullValue());
        reply(conversation, marker);
        // the reply written after the note is delivered; by then the note would have been, in order
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> telegram.deliveredMentioning(marker).size() == 1);
        assertEquals(List.of(), telegram.deliveredMentioning(note));
    }

    @Test
    void resolvingATelegramConversationAsksForARatingAndTheAnswerIsRecordedNotAnswered() {
        long chatId = randomId();
        postTelegram(ChannelStubResource.TELEGRAM_WEBHOOK_SECRET, Json.write(telegramUpdate(randomId(), chatId, "my order is late")))
                .statusCode(200);
        Conversation conversation = conversationOf("telegram", Long.toString(chatId));
        String id = conversation.id.toString();
        given().header("Authorization", AGENT).contentType(ContentType.JSON).body(Map.of("status", "resolved"))
                .patch("/api/conversations/{id}", id).then().statusCode(200);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> telegram.deliveredMentioning("1 (poor) to 5 (excellent)").stream()
                .anyMatch(sent -> Long.toString(chatId).equals(sent.path("chat_id").asText())));

        postTelegram(ChannelStubResource.TELEGRAM_WEBHOOK_SECRET, Json.write(telegramUpdate(randomId(), chatId, " 4 "))).statusCode(200);
        given().header("Authorization", AGENT).get("/api/conversations/{id}", id).then().body("rating", equalTo(4));
        // the answer is stored as what the customer wrote, announced as message_created (agents see it), never as
        // message_received: no workflow or AI answers "4"
        postTelegram(ChannelStubResource.TELEGRAM_WEBHOOK_SECRET, Json.write(telegramUpdate(randomId(), chatId, "5"))).statusCode(200);
        given().header("Authorization", AGENT).get("/api/conversations/{id}", id).then().body("rating", equalTo(4));
        List<String> customers = events.drain(id, Duration.ofSeconds(3)).stream()
                .filter(e -> "customer".equals(e.data().path("message").path("sender_type").asText()))
                .map(e -> e.type() + " " + e.data().path("content").asText().strip()).toList();
        assertEquals(List.of("message_received my order is late", "message_created 4", "message_received 5"), customers,
                "the rating is not a question; a second number is an ordinary message");
    }

    @Test
    void rateLimitsAndServerErrorsAreRetriedAndRepliesKeepTheirOrder() {
        Conversation conversation = telegramConversation();
        telegram.failNext(429, 502);
        String run = UUID.randomUUID().toString();
        for (int i = 1; i <= 3; i++) {
            reply(conversation, run + " part " + i);
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> telegram.deliveredMentioning(run).size() == 3);
        assertEquals(List.of(run + " part 1", run + " part 2", run + " part 3"),
                telegram.deliveredMentioning(run).stream().map(n -> n.path("text").asText()).toList());
        assertEquals(5, telegram.attempts(), "two refused attempts, then three sends");
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> messages(conversation)
                .body("items[1].delivery_status", equalTo("sent")).body("items[3].delivery_status", equalTo("sent")));
    }

    @Test
    void aSendThePlatformIsSlowToAnswerHoldsUpNoOtherConversationAndItsOwnNextReplyWaitsItsTurn() {
        Conversation slow = telegramConversation();
        Conversation other = telegramConversation();
        String run = UUID.randomUUID().toString();
        try (ChannelStub.Hold hold = telegram.hold(run + " slow")) {
            reply(slow, run + " slow first");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> hold.waiting() == 1);
            reply(slow, run + " second");
            reply(other, run + " other");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> telegram.deliveredMentioning(run + " other").size() == 1);
            // one send at a time in a conversation: its second reply is not sent before its first is answered
            Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                    .until(() -> telegram.deliveredMentioning(run + " second").isEmpty());
            messages(slow).body("items[1].delivery_status", equalTo("pending")).body("items[2].delivery_status", equalTo("pending"));
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> telegram.deliveredMentioning(run).size() == 3);
        assertEquals(List.of(run + " other", run + " slow first", run + " second"),
                telegram.deliveredMentioning(run).stream().map(n -> n.path("text").asText()).toList());
        assertEquals(3, telegram.attempts(), "each reply sent once");
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> messages(slow)
                .body("items[1].delivery_status", equalTo("sent")).body("items[2].delivery_status", equalTo("sent")));
    }

    @Test
    void aClientErrorIsNotRetriedAndTheReasonIsKept() {
        Conversation conversation = telegramConversation();
        telegram.failNext(400);
        reply(conversation, "this one fails");
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> messages(conversation)
                .body("items[1].delivery_status", equalTo("failed")));
        String error = messages(conversation).extract().path("items[1].delivery_error");
        assertTrue(error.contains("telegram answered 400"), error);
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> telegram.attempts() == 1);
    }

    static ValidatableResponse retry(String authorization, Object conversationId, Object messageId) {
        var request = given();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request.post("/api/conversations/{id}/messages/{messageId}/retry", conversationId, messageId).then();
    }

    /** The message_updated events of a conversation's message, in order: what the inbox is told as it happens. */
    static List<JsonNode> updatesOf(String conversationId, String messageId, int count) {
        return events.await(r -> conversationId.equals(r.key()) && r.value().contains(messageId)
                && EventType.MESSAGE_UPDATED.wire().equals(Json.readEnvelope(r.value()).type()), count, Duration.ofSeconds(10))
                .stream().map(r -> (JsonNode) Json.readEnvelope(r.value()).data()).toList();
    }

    @Test
    void aFailedDeliveryIsToldAsItHappensAndAnAgentsRetrySendsItOnce() {
        Conversation conversation = telegramConversation();
        String id = conversation.id.toString();
        String marker = "retried-" + UUID.randomUUID();
        telegram.failNextMentioning(marker, 403); // Telegram's "bot was blocked by the user": never retried by itself
        reply(conversation, marker);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> messages(conversation)
                .body("items[1].delivery_status", equalTo("failed")));
        String messageId = messages(conversation).extract().path("items[1].id");
        List<JsonNode> failed = updatesOf(id, messageId, 1);
        assertEquals(1, failed.size(), "one message_updated for the failure");
        assertEquals("failed", failed.get(0).path("message").path("delivery_status").asText());
        assertTrue(failed.get(0).path("message").path("delivery_error").asText().contains("telegram answered 403"));

        // who may retry, and what: agents, a failed message of that conversation
        retry(null, id, messageId).statusCode(401);
        var customer = io.switchboard.chat.ChatTestSupport.startConversation("Web", null);
        retry(customer.bearer(), customer.id(), messageId).statusCode(403);
        retry(AGENT, customer.id(), messageId).statusCode(404);
        retry(AGENT, id, "not-an-id").statusCode(404);
        String customersMessage = messages(conversation).extract().path("items[0].id");
        retry(AGENT, id, customersMessage).statusCode(409).body("field", equalTo("delivery_status"))
                .body("error", org.hamcrest.Matchers.containsString("is not delivered to a platform"));
        assertEquals(1, telegram.attempts(), "nothing refused changed anything");

        retry(AGENT, id, messageId).statusCode(200).body("delivery_status", equalTo("pending"))
                .body("delivery_error", org.hamcrest.Matchers.nullValue());
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> telegram.deliveredMentioning(marker).size() == 1);
        List<JsonNode> updates = updatesOf(id, messageId, 3);
        assertEquals(List.of("failed", "pending", "sent"),
                updates.stream().map(u -> u.path("message").path("delivery_status").asText()).toList());
        assertTrue(updates.get(1).hasNonNull("conversation"), "the agent's retry carries the conversation, as events do");
        assertTrue(updates.get(2).path("message").path("metadata").hasNonNull("external_message_id"));
        retry(AGENT, id, messageId).statusCode(409).body("error", org.hamcrest.Matchers.containsString("is sent"));
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .until(() -> telegram.deliveredMentioning(marker).size() == 1);
    }

    @Test
    void aReplyToInstagramGoesToMeMessagesWithTheRecipientId() {
        String customer = "IGSID" + randomId();
        Conversation conversation = instagramConversation(customer);
        String marker = "ig-reply-" + UUID.randomUUID();
        reply(conversation, marker);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> instagram.deliveredMentioning(marker).size() == 1);
        assertEquals(customer, instagram.deliveredMentioning(marker).get(0).path("recipient").path("id").asText());
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> messages(conversation)
                .body("items[1].delivery_status", equalTo("sent")));

        // the customer reads our reply and reacts to it: both show on our message, by the mid Instagram gave it
        String ours = messages(conversation).extract().jsonPath().getString("items[1].metadata.external_message_id");
        ObjectNode read = Json.object().put("timestamp", 1_764_000_000_000L);
        read.putObject("sender").put("id", customer);
        read.putObject("read").put("mid", ours);
        ObjectNode reaction = read.deepCopy();
        reaction.remove("read");
        reaction.putObject("reaction").put("mid", ours).put("action", "react").put("reaction", "love").put("emoji", "❤");
        String marks = instagramBatch(read, reaction);
        postInstagram(sign(marks), marks).statusCode(200).body("stored", equalTo(2));
        messages(conversation).body("items[1].metadata.read", equalTo(true)).body("items[1].metadata.reaction", equalTo("❤"))
                .body("items[1].content", equalTo(marker));
        ObjectNode unreact = reaction.deepCopy();
        ((ObjectNode) unreact.get("reaction")).put("action", "unreact");
        String removal = instagramBatch(unreact);
        postInstagram(sign(removal), removal).statusCode(200).body("stored", equalTo(1));
        messages(conversation).body("items[1].metadata.reaction", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void aReplyLongerThanInstagramTakesGoesInPartsInOrderAndARetryDoesNotSendAPartAgain() {
        String customer = "IGSID" + randomId();
        Conversation conversation = instagramConversation(customer);
        StringBuilder text = new StringBuilder("ig-long-" + UUID.randomUUID());
        for (int i = 0; i < 100; i++) {
            text.append(i % 12 == 0 ? "\n\n" : " ").append("Step ").append(i).append(" of what to do next.");
        }
        // the first part is taken, the second refused once (a rate limit), then all goes through
        instagram.failNext(200, 429);
        reply(conversation, text.toString());
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> messages(conversation)
                .body("items[1].delivery_status", equalTo("sent")));
        List<String> parts = deliveredTo(instagram, customer).stream().map(n -> n.path("message").path("text").asText()).toList();
        assertTrue(parts.size() > 2, "a text of " + text.length() + " characters in parts: " + parts.size());
        parts.forEach(part -> assertTrue(part.length() < 1000, "Instagram takes less than 1,000 characters: " + part.length()));
        assertEquals(text.toString().replaceAll("\\s+", ""), String.join("", parts).replaceAll("\\s+", ""), "the whole text, in order");
        assertEquals(parts.size() + 1, instagram.attempts(), "each part once and the refused try of the second: the first is not sent again");
        messages(conversation).body("items[1].metadata.delivered_parts", equalTo(parts.size()));
        List<String> ids = messages(conversation).extract().jsonPath().getList("items[1].metadata.external_message_ids");
        assertEquals(parts.size(), ids.stream().distinct().count());
        assertEquals(ids.get(0), messages(conversation).extract().path("items[1].metadata.external_message_id"));

        // a reaction to the last part shows on the message
        ObjectNode reaction = Json.object().put("timestamp", 1_764_000_000_000L);
        reaction.putObject("sender").put("id", customer);
        reaction.putObject("reaction").put("mid", ids.get(ids.size() - 1)).put("action", "react").put("reaction", "like").put("emoji", "👍");
        String marks = instagramBatch(reaction);
        postInstagram(sign(marks), marks).statusCode(200).body("stored", equalTo(1));
        messages(conversation).body("items[1].metadata.reaction", equalTo("👍"));
    }

    @Test
    void aReplyInCyrillicToInstagramIsCutByBytesAsWell() {
        String customer = "IGSID" + randomId();
        Conversation conversation = instagramConversation(customer);
        // 700 characters, about 1,300 bytes: under Instagram's characters, over its bytes
        String text = "Здравствуйте, заказ в пути. ".repeat(25).strip();
        reply(conversation, text);
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> messages(conversation)
                .body("items[1].delivery_status", equalTo("sent")));
        List<String> parts = deliveredTo(instagram, customer).stream().map(n -> n.path("message").path("text").asText()).toList();
        assertEquals(2, parts.size());
        parts.forEach(part -> assertTrue(part.getBytes(StandardCharsets.UTF_8).length <= 1000, "bytes: " + part.getBytes(StandardCharsets.UTF_8).length));
        assertEquals(text.replaceAll("\\s+", ""), String.join("", parts).replaceAll("\\s+", ""));
    }

    private static List<JsonNode> deliveredTo(ChannelStub platform, String recipientId) {
        return platform.delivered().stream().filter(n -> recipientId.equals(n.path("recipient").path("id").asText())).toList();
    }

    @Test
    void aMessageLeftPendingByAStoppedReplicaIsSentByTheNextOneOnce() {
        Conversation conversation = telegramConversation();
        String marker = "left-" + UUID.randomUUID();
        // what a replica stopped mid-retry leaves: a pending message, due, in the database only
        QuarkusTransaction.requiringNew().run(() -> {
            var message = new Message();
            message.id = UUID.randomUUID();
            message.conversationId = conversation.id;
            message.senderType = "agent";
            message.content = marker;
            message.deliveryStatus = Message.DELIVERY_PENDING;
            message.deliveryAttempts = 1;
            message.deliveryError = "telegram answered 502: earlier";
            message.createdAt = java.time.Instant.now();
            message.nextAttemptAt = message.createdAt;
            message.persist();
        });
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> telegram.deliveredMentioning(marker).size() == 1);
        Awaitility.await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> telegram.deliveredMentioning(marker).size() == 1);
    }
}
