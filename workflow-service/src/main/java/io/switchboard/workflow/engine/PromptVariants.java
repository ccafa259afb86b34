package io.switchboard.workflow.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import io.switchboard.contracts.WorkflowAction.PromptVariant;

/**
 * Picks the variant of an A/B test for a conversation: a stable hash of the workflow and the conversation placed on
 * the cumulative weights, so a conversation keeps its variant for every message, on every replica, after restarts,
 * and different experiments split independently.
 */
public final class PromptVariants {
    private PromptVariants() {
    }

    public static PromptVariant choose(List<PromptVariant> variants, String workflowId, String conversationId) {
        double total = variants.stream().mapToDouble(PromptVariant::weight).sum();
        double point = unitInterval(workflowId + "|" + conversationId) * total;
        double cumulative = 0;
        for (PromptVariant variant : variants) {
            cumulative += variant.weight();
            if (point < cumulative) {
                return variant;
            }
        }
        // rounding at the very top: the last variant with weight
        return variants.stream().filter(v -> v.weight() > 0).reduce((a, b) -> b).orElseThrow();
    }

    /** A number in [0, 1) from the first 53 bits of the key's SHA-256. */
    static double unitInterval(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return (ByteBuffer.wrap(hash).getLong() >>> 11) / (double) (1L << 53);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
