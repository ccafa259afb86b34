package io.switchboard.common.logging;

import io.switchboard.common.work.Outages;

import org.jboss.logging.MDC;

/**
 * Puts the conversation id into the logging context ({@code %X{conversation_id}}, a field of the JSON logs) while
 * work about that conversation runs, so that every line it logs says which conversation it was about.
 */
public final class ConversationLog {
    public static final String KEY = "conversation_id";

    private ConversationLog() {
    }

    public static void about(String conversationId, Outages.Work work) throws Exception {
        Object previous = MDC.get(KEY);
        MDC.put(KEY, conversationId == null ? "" : conversationId);
        try {
            work.run();
        } finally {
            if (previous == null) {
                MDC.remove(KEY);
            } else {
                MDC.put(KEY, previous);
            }
        }
    }
}
