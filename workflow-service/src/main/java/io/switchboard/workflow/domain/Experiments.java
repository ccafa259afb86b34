package io.switchboard.workflow.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;


/**
 * A/B tests of AI prompts: which variant each conversation got (once: it keeps it), how many AI replies it had, and
 * whether and after how many replies it was handed to a person ({@code needs_human}, or the AI switched off by a
 * workflow or an agent). Every update runs in the caller's transaction and is safe to repeat, except an AI reply,
 * which the caller counts once per message.
 */
@ApplicationScoped
public class Experiments {
    /** A conversation got a variant of a workflow's test. */
    public record Assignment(UUID workflowId, String conversationId, String variant) {
    }

    /** One variant's figures. {@code medianRepliesBeforeHandoff} is null before the first handoff. */
    public record VariantReport(String variant, long conversations, long aiReplies, long handoffs, Double medianRepliesBeforeHandoff) {
    }

    private final EntityManager em;

    Experiments(EntityManager em) {
        this.em = em;
    }

    public void assign(Assignment assignment) {
        em.createNativeQuery("""
                insert into experiment_conversations (workflow_id, conversation_id, variant, assigned_at)
                values (?1, ?2, ?3, ?4) on conflict do nothing""")
                .setParameter(1, assignment.workflowId()).setParameter(2, assignment.conversationId())
                .setParameter(3, assignment.variant()).setParameter(4, SqlTimes.param(Instant.now())).executeUpdate();
    }

    /** Counts one AI reply made with a variant of that workflow's test; false when the conversation is in no such test. */
    public boolean countReply(UUID workflowId, String conversationId) {
        return em.createNativeQuery("""
                update experiment_conversations set ai_replies = ai_replies + 1
                 where workflow_id = ?1 and conversation_id = ?2""")
                .setParameter(1, workflowId).setParameter(2, conversationId).executeUpdate() > 0;
    }

    /** The conversation went to a person: every test it is in records it once, with the replies it had until then. */
    public void handedOff(String conversationId) {
        em.createNativeQuery("""
                update experiment_conversations set handed_off_at = ?2, replies_before_handoff = ai_replies
                 where conversation_id = ?1 and handed_off_at is null""")
                .setParameter(1, conversationId).setParameter(2, SqlTimes.param(Instant.now())).executeUpdate();
    }

    /** The figures of a workflow's test (the caller has found the workflow). */
    @SuppressWarnings("unchecked")
    public List<VariantReport> report(UUID workflowId) {
        List<Object[]> rows = em.createNativeQuery("""
                select variant, count(*), coalesce(sum(ai_replies), 0), count(handed_off_at),
                       percentile_cont(0.5) within group (order by replies_before_handoff)
                  from experiment_conversations where workflow_id = ?1 group by variant order by variant""")
                .setParameter(1, workflowId).getResultList();
        return rows.stream().map(row -> new VariantReport((String) row[0], ((Number) row[1]).longValue(),
                ((Number) row[2]).longValue(), ((Number) row[3]).longValue(), row[4] == null ? null : ((Number) row[4]).doubleValue()))
                .toList();
    }
}
