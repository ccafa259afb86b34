package io.switchboard.chat.workspace;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import io.switchboard.common.domain.DomainException;

/**
 * The support figures of the conversations started in a date range (whole days in a time zone), computed from what
 * chat-service stores: no counters kept on the side, so a report can be asked for any past range.
 *
 * <ul>
 * <li>first response: from the customer's first message to the first answer by an agent or the AI after it (private
 * notes and workflows' automated messages are not answers);</li>
 * <li>resolution: from the start to the latest time the conversation was set resolved;</li>
 * <li>handoff rate: the share of conversations with a customer message in which an agent wrote or that were tagged
 * {@code needs_human} (the AI could not answer);</li>
 * <li>AI resolution rate: the share of conversations the AI answered in that were resolved with no agent message;</li>
 * <li>per workflow: the conversations a workflow wrote in, or whose AI replies used its prompt; per A/B variant: the
 * conversations whose AI replies used that variant's prompt (AI replies carry it in {@code metadata.prompt_variant}).</li>
 * </ul>
 */
@ApplicationScoped
public class Reports {
    static final int MAX_DAYS = 366;

    /** One row of figures per conversation in the range; the groupings below aggregate it. */
    private static final String FACTS = """
            with facts as (
                select c.id, c.created_at, c.resolved_at, c.rating, fc.first_customer,
                       (select min(r.created_at) from messages r where r.conversation_id = c.id and r.sender_type in ('agent', 'ai')
                           and not r.private and r.created_at > fc.first_customer) as first_reply,
                       exists (select 1 from messages a where a.conversation_id = c.id and a.sender_type = 'agent' and not a.private)
                           as agent_wrote,
                       exists (select 1 from messages a where a.conversation_id = c.id and a.sender_type = 'ai') as ai_replied,
                       'needs_human' = any (c.tags) as needs_human
                  from conversations c
                  left join lateral (select min(m.created_at) as first_customer from messages m
                                      where m.conversation_id = c.id and m.sender_type = 'customer') fc on true
                 where c.created_at >= :from and c.created_at < :to),
            touches as (
                select distinct m.conversation_id,
                       coalesce(m.metadata ->> 'workflow_id', m.metadata -> 'prompt_variant' ->> 'workflow_id') as workflow_id,
                       m.metadata -> 'prompt_variant' ->> 'name' as variant,
                       m.metadata ->> 'workflow_name' as workflow_name
                  from messages m join facts f on f.id = m.conversation_id
                 where m.metadata -> 'workflow_id' is not null or m.metadata -> 'prompt_variant' is not null)
            """;
    private static final String FIGURES = """
            count(*),
            percentile_cont(0.5) within group (order by extract(epoch from f.first_reply - f.first_customer))
                filter (where f.first_reply is not null),
            percentile_cont(0.9) within group (order by extract(epoch from f.first_reply - f.first_customer))
                filter (where f.first_reply is not null),
            percentile_cont(0.5) within group (order by extract(epoch from f.resolved_at - f.created_at))
                filter (where f.resolved_at is not null),
            percentile_cont(0.9) within group (order by extract(epoch from f.resolved_at - f.created_at))
                filter (where f.resolved_at is not null),
            count(*) filter (where f.resolved_at is not null),
            avg(f.rating), count(f.rating),
            count(*) filter (where f.first_customer is not null),
            count(*) filter (where f.first_customer is not null and (f.agent_wrote or f.needs_human)),
            count(*) filter (where f.ai_replied),
            count(*) filter (where f.ai_replied and f.resolved_at is not null and not f.agent_wrote)
            """;
    private static final int FIGURE_COLUMNS = 12;

    private final EntityManager entityManager;

