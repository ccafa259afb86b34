package io.switchboard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.switchboard.contracts.Json;

/**
 * The pages in real headless Chromium against the running system: a customer asks for a person in the widget, an
 * agent signs in to the inbox, sees it with the AI off and answers, the customer sees the answer live under the
 * agent's name; an agent works a conversation with a private note, a canned reply, typing both ways, search and a
 * rating; a workflow is made in the editor, and a bad one shows the server's error next to its field; an
 * agent's editor is read-only; an admin creates and deactivates an account. Screenshots: system-tests/target/screenshots.
 */
class BrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path SHOTS = Path.of("target/screenshots");
    private static SystemUnderTest system;
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        system = SystemUnderTest.shared();
        browser = Browser.launch(Files.createTempDirectory("switchboard-chromium-"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aCustomerAsksForAPersonAndAnAgentAnswersLive() throws Exception {
        Browser.Tab widget = freshWidget();
        widget.type("#name", "Maya");
        widget.type("#email", "maya@example.com");
        widget.click("#start-button");
        widget.waitFor("!document.getElementById('chat').hidden && document.getElementById('status').textContent === 'connected'", WAIT);
        widget.type("#text", "I need a human agent");
        widget.click("#send-button");
        widget.waitFor("[...document.querySelectorAll('.msg.workflow')].some(m => m.innerText.includes('connecting you with a human agent'))", WAIT);
        assertTrue(widget.text(".msg.workflow .who").startsWith("Automated"), widget.text(".msg.workflow .who"));
        // the handoff's ai.updated frame: the customer is told a person will answer, and nothing else of the AI's state
        widget.waitFor("!document.getElementById('human').hidden", WAIT);
        widget.screenshot(SHOTS.resolve("1-widget-handoff.png"));

        String email = "sam-" + System.nanoTime() + "@example.com";
        createAgent(email, "Sam", "agent");
        Browser.Tab inbox = signedIn("/inbox.html", email);
        inbox.waitFor("!document.getElementById('inbox').hidden", WAIT);
        assertTrue(inbox.text("#signed-in").startsWith("Sam"), inbox.text("#signed-in"));
        inbox.click("#views [data-view=unassigned]");
        String maya = "[...document.querySelectorAll('#list .item')].find(i => i.innerText.includes('Maya'))";
        inbox.waitFor(maya, WAIT);
        inbox.eval(maya + ".click()");
        inbox.waitFor("document.getElementById('ai-state').textContent === 'AI off (by a workflow)'", WAIT);
        // the panel names the model behind the AI (the offline one would say that it ignores prompts and context)
        inbox.waitFor("document.getElementById('ai-model').textContent === 'Model: openai.'", WAIT);
        inbox.waitFor("document.getElementById('status-select').value === 'support_active'", WAIT);
        inbox.waitFor("[...document.querySelectorAll('#messages .msg.workflow .who')].some(w => w.innerText.includes('Human handoff'))", WAIT);
        inbox.screenshot(SHOTS.resolve("2-inbox-ai-off.png"));

        inbox.type("#reply-text", "Hi Maya, this is Sam from support. How can I help?");
        inbox.click("#reply-button");
        widget.waitFor("[...document.querySelectorAll('.msg.agent')].some(m => m.innerText.includes('this is Sam from support'))", WAIT);
        assertEquals("Sam", widget.text(".msg.agent .who"), "the customer sees who answered");
        widget.screenshot(SHOTS.resolve("3-widget-agent-reply.png"));

        // switched on and off elsewhere (another agent, through the API): the open inbox shows it live, without a reload
        String conversationId = widget.eval("JSON.parse(localStorage.getItem('switchboard.widget')).id").asText();
        String aiSwitch = system.aiUrl() + "/api/conversations/" + conversationId + "/ai";
        new Api().post(aiSwitch, SystemUnderTest.AGENT_TOKEN, Map.of("action", "enable")).ok();
        inbox.waitFor("document.getElementById('ai-state').textContent === 'AI on'", WAIT);
        widget.waitFor("document.getElementById('human').hidden", WAIT);
        new Api().post(aiSwitch, SystemUnderTest.AGENT_TOKEN, Map.of("action", "disable")).ok();
        inbox.waitFor("document.getElementById('ai-state').textContent === 'AI off (by an agent)'", WAIT);

        // switched on by hand from the inbox, the AI answers the customer's next message
        inbox.click("#ai-toggle");
        inbox.waitFor("document.getElementById('ai-state').textContent === 'AI on'", WAIT);
        widget.type("#text", "Also, where is my parcel?");
        widget.click("#send-button");
        widget.waitFor("[...document.querySelectorAll('.msg.ai')].some(m => m.innerText.includes('where is my parcel'))", WAIT);
        assertEquals("AI assistant", widget.text(".msg.ai .who"));
        inbox.screenshot(SHOTS.resolve("4-inbox-ai-on.png"));
    }

    /**
     * The workspace: the customer types and the agent sees it; the agent leaves a private note, answers with a canned
     * response rendered for this customer (and the customer sees the agent typing and that their message was seen),
     * finds the conversation by search, resolves it, and the customer rates it.
     */
    @Test
    void anAgentWorksAConversationFromNoteToCannedReplyToSearchToResolvedAndTheCustomerRatesIt() throws Exception {
        String shortCode = "sorry" + System.nanoTime() % 100_000;
        new Api().post(system.chatUrl() + "/api/canned-responses", SystemUnderTest.AGENT_TOKEN,
                Map.of("short_code", shortCode, "content", "Sorry about that, {{user.first_name}}! I am on it.")).ok();
        String order = Long.toString(System.nanoTime() % 1_000_000_000L);
        Browser.Tab widget = freshWidget();
        widget.type("#name", "Lena");
        widget.click("#start-button");
        widget.waitFor("!document.getElementById('chat').hidden && document.getElementById('status').textContent === 'connected'", WAIT);
        widget.type("#text", "I want a human agent: order " + order + " never arrived");
        widget.click("#send-button");

        String email = "tess-" + System.nanoTime() + "@example.com";
        createAgent(email, "Tess", "agent");
        Browser.Tab inbox = signedIn("/inbox.html", email);
        inbox.waitFor("!document.getElementById('inbox').hidden", WAIT);
        inbox.click("#views [data-view=all]");
        String lena = "[...document.querySelectorAll('#list .item')].find(i => i.innerText.includes('Lena'))";
        // not opened yet: the customer's message counts as unread for this agent
        inbox.waitFor(lena + " && " + lena + ".querySelector('.badge.unread')", WAIT);
        inbox.eval(lena + ".click()");
        inbox.waitFor("[...document.querySelectorAll('#messages .msg.customer')].some(m => m.innerText.includes(" + Browser.quote(order) + "))", WAIT);
        inbox.waitFor("!" + lena + ".querySelector('.badge.unread')", WAIT);
        // opened: the customer's widget says their message was seen
        widget.waitFor("!document.getElementById('seen').hidden", WAIT);

        // the customer types; the agent sees it
        whileTyping(widget, "#text", "are you there", inbox, "document.getElementById('typing').textContent.startsWith('Customer is typing')");

        // a private note: in the inbox, marked; never in the widget
        inbox.click("#note-mode");
        inbox.type("#reply-text", "Courier says the parcel is lost, refund approved by Ops");
        inbox.click("#reply-button");
        inbox.waitFor("[...document.querySelectorAll('#messages .msg.note')].some(m => m.innerText.includes('refund approved by Ops'))", WAIT);
        inbox.screenshot(SHOTS.resolve("13-inbox-private-note.png"));

        // "/" offers the canned responses; the chosen one is filled in for Lena; the customer sees the agent typing
        inbox.click("#note-mode");
        inbox.type("#reply-text", "/" + shortCode.substring(0, 4));
        inbox.waitFor("!document.getElementById('canned-menu').hidden", WAIT);
        inbox.click("#canned-menu button[data-code=" + Browser.quote(shortCode) + "]");
        inbox.waitFor("document.getElementById('reply-text').value === 'Sorry about that, Lena! I am on it.'", WAIT);
        whileTyping(inbox, "#reply-text", "Sorry about that, Lena! I am on it. Your refund is on its way.", widget,
                "document.getElementById('typing').textContent.startsWith('Tess is typing')");
        widget.screenshot(SHOTS.resolve("14-widget-agent-typing.png"));
        inbox.click("#reply-button");
        widget.waitFor("[...document.querySelectorAll('.msg.agent')].some(m => m.innerText.includes('Your refund is on its way'))", WAIT);
        assertTrue(widget.eval("!document.body.innerText.includes('refund approved by Ops')").asBoolean(), "the note never reaches the widget");

        // search finds the conversation by the order number, the words found marked
        inbox.type("#search-text", order);
        inbox.eval("document.getElementById('search').requestSubmit()");
        inbox.waitFor("!document.getElementById('results').hidden && [...document.querySelectorAll('#hits .hit mark')].some(m => m.textContent === "
                + Browser.quote(order) + ")", WAIT);
        inbox.screenshot(SHOTS.resolve("15-inbox-search.png"));
        inbox.eval("document.querySelector('#hits .hit').click()");
        inbox.click("#results-close");

        // resolved: the widget asks for a rating; the customer gives 4; the inbox shows it
        inbox.eval("(() => { const s = document.getElementById('status-select'); s.value = 'resolved'; s.dispatchEvent(new Event('change')); })()");
        widget.waitFor("!document.getElementById('rate').hidden", WAIT);
        widget.screenshot(SHOTS.resolve("16-widget-rating.png"));
        widget.click("#rate-buttons button[data-rating='4']");
        widget.waitFor("document.getElementById('rated').textContent === 'Thank you for rating us 4 out of 5.' && document.getElementById('rate').hidden", WAIT);
        inbox.waitFor("document.getElementById('rating').textContent === 'Customer rating: 4 / 5'", WAIT);
    }

    @Test
    void aWorkflowIsCreatedInTheEditorAndABadOneShowsTheFieldError() throws Exception {
        Browser.Tab editor = signedInWithApiToken("/workflows.html");
        editor.waitFor("!document.getElementById('editor').hidden && document.querySelectorAll('#list .item').length >= 3", WAIT);
        editor.screenshot(SHOTS.resolve("5-workflows-seed.png"));

        editor.click("#new");
        editor.type("#name", "Greeting");
        editor.type("[data-path='trigger.keywords']", "hello, hi");
        editor.click("#save");
        editor.waitFor("document.getElementById('saved').textContent === 'Saved.'", WAIT);
        editor.waitFor("[...document.querySelectorAll('#list .item')].some(i => i.innerText.includes('Greeting'))", WAIT);
        editor.screenshot(SHOTS.resolve("6-workflows-created.png"));
        JsonNode workflows = new Api().get(system.workflowUrl() + "/api/workflows", SystemUnderTest.AGENT_TOKEN).ok();
        List<String> names = new ArrayList<>();
        workflows.forEach(w -> names.add(w.path("name").asText()));
        assertTrue(names.contains("Greeting"), names.toString());

        editor.click("#new");
        editor.type("#name", "");
        editor.click("#save");
        editor.waitFor("document.querySelector('[data-field=\"name\"] .error').textContent.length > 0", WAIT);
        assertTrue(editor.eval("document.querySelector('[data-field=\"name\"]').classList.contains('field-error')").asBoolean());
        editor.screenshot(SHOTS.resolve("7-workflows-name-error.png"));

        // a template the server cannot parse: its message sits under the field, with the character it is at
        editor.type("#name", "Broken");
        editor.type("[data-path='actions[0].message']", "Hi {{user.first_name | shout}}");
        editor.click("#save");
        String messageError = "document.querySelector('[data-field=\"actions[0].message\"] .error').textContent";
        editor.waitFor(messageError + ".includes('unknown filter shout')", WAIT);
        assertTrue(editor.eval(messageError).asText().contains("(at character"), editor.eval(messageError).asText());

        // the advanced view takes raw JSON, and names the failing field there
        editor.click("#mode");
        editor.type("#json", "{\"name\": \"Broken\", \"trigger\": {\"when_type\": \"receive_message\", \"keywords\": [\"boom\"]}, "
                + "\"actions\": [{\"action_type\": \"explode\"}]}");
        editor.click("#save");
        editor.waitFor("document.querySelector('#advanced .error').textContent.length > 0", WAIT);
        assertTrue(editor.text("#advanced .error").startsWith("actions[0].action_type"), editor.text("#advanced .error"));
        editor.screenshot(SHOTS.resolve("8-workflows-action-error.png"));
        JsonNode after = new Api().get(system.workflowUrl() + "/api/workflows", SystemUnderTest.AGENT_TOKEN).ok();
        after.forEach(w -> assertTrue(!w.path("name").asText().equals("Broken"), "nothing stored for a bad document"));
    }

    /** Selects an action type, adds it and returns its place. */
    private static int addAction(Browser.Tab editor, String type) {
        editor.type("#new-action", type);
        editor.click("#add-action");
        return editor.eval("document.querySelectorAll('#actions > .part').length").asInt() - 1;
    }

    @Test
    void everyTriggerConditionAndActionIsBuiltInTheFormAndRoundTrips() throws Exception {
        Browser.Tab editor = signedInWithApiToken("/workflows.html");
        editor.waitFor("!document.getElementById('editor').hidden && document.querySelectorAll('#list .item').length >= 3", WAIT);
        String name = "Everything " + System.nanoTime();
        editor.click("#new");
        editor.type("#name", name);
        editor.type("#status", "INACTIVE");
        editor.type("[data-path='trigger.when_type']", "tag_added");
        editor.type("[data-path='trigger.tag']", "vip");
        editor.click("#add-condition");
        editor.type("[data-path='conditions[0].field']", "contact.plan");
        editor.type("[data-path='conditions[0].operator']", "in");
        editor.type("[data-path='conditions[0].value']", "premium, gold");
        editor.click("#add-condition");
        editor.type("[data-path='conditions[1].field']", "contact.verified");
        editor.type("[data-path='conditions[1].operator']", "equals");
        editor.type("[data-path='conditions[1].value']", "true");
        editor.type("[data-path='actions[0].message']", "Hi {{user.first_name | default: \"there\" | upcase}}");
        editor.type("[data-path='actions[0].message_type']", "marketing");

        int test = addAction(editor, "control_ai_response");
        editor.type("[data-path='actions[" + test + "].action']", "custom_prompt");
        String variants = "[data-field='actions[" + test + "].variants']";
        editor.eval("document.querySelector(" + Browser.quote(variants) + ").querySelector(':scope > button').click()");
        editor.eval("document.querySelector(" + Browser.quote(variants) + ").querySelector(':scope > button').click()");
        editor.type(variants + " [data-field$='[0]'] textarea", "Be warm with {{user.first_name}}.");
        editor.type(variants + " [data-field$='[1]'] input", "formal");
        editor.type(variants + " [data-field$='[1]'] input[type=number]", "3");
        editor.type(variants + " [data-field$='[1]'] textarea", "Be formal.");
        int context = addAction(editor, "update_ai_context");
        String entries = "[data-field='actions[" + context + "].context_data']";
        editor.eval("document.querySelector(" + Browser.quote(entries) + ").querySelector(':scope > button').click()");
        editor.type(entries + " .row input", "support_tier");
        editor.type(entries + " .row input:nth-of-type(2)", "premium");
        int status = addAction(editor, "set_conversation_status");
        editor.type("[data-path='actions[" + status + "].configuration.status']", "pending");
        int add = addAction(editor, "add_tag");
        editor.type("[data-path='actions[" + add + "].tag']", "seen");
        int remove = addAction(editor, "remove_tag");
        editor.type("[data-path='actions[" + remove + "].tag']", "new");
        int assign = addAction(editor, "assign_conversation");
        editor.type("[data-path='actions[" + assign + "].strategy']", "round_robin");
        int wait = addAction(editor, "wait");
        editor.type("[data-path='actions[" + wait + "].seconds']", "600");
        int enable = addAction(editor, "control_ai_response");
        editor.type("[data-path='actions[" + enable + "].action']", "enable");
        // reordered: the status change goes first
        for (int i = status; i > 0; i--) {
            editor.eval("document.querySelectorAll('#actions > .part')[" + i + "].querySelector('button[title=\"move up\"]').click()");
        }
        editor.screenshot(SHOTS.resolve("10-workflows-form.png"));
        editor.click("#save");
        editor.waitFor("document.getElementById('saved').textContent === 'Saved.'", WAIT);

        JsonNode first = stored(name);
        assertEquals("tag_added", first.path("trigger").path("when_type").asText());
        assertEquals("vip", first.path("trigger").path("tag").asText());
        assertEquals("[\"premium\",\"gold\"]", first.path("conditions").get(0).path("value").toString());
        assertTrue(first.path("conditions").get(1).path("value").asBoolean(), first.toString());
        List<String> types = new ArrayList<>();
        first.path("actions").forEach(a -> types.add(a.path("action_type").asText()));
        assertEquals(List.of("set_conversation_status", "send_message", "control_ai_response", "update_ai_context", "add_tag",
                "remove_tag", "assign_conversation", "wait", "control_ai_response"), types);
        assertEquals("formal", first.path("actions").get(2).path("variants").get(1).path("name").asText());
        assertEquals(3, first.path("actions").get(2).path("variants").get(1).path("weight").asInt());
        assertEquals("premium", first.path("actions").get(3).path("context_data").path("support_tier").asText());
        assertEquals(600, first.path("actions").get(7).path("seconds").asInt());

        // a fresh page: open it, save it unchanged; the API returns the same document
        Browser.Tab again = signedInWithApiToken("/workflows.html");
        String item = "[...document.querySelectorAll('#list .item')].find(i => i.innerText.includes(" + Browser.quote(name) + "))";
        again.waitFor(item, WAIT);
        again.eval(item + ".click()");
        again.waitFor("document.getElementById('name').value === " + Browser.quote(name), WAIT);
        again.click("#save");
        again.waitFor("document.getElementById('saved').textContent === 'Saved.'", WAIT);
        JsonNode second = stored(name);
        ((com.fasterxml.jackson.databind.node.ObjectNode) first).remove("updated_at");
        ((com.fasterxml.jackson.databind.node.ObjectNode) second).remove("updated_at");
        assertEquals(first, second);
    }

    private static JsonNode stored(String name) {
        for (JsonNode w : new Api().get(system.workflowUrl() + "/api/workflows", SystemUnderTest.AGENT_TOKEN).ok()) {
            if (w.path("name").asText().equals(name)) {
                return w;
            }
        }
        throw new AssertionError("no workflow " + name);
    }

    @Test
    void anAgentOpensTheCustomersPhotoInTheInbox() throws Exception {
        // a real PNG, 3 x 2 pixels, that the customer sends on Telegram with a caption
        var image = new java.awt.image.BufferedImage(3, 2, java.awt.image.BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xCC3300);
        var png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "png", png);
        long chatId = System.nanoTime() % 1_000_000_000L;
        system.telegram().putFile("photo-" + chatId, "photos/file_" + chatId + ".png", png.toByteArray(), "image/png");
        String name = "Photo" + chatId;
        var update = Json.object().put("update_id", chatId);
        var message = update.putObject("message").put("message_id", 7).put("date", 1_764_000_000L).put("caption", "the broken part");
        message.putArray("photo").addObject().put("file_id", "photo-" + chatId).put("file_unique_id", "u").put("width", 3).put("height", 2)
                .put("file_size", png.size());
        message.putObject("from").put("id", chatId).put("is_bot", false).put("first_name", name);
        message.putObject("chat").put("id", chatId).put("type", "private");
        postTelegram(update);

        Browser.Tab inbox = inboxOpenAt(name);
        inbox.waitFor("[...document.querySelectorAll('#messages .msg')].some(m => m.innerText.includes('[photo] the broken part'))", WAIT);
        // the picture itself, fetched with the agent's token in a header and decoded by the browser
        inbox.waitFor("(() => { const img = document.querySelector('#messages img.attachment'); return img && img.complete && img.naturalWidth === 3; })()", WAIT);
        assertTrue(inbox.eval("document.querySelector('#messages img.attachment').src.startsWith('blob:')").asBoolean(), "no token in a URL");
        inbox.screenshot(SHOTS.resolve("11-inbox-customer-photo.png"));
    }

    @Test
    void anAgentSeesAReplyTelegramRefusedAsItHappensAndSendsItAgain() throws Exception {
        long chatId = System.nanoTime() % 1_000_000_000L;
        String name = "Blocked" + chatId;
        var update = Json.object().put("update_id", chatId);
        var message = update.putObject("message").put("message_id", 9).put("date", 1_764_000_000L).put("text", "is my order on its way?");
        message.putObject("from").put("id", chatId).put("is_bot", false).put("first_name", name);
        message.putObject("chat").put("id", chatId).put("type", "private");
        postTelegram(update);
        String reply = "It ships today, order " + chatId;
        // Telegram's answer when the customer has blocked the bot: a refusal, never retried by itself
        system.telegram().failNextMentioning(reply, 403);

        Browser.Tab inbox = inboxOpenAt(name);
        inbox.type("#reply-text", reply);
        inbox.click("#reply-button");
        String bubble = "[...document.querySelectorAll('#messages .msg.agent')].find(m => m.innerText.includes(" + Browser.quote(reply) + "))";
        // the delivery's outcome arrives as a frame: no reload
        inbox.waitFor("(() => { const b = " + bubble + "; return !!b && b.querySelector('button.retry') !== null; })()", WAIT);
        String label = inbox.eval(bubble + ".querySelector('.who').innerText").asText();
        assertTrue(label.contains("failed (telegram answered 403"), label);
        inbox.screenshot(SHOTS.resolve("12-inbox-delivery-failed.png"));

        inbox.eval(bubble + ".querySelector('button.retry').click()");
        inbox.waitFor("(() => { const b = " + bubble + "; return b.querySelector('.who').innerText.includes('· sent')"
                + " && b.querySelector('button.retry') === null; })()", WAIT);
        assertEquals(1, system.telegram().deliveredMentioning(reply).size(), "sent once, on the retry");
    }

    private static void postTelegram(com.fasterxml.jackson.databind.JsonNode update) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(system.chatUrl() + "/webhooks/telegram"))
                .header("Content-Type", "application/json").header("X-Telegram-Bot-Api-Secret-Token", SystemUnderTest.TELEGRAM_SECRET)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Json.write(update))).build();
        assertEquals(200, java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    /** The inbox signed in with the API token, at the conversation of the customer so named. */
    private static Browser.Tab inboxOpenAt(String customerName) throws Exception {
        Browser.Tab inbox = signedInWithApiToken("/inbox.html");
        inbox.waitFor("!document.getElementById('inbox').hidden", WAIT);
        inbox.click("#views [data-view=all]");
        String item = "[...document.querySelectorAll('#list .item')].find(i => i.innerText.includes(" + Browser.quote(customerName) + "))";
        inbox.waitFor(item, WAIT);
        inbox.eval(item + ".click()");
        return inbox;
    }

    @Test
    void anAgentReadsWorkflowsButCannotChangeThem() throws Exception {
        String email = "reader-" + System.nanoTime() + "@example.com";
        createAgent(email, "Reader", "agent");
        Browser.Tab editor = signedIn("/workflows.html", email);
        editor.waitFor("!document.getElementById('editor').hidden && document.querySelectorAll('#list .item').length >= 3", WAIT);
        assertTrue(editor.eval("document.getElementById('save').hidden && !document.getElementById('read-only').hidden").asBoolean());
        assertTrue(editor.eval("document.getElementById('name').disabled").asBoolean());
        editor.screenshot(SHOTS.resolve("9-workflows-read-only.png"));
    }

    @Test
    void anAdminCreatesAndDeactivatesAnAccountOnTheAgentsPage() throws Exception {
        Browser.Tab page = signedInWithApiToken("/agents.html");
        page.waitFor("!document.getElementById('page').hidden", WAIT);
        String email = "kim-" + System.nanoTime() + "@example.com";
        page.type("#new-name", "Kim");
        page.type("#new-email", email);
        page.type("#new-password", "short");
        page.click("#create-button");
        page.waitFor("document.querySelector('[data-field=\"password\"] .error').textContent.length > 0", WAIT);
        page.type("#new-password", PASSWORD);
        page.click("#create-button");
        String row = "[...document.querySelectorAll('#agents tbody tr')].find(r => r.innerText.includes(" + Browser.quote(email) + "))";
        page.waitFor(row, WAIT);
        page.screenshot(SHOTS.resolve("10-agents-created.png"));
        page.eval(row + ".querySelector('button').click()");
        page.waitFor(row + ".innerText.includes('deactivated')", WAIT);
        assertEquals(401, new Api().post(system.chatUrl() + "/api/auth/login", null,
                java.util.Map.of("email", email, "password", PASSWORD)).status(), "a deactivated agent cannot sign in");
        page.screenshot(SHOTS.resolve("11-agents-deactivated.png"));
    }

    private static final String PASSWORD = "a password long enough";

    private static void createAgent(String email, String name, String role) {
        new Api().post(system.chatUrl() + "/api/agents", SystemUnderTest.AGENT_TOKEN,
                java.util.Map.of("email", email, "name", name, "role", role, "password", PASSWORD)).ok();
    }

    /** A page signed in through its form, as an agent does. */
    private static Browser.Tab signedIn(String path, String email) {
        Browser.Tab tab = browser.open(system.chatUrl() + path);
        tab.waitFor("!document.getElementById('login').hidden", WAIT);
        tab.type("#login-email", email);
        tab.type("#login-password", PASSWORD);
        tab.click("#login-button");
        return tab;
    }

    /**
     * Types into a field a character at a time, as a person does, until the other tab shows the condition: a page sends
     * one typing signal per 2 s, so a single keystroke right after another signal shows nothing, by design.
     */
    private static void whileTyping(Browser.Tab typist, String field, String text, Browser.Tab watcher, String condition) {
        int[] typed = {Math.max(1, text.length() - 20)};
        org.awaitility.Awaitility.await(condition).atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
            typist.type(field, text.substring(0, Math.min(text.length(), typed[0]++)));
            return watcher.eval("!!(" + condition + ")").asBoolean();
        });
        typist.type(field, text);
    }

        /** The widget as a new visitor sees it: the tabs share one origin, so a conversation an earlier test left is forgotten. */
    private static Browser.Tab freshWidget() {
        Browser.Tab widget = browser.open(system.chatUrl() + "/widget.html");
        widget.eval("localStorage.removeItem('switchboard.widget')");
        widget.go(system.chatUrl() + "/widget.html");
        widget.waitFor("!document.getElementById('start').hidden", WAIT);
        return widget;
    }

        /** A page signed in with the bootstrap admin token, as "Use an API token instead" does. */
    private static Browser.Tab signedInWithApiToken(String path) {
        Browser.Tab tab = browser.open(system.chatUrl() + path);
        tab.eval("sessionStorage.setItem('switchboard.access-token', " + Browser.quote(SystemUnderTest.AGENT_TOKEN) + ")");
        tab.go(system.chatUrl() + path);
        return tab;
    }

    /** A plain site of its own origin with the one-tag embed, its own hostile CSS, and a visitor it signed in. */
    private static com.sun.net.httpserver.HttpServer site(int port, String visitorName) throws Exception {
        String token = io.switchboard.testing.TestKeys.identityToken("site-user-" + java.util.UUID.randomUUID(), visitorName,
                java.util.Map.of("plan", "premium"));
        String page = """
                <!doctype html><html><head><meta charset="utf-8"><title>Acme shop</title>
                <style>* { font-family: serif !important; } button { display: none !important; background: red !important; }</style>
                </head><body><h1>Acme shop</h1>
                <script src="%s/embed.js" data-locale="en"></script>
                <script>Switchboard.boot({ identityToken: "%s", color: "#00aa77" });</script>
                </body></html>""".formatted(system.chatUrl(), token);
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", exchange -> {
            byte[] body = page.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (var out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    private static boolean verifiedConversationOf(String firstName) {
        JsonNode page = new Api().get(system.chatUrl() + "/api/conversations?size=200", SystemUnderTest.AGENT_TOKEN).ok();
        for (JsonNode conversation : page.path("items")) {
            JsonNode contact = conversation.path("contact");
            if (firstName.equals(contact.path("first_name").asText()) && contact.path("verified").asBoolean()) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aSiteEmbedsTheChatWithOneTagAndItsSignedInVisitorIsVerified() throws Exception {
        String visitor = "Hana" + System.nanoTime();
        var allowed = site(system.embeddingSitePort(), visitor);
        try {
            Browser.Tab tab = browser.open(system.embeddingSite() + "/");
            String launcher = "document.getElementById('switchboard-chat').shadowRoot.querySelector('.launcher')";
            tab.waitFor("document.getElementById('switchboard-chat') && " + launcher, WAIT);
            // the site's own CSS (buttons hidden and red) does not reach into the launcher, and its colour is the site's choice
            assertEquals("block", tab.eval("getComputedStyle(" + launcher + ").display").asText());
            assertEquals("rgb(0, 170, 119)", tab.eval("getComputedStyle(" + launcher + ").backgroundColor").asText());
            tab.eval(launcher + ".click()");
            org.awaitility.Awaitility.await().atMost(WAIT).until(() -> verifiedConversationOf(visitor));
            tab.screenshot(SHOTS.resolve("12-embedded-chat.png"));
        } finally {
            allowed.stop(0);
        }
        String policy = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(system.chatUrl() + "/widget.html")).build(), java.net.http.HttpResponse.BodyHandlers.discarding())
                .headers().firstValue("Content-Security-Policy").orElse("");
        assertEquals("frame-ancestors 'self' " + system.embeddingSite(), policy.strip());

        // a site that is not on the list gets the launcher but the browser refuses to show the chat in its frame
        int otherPort = io.switchboard.kafka.FreePort.pick();
        String stranger = "Ines" + System.nanoTime();
        var other = site(otherPort, stranger);
        try {
            Browser.Tab tab = browser.open("http://127.0.0.1:" + otherPort + "/");
            String launcher = "document.getElementById('switchboard-chat').shadowRoot.querySelector('.launcher')";
            tab.waitFor("document.getElementById('switchboard-chat') && " + launcher, WAIT);
            tab.eval(launcher + ".click()");
            // nothing may happen for five seconds: a site outside SWITCHBOARD_WIDGET_EMBED_ORIGINS starts no conversation
            org.awaitility.Awaitility.await().during(java.time.Duration.ofSeconds(5)).atMost(java.time.Duration.ofSeconds(8))
                    .until(() -> !verifiedConversationOf(stranger));
        } finally {
            other.stop(0);
        }
    }
}
