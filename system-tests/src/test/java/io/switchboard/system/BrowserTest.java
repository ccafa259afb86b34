package io.switchboard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The pages in real headless Chromium against the running system: a customer asks for a person in the widget, an
 * agent sees it in the inbox with the AI off and answers, the customer sees the answer live; a workflow is made in
 * the editor, and a bad one shows the server's error next to its field. Screenshots: system-tests/target/screenshots.
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
        Browser.Tab widget = browser.open(system.chatUrl() + "/widget.html");
        widget.waitFor("!document.getElementById('start').hidden", WAIT);
        widget.type("#name", "Maya");
        widget.type("#email", "maya@example.com");
        widget.click("#start-button");
        widget.waitFor("!document.getElementById('chat').hidden && document.getElementById('status').textContent === 'connected'", WAIT);
        widget.type("#text", "I need a human agent");
        widget.click("#send-button");
        widget.waitFor("[...document.querySelectorAll('.msg.workflow')].some(m => m.innerText.includes('connecting you with a human agent'))", WAIT);
        assertTrue(widget.text(".msg.workflow .who").startsWith("Automated"), widget.text(".msg.workflow .who"));
        widget.screenshot(SHOTS.resolve("1-widget-handoff.png"));

        Browser.Tab inbox = browser.open(system.chatUrl() + "/inbox.html");
        inbox.waitFor("!document.getElementById('login').hidden", WAIT);
        inbox.type("#token", SystemUnderTest.AGENT_TOKEN);
        inbox.click("#login button");
        String maya = "[...document.querySelectorAll('#list .item')].find(i => i.innerText.includes('Maya'))";
        inbox.waitFor(maya, WAIT);
        inbox.eval(maya + ".click()");
        inbox.waitFor("document.getElementById('ai-state').textContent === 'AI off'", WAIT);
        inbox.waitFor("document.getElementById('status-select').value === 'support_active'", WAIT);
        inbox.waitFor("[...document.querySelectorAll('#messages .msg.workflow .who')].some(w => w.innerText.includes('Human handoff'))", WAIT);
        inbox.screenshot(SHOTS.resolve("2-inbox-ai-off.png"));

        inbox.type("#reply-text", "Hi Maya, this is Sam from support. How can I help?");
        inbox.click("#reply-button");
        widget.waitFor("[...document.querySelectorAll('.msg.agent')].some(m => m.innerText.includes('this is Sam from support'))", WAIT);
        assertEquals("Agent", widget.text(".msg.agent .who"));
        widget.screenshot(SHOTS.resolve("3-widget-agent-reply.png"));

        // switched on by hand from the inbox, the AI answers the customer's next message
        inbox.click("#ai-toggle");
        inbox.waitFor("document.getElementById('ai-state').textContent === 'AI on'", WAIT);
        widget.type("#text", "Also, where is my parcel?");
        widget.click("#send-button");
        widget.waitFor("[...document.querySelectorAll('.msg.ai')].some(m => m.innerText.includes('where is my parcel'))", WAIT);
        assertEquals("AI assistant", widget.text(".msg.ai .who"));
        inbox.screenshot(SHOTS.resolve("4-inbox-ai-on.png"));
    }

    @Test
    void aWorkflowIsCreatedInTheEditorAndABadOneShowsTheFieldError() throws Exception {
        Browser.Tab editor = browser.open(system.chatUrl() + "/workflows.html");
        editor.eval("localStorage.setItem('switchboard.agent-token', " + Browser.quote(SystemUnderTest.AGENT_TOKEN) + ")");
        editor.go(system.chatUrl() + "/workflows.html");
        editor.waitFor("!document.getElementById('editor').hidden && document.querySelectorAll('#list .item').length >= 3", WAIT);
        editor.screenshot(SHOTS.resolve("5-workflows-seed.png"));

        editor.click("#new");
        editor.type("#name", "Greeting");
        editor.type("#keywords", "hello, hi");
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

        editor.type("#name", "Broken");
        editor.type("#keywords", "boom");
        editor.type("#actions", "[{\"action_type\": \"explode\"}]");
        editor.click("#save");
        editor.waitFor("document.querySelector('[data-field=\"actions\"] .error').textContent.length > 0", WAIT);
        assertTrue(editor.text("[data-field=\"actions\"] .error").startsWith("actions[0]"), editor.text("[data-field=\"actions\"] .error"));
        editor.screenshot(SHOTS.resolve("8-workflows-action-error.png"));
        JsonNode after = new Api().get(system.workflowUrl() + "/api/workflows", SystemUnderTest.AGENT_TOKEN).ok();
        after.forEach(w -> assertTrue(!w.path("name").asText().equals("Broken"), "nothing stored for a bad document"));
    }
}