    Reports(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    public record Percentiles(Double p50, Double p90) {
    }

    public record Csat(Double average, long ratings) {
    }

    /** The figures of a set of conversations; rates are null when their denominator is 0. */
    public record Figures(long conversations, Percentiles firstResponseSeconds, Percentiles resolutionSeconds, long resolved,
            Csat csat, Double handoffRate, long aiConversations, Long aiResolved, Double aiResolutionRate) {
    }

    public record Day(String day, long conversations, long resolved) {
    }

    public record WorkflowFigures(UUID workflowId, String workflowName, Figures figures) {
    }

    public record VariantFigures(UUID workflowId, String variant, Figures figures) {
    }

    public record Report(LocalDate from, LocalDate to, String tz, Figures totals, List<Day> perDay, List<WorkflowFigures> perWorkflow,
            List<VariantFigures> perVariant) {
    }

    public Report report(String fromText, String toText, String tzText) {
        ZoneId zone = zone(tzText);
        LocalDate to = toText == null || toText.isBlank() ? LocalDate.now(zone) : date("to", toText);
        LocalDate from = fromText == null || fromText.isBlank() ? to.minusDays(6) : date("from", fromText);
        if (from.isAfter(to)) {
            throw DomainException.invalid("from", "from must not be after to");
        }
        if (from.plusDays(MAX_DAYS).isBefore(to.plusDays(1))) {
            throw DomainException.invalid("to", "a report covers at most " + MAX_DAYS + " days");
        }
        var start = from.atStartOfDay(zone).toOffsetDateTime();
        var end = to.plusDays(1).atStartOfDay(zone).toOffsetDateTime();

        Object[] totals = (Object[]) bind(entityManager.createNativeQuery(FACTS + "select " + FIGURES + " from facts f"), start, end)
                .getSingleResult();

        List<WorkflowFigures> perWorkflow = new ArrayList<>();
        for (Object row : bind(entityManager.createNativeQuery(FACTS + """
                select t.workflow_id, max(t.workflow_name), %s
                  from (select distinct conversation_id, workflow_id, max(workflow_name) over (partition by workflow_id) as workflow_name
                          from touches where workflow_id is not null) t
                  join facts f on f.id = t.conversation_id
                 group by t.workflow_id order by count(*) desc""".formatted(FIGURES)), start, end).getResultList()) {
            Object[] r = (Object[]) row;
            perWorkflow.add(new WorkflowFigures(uuid(r[0]), (String) r[1], figures(r, 2)));
        }
        List<VariantFigures> perVariant = new ArrayList<>();
        for (Object row : bind(entityManager.createNativeQuery(FACTS + """
                select t.workflow_id, t.variant, %s
                  from (select distinct conversation_id, workflow_id, variant from touches where variant is not null) t
                  join facts f on f.id = t.conversation_id
                 group by t.workflow_id, t.variant order by t.workflow_id, t.variant""".formatted(FIGURES)), start, end).getResultList()) {
            Object[] r = (Object[]) row;
            perVariant.add(new VariantFigures(uuid(r[0]), (String) r[1], figures(r, 2)));
        }
        return new Report(from, to, zone.getId(), figures(totals, 0), perDay(from, to, zone, start, end), perWorkflow, perVariant);
    }

    /** Every day of the range, days without conversations included, so a chart's axis has no gaps. */
    private List<Day> perDay(LocalDate from, LocalDate to, ZoneId zone, Object start, Object end) {
        Map<String, long[]> counted = new HashMap<>();
        for (Object row : entityManager.createNativeQuery("""
                select to_char(c.created_at at time zone :tz, 'YYYY-MM-DD'), count(*), count(c.resolved_at)
                  from conversations c where c.created_at >= :from and c.created_at < :to group by 1""")
                .setParameter("tz", zone.getId()).setParameter("from", start).setParameter("to", end).getResultList()) {
            Object[] r = (Object[]) row;
            counted.put((String) r[0], new long[] {((Number) r[1]).longValue(), ((Number) r[2]).longValue()});
        }
        List<Day> days = new ArrayList<>();
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            long[] c = counted.getOrDefault(day.toString(), new long[2]);
            days.add(new Day(day.toString(), c[0], c[1]));
        }
        return days;
    }

    private static Query bind(Query query, Object start, Object end) {
        return query.setParameter("from", start).setParameter("to", end);
    }

    private static Figures figures(Object[] r, int at) {
        long conversations = count(r[at]);
        long withCustomer = count(r[at + 8]);
        long aiConversations = count(r[at + 10]);
        long aiResolved = count(r[at + 11]);
        return new Figures(conversations, new Percentiles(number(r[at + 1]), number(r[at + 2])),
                new Percentiles(number(r[at + 3]), number(r[at + 4])), count(r[at + 5]),
                new Csat(number(r[at + 6]), count(r[at + 7])),
                withCustomer == 0 ? null : (double) count(r[at + 9]) / withCustomer,
                aiConversations, aiResolved, aiConversations == 0 ? null : (double) aiResolved / aiConversations);
    }

    private static long count(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static Double number(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }

    private static UUID uuid(Object value) {
        try {
            return value == null ? null : UUID.fromString(value.toString());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static ZoneId zone(String tz) {
        if (tz == null || tz.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw DomainException.invalid("tz", "tz must be a time zone such as Europe/Madrid or UTC");
        }
    }

    private static LocalDate date(String field, String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw DomainException.invalid(field, field + " must be a date, YYYY-MM-DD");
        }
    }
}
