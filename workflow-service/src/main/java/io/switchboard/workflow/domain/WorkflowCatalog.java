package io.switchboard.workflow.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.switchboard.contracts.Json;
import io.switchboard.contracts.TriggerType;

/**
 * The active workflows, held in memory and indexed for matching: keyword workflows by the first word of each
 * keyword, so one message costs one map lookup per word, however many workflows there are. Rebuilt after a local
 * change and whenever the table's fingerprint changes (another replica's change).
 */
@ApplicationScoped
public class WorkflowCatalog {
    private static final Logger LOG = Logger.getLogger(WorkflowCatalog.class);

    /** A workflow ready to run; {@code order} is its place in the stable run order (created, then id). */
    public record Active(Workflow workflow, WorkflowSpec spec, int order) {
    }

    private record KeywordEntry(List<String> words, Active workflow) {
    }

    private record Snapshot(String fingerprint, Map<TriggerType, List<Active>> byTrigger, Map<String, List<KeywordEntry>> byFirstWord) {
    }

    private final EntityManager em;
    private volatile Snapshot snapshot = new Snapshot("", Map.of(), Map.of());

    WorkflowCatalog(EntityManager em) {
        this.em = em;
    }

    /**
     * The active workflows that this trigger fires, in run order: for receive_message, those whose keyword the text
     * contains and those without keywords; for tag triggers, those for this tag or for any tag.
     */
    public List<Active> matching(TriggerType trigger, String text, String tag) {
        Snapshot current = snapshot;
        List<Active> unconditional = current.byTrigger().getOrDefault(trigger, List.of());
        if (trigger != TriggerType.RECEIVE_MESSAGE) {
            return unconditional.stream()
                    .filter(active -> active.spec().trigger().tag() == null || active.spec().trigger().tag().equals(tag))
                    .toList();
        }
        List<String> words = KeywordText.tokens(text);
        Set<Active> found = new LinkedHashSet<>(unconditional);
        for (int i = 0; i < words.size(); i++) {
            for (KeywordEntry entry : current.byFirstWord().getOrDefault(words.get(i), List.of())) {
                if (i + entry.words().size() <= words.size() && words.subList(i, i + entry.words().size()).equals(entry.words())) {
                    found.add(entry.workflow());
                }
            }
        }
        return found.stream().sorted(Comparator.comparingInt(Active::order)).toList();
    }

    /** The active workflows of a trigger that takes no keywords or tag (conversation_idle), in run order. */
    public List<Active> withTrigger(TriggerType trigger) {
        return snapshot.byTrigger().getOrDefault(trigger, List.of());
    }

    /** The active idle workflow of that id, if there is one. */
    public Optional<Active> byId(String workflowId) {
        return withTrigger(TriggerType.CONVERSATION_IDLE).stream()
                .filter(active -> active.workflow().id.toString().equals(workflowId)).findFirst();
    }

    void onStart(@Observes StartupEvent start) {
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.warnf("could not load the workflows at start, retrying at the next refresh: %s", e.getMessage());
        }
    }

    @Scheduled(every = "${switchboard.workflow.refresh-interval}", skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void refreshIfChanged() {
        try {
            String fingerprint = fingerprint();
            if (!fingerprint.equals(snapshot.fingerprint())) {
                reload();
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not refresh the workflow catalog: %s", e.getMessage());
        }
    }

    /** Loads every active workflow and rebuilds the indexes. */
    public synchronized void reload() {
        QuarkusTransaction.requiringNew().run(() -> {
            String fingerprint = fingerprint();
            List<Workflow> workflows = Workflow.<Workflow>find("status = ?1 order by createdAt, id", Workflow.ACTIVE).list();
            Map<TriggerType, List<Active>> byTrigger = new EnumMap<>(TriggerType.class);
            Map<String, List<KeywordEntry>> byFirstWord = new HashMap<>();
            int order = 0;
            for (Workflow workflow : workflows) {
                WorkflowSpec spec;
                try {
                    spec = WorkflowValidator.validateStored(Json.read(workflow.document));
                } catch (Exception e) {
                    LOG.errorf("workflow %s is not valid any more and is skipped: %s", workflow.id, e.getMessage());
                    continue;
                }
                Active active = new Active(workflow, spec, order++);
                if (spec.trigger().keywords().isEmpty()) {
                    byTrigger.computeIfAbsent(spec.trigger().whenType(), t -> new ArrayList<>()).add(active);
                } else {
                    for (String keyword : new LinkedHashSet<>(spec.trigger().keywords())) {
                        List<String> words = KeywordText.tokens(keyword);
                        byFirstWord.computeIfAbsent(words.get(0), w -> new ArrayList<>()).add(new KeywordEntry(words, active));
                    }
                }
            }
            snapshot = new Snapshot(fingerprint, byTrigger, byFirstWord);
            LOG.debugf("workflow catalog: %d active workflows", order);
        });
    }

    private String fingerprint() {
        Object value = QuarkusTransaction.joiningExisting().call(() -> em.createNativeQuery(
                "select coalesce(md5(string_agg(id::text || status || updated_at::text, ',' order by id)), '') from workflows")
                .getSingleResult());
        return String.valueOf(value);
    }
}
