package io.switchboard.chat.api;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.switchboard.common.logging.ConversationLog;

/** Requests about one conversation ({@code /api/conversations/{id}/...}) log with its id, as the consumers do. */
public class ConversationLogFilter {
    private static final Pattern CONVERSATION = Pattern.compile("^/api/conversations/([0-9a-fA-F-]{36})(/.*)?$");

    @ServerRequestFilter
    public void tag(ContainerRequestContext request) {
        Matcher m = CONVERSATION.matcher(request.getUriInfo().getPath());
        if (m.matches()) {
            MDC.put(ConversationLog.KEY, m.group(1));
        }
    }

    @ServerResponseFilter
    public void untag() {
        MDC.remove(ConversationLog.KEY);
    }
}
