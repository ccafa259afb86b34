package io.switchboard.chat.workspace;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.switchboard.common.domain.DomainException;

/**
 * Full-text search over message text (private notes included: only agents search) and contact names and emails,
 * with PostgreSQL's text search: {@code websearch_to_tsquery} reads what people type into search boxes (words,
 * "a phrase", or, -not), GIN indexes on generated tsvector columns find the rows, and ts_headline marks the words
 * found, in the page's rows only (it is the costly part).
 *
 * <p>Ranking every match of a common word costs a read of each (a quarter of a million rows for a word in one message
 * of six: 300-600 ms on 1,000,000 messages), so the ranking (ts_rank_cd, newer first among equals) is over the newest
 * {@value #CANDIDATES} matches of each kind, and {@code total} counts up to that many. Each statement is planned for
 * its own query text ({@code force_custom_plan}): the planner then reads a common word's matches newest first from
 * the created_at index and stops early, and a rare word's from the GIN index.
 */
@ApplicationScoped
public class Search {
    public static final int MAX_QUERY_LENGTH = 200;
    public static final int MAX_PAGE_SIZE = 50;
    static final int CANDIDATES = 300;
    /** Around each hit; the start and end markers are private-use characters, cut out again into offsets. */
    private static final String START = "\uE000";
    private static final String STOP = "\uE001";
    private static final String HEADLINE_OPTIONS = "StartSel=" + START + ", StopSel=" + STOP + ", MaxWords=30, MinWords=12, MaxFragments=2";

    private final EntityManager entityManager;

    Search(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * One hit: a message (kind {@code message}) or a contact (kind {@code contact}, with their latest conversation);
     * {@code snippet} is plain text and {@code highlights} the [start, end) character ranges in it that matched.
     */
    public record Hit(String kind, UUID conversationId, UUID messageId, String senderType,
            @com.fasterxml.jackson.annotation.JsonProperty("private") boolean privateNote, String contactName,
            Instant createdAt, String snippet, List<int[]> highlights, double rank) {
    }

    /** A page of hits; {@code total} is exact when {@code total_exact}, else at least that many. */
    public record Results(List<Hit> items, int page, int size, long total, boolean totalExact) {
    }

    @Transactional
    public Results search(String q, int page, int size) {
        if (q == null || q.isBlank()) {
            throw DomainException.invalid("q", "q is required");
        }
        if (q.length() > MAX_QUERY_LENGTH) {
            throw DomainException.invalid("q", "q is longer than " + MAX_QUERY_LENGTH + " characters");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw DomainException.invalid("size", "size must be between 1 and " + MAX_PAGE_SIZE);
        }
        if (page < 0 || (long) page * size >= 2L * CANDIDATES) {
            throw DomainException.invalid("page", "page must be 0 or more, and page times size under " + 2 * CANDIDATES);
        }
        entityManager.createNativeQuery("set local plan_cache_mode = force_custom_plan").executeUpdate();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("""
                with hits as (
                    (select 'message' as kind, m.conversation_id, m.id as message_id, m.sender_type, m.private, m.created_at,
                            ts_rank_cd(m.search, websearch_to_tsquery('simple', :q)) as rank
                       from messages m where m.search @@ websearch_to_tsquery('simple', :q)
                      order by m.created_at desc limit :candidates)
                    union all
                    (select 'contact', (select c.id from conversations c where c.contact_id = ct.id order by c.created_at desc limit 1),
                            null, null, false, ct.created_at, ts_rank_cd(ct.search, websearch_to_tsquery('simple', :q)) * 2
                       from contacts ct where ct.search @@ websearch_to_tsquery('simple', :q)
                      order by ct.created_at desc limit :candidates)),
                page as (
                    select * from hits where conversation_id is not null
                     order by rank desc, created_at desc limit :size offset :offset)
                select p.kind, p.conversation_id, p.message_id, p.sender_type, p.private, p.created_at, p.rank,
                       trim(coalesce(ct.first_name, '') || ' ' || coalesce(ct.last_name, '')) as contact_name,
                       case when p.kind = 'message'
                            then ts_headline('simple', m.content, websearch_to_tsquery('simple', :q), :options)
                            else ts_headline('simple', trim(coalesce(ct.first_name, '') || ' ' || coalesce(ct.last_name, '')
                                 || ' ' || coalesce(ct.email, '')), websearch_to_tsquery('simple', :q), :options) end as headline
                  from page p
                  join conversations c on c.id = p.conversation_id join contacts ct on ct.id = c.contact_id
                  left join messages m on m.id = p.message_id
                 order by p.rank desc, p.created_at desc""")
                .setParameter("q", q).setParameter("candidates", CANDIDATES).setParameter("size", size)
                .setParameter("offset", page * size).setParameter("options", HEADLINE_OPTIONS).getResultList();
        List<Hit> hits = new ArrayList<>();
        for (Object[] row : rows) {
            var marked = unmark((String) row[8]);
            hits.add(new Hit((String) row[0], (UUID) row[1], (UUID) row[2], (String) row[3], Boolean.TRUE.equals(row[4]),
                    (String) row[7], toInstant(row[5]), marked.text(), marked.ranges(), ((Number) row[6]).doubleValue()));
        }
        Object[] counts = (Object[]) entityManager.createNativeQuery("""
                select (select count(*) from (select 1 from messages m where m.search @@ websearch_to_tsquery('simple', :q)
                         limit :candidates + 1) found),
                       (select count(*) from (select 1 from contacts ct where ct.search @@ websearch_to_tsquery('simple', :q)
                         and exists (select 1 from conversations c where c.contact_id = ct.id) limit :candidates + 1) found)""")
                .setParameter("q", q).setParameter("candidates", CANDIDATES).getSingleResult();
        long messages = ((Number) counts[0]).longValue();
        long contacts = ((Number) counts[1]).longValue();
        boolean exact = messages <= CANDIDATES && contacts <= CANDIDATES;
        return new Results(hits, page, size, Math.min(messages, CANDIDATES) + Math.min(contacts, CANDIDATES), exact);
    }

    record Marked(String text, List<int[]> ranges) {
    }

    /** The headline without its markers, and where the marked words are in it. */
    static Marked unmark(String headline) {
        StringBuilder text = new StringBuilder();
        List<int[]> ranges = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < headline.length(); i++) {
            char c = headline.charAt(i);
            if (c == START.charAt(0)) {
                start = text.length();
            } else if (c == STOP.charAt(0)) {
                if (start >= 0) {
                    ranges.add(new int[] {start, text.length()});
                }
                start = -1;
            } else {
                text.append(c);
            }
        }
        return new Marked(text.toString(), ranges);
    }

    private static Instant toInstant(Object value) {
        return switch (value) {
            case Instant instant -> instant;
            case java.time.OffsetDateTime odt -> odt.toInstant();
            case java.sql.Timestamp ts -> ts.toInstant();
            default -> throw new IllegalStateException("unexpected timestamp type " + value.getClass());
        };
    }
}
