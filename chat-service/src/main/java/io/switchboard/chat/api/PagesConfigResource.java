package io.switchboard.chat.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.switchboard.chat.ChatConfig;

/**
 * {@code GET /pages/config}: where the web pages (served from {@code META-INF/resources}) find workflow-service,
 * ai-service and notifier-service. Empty values mean the pages' own origin.
 */
@Path("/pages/config")
public class PagesConfigResource {
    public record PagesConfig(String workflowUrl, String aiUrl, String notifierUrl) {
    }

    private final PagesConfig config;

    PagesConfigResource(ChatConfig config) {
        var pages = config.pages();
        this.config = new PagesConfig(pages.workflowUrl().orElse(""), pages.aiUrl().orElse(""), pages.notifierUrl().orElse(""));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public PagesConfig get() {
        return config;
    }
}
