package io.switchboard.ai.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.CosineSimilarity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.switchboard.ai.AiConfig;

/**
 * Markdown help articles cut into passages (one per heading), embedded with all-MiniLM-L6-v2, which runs in process
 * from the jar ({@link QuietMiniLm}): no network, no key. Ranks passages by cosine similarity to a question. Grounds both providers.
 */
@ApplicationScoped
public class KnowledgeBase {
    private static final Logger LOG = Logger.getLogger(KnowledgeBase.class);
    private static final String BUNDLED = "knowledge/switchboard-help.md";

    public record Passage(String title, String text, Embedding embedding) {
    }

    public record Match(Passage passage, double score) {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Optional<String> dir;
    private final double threshold;
    private final int snippets;
    static final int RECENT_QUESTIONS = 1024;
    private final Map<String, Embedding> recentQuestions = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Embedding> eldest) {
            return size() > RECENT_QUESTIONS;
        }
    };
    /** CPU time of each question embedded: on a small machine the largest part of what an answer costs. */
    private final Timer embeddingCpu;
    private final Counter recentHits;
    private volatile EmbeddingModel model;
    private volatile Thread loader;
    private volatile List<Passage> passages;

    @Inject
    KnowledgeBase(AiConfig config, MeterRegistry metrics) {
        this(config.ai().knowledge().dir(), config.ai().knowledge().threshold(), config.ai().knowledge().snippets(), metrics);
    }

    /** A knowledge base of the Markdown files in {@code dir}, or of the bundled help centre when it is empty. */
    public KnowledgeBase(Optional<String> dir, double threshold, int snippets) {
        this(dir, threshold, snippets, new SimpleMeterRegistry());
    }

    private KnowledgeBase(Optional<String> dir, double threshold, int snippets, MeterRegistry metrics) {
        this.dir = dir;
        this.threshold = threshold;
        this.snippets = snippets;
        this.embeddingCpu = Timer.builder("switchboard.ai.embedding.cpu")
                .description("CPU time of embedding a question, on the thread that answers it").register(metrics);
        this.recentHits = Counter.builder("switchboard.ai.embedding.recent")
                .description("Questions whose embedding came from the recent questions, without the model").register(metrics);
    }

    public List<Match> search(String question, int limit) {
        load();
        if (question == null || question.isBlank() || passages.isEmpty()) {
            return List.of();
        }
        Embedding query = embeddingOf(question.strip());
        return passages.stream().map(p -> new Match(p, CosineSimilarity.between(query, p.embedding())))
                .sorted(Comparator.comparingDouble(Match::score).reversed()).limit(limit).toList();
    }

    /**
     * The question's embedding, from a small LRU of recent questions: support traffic repeats itself ("hi", "thanks",
     * "where is my order?"), and each embedding costs milliseconds of CPU while a hit costs nothing.
     */
    private Embedding embeddingOf(String question) {
        synchronized (recentQuestions) {
            Embedding known = recentQuestions.get(question);
            if (known != null) {
                recentHits.increment();
                return known;
            }
        }
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        Embedding computed = model.embed(question).content();
        if (cpuBefore >= 0) {
            embeddingCpu.record(THREADS.getCurrentThreadCpuTime() - cpuBefore, TimeUnit.NANOSECONDS);
        }
        synchronized (recentQuestions) {
            recentQuestions.put(question, computed);
        }
        return computed;
    }

    /** How many question embeddings are held (at most {@value #RECENT_QUESTIONS}). */
    public int cachedQuestions() {
        synchronized (recentQuestions) {
            return recentQuestions.size();
        }
    }

    public double threshold() {
        return threshold;
    }

    public int snippets() {
        return snippets;
    }

    /**
     * Embeds the articles at start-up, beside the rest of the start (5-7 s on one core): readiness waits for it
     * ({@link KnowledgeBaseReadiness}), so the first question after "ready" is not the one that pays for it.
     */
    void preload(@Observes StartupEvent startup) {
        loader = new Thread(() -> {
            try {
                load();
            } catch (RuntimeException e) {
                // stays not ready, and says why; the first question tries again
                LOG.errorf("knowledge base: could not embed the articles: %s", e.getMessage());
            }
        }, "knowledge-base-load");
        loader.setDaemon(true);
        loader.start();
    }

    /**
     * A stop waits for an embedding in progress: the model runs in native code (ONNX Runtime), which crashes the JVM
     * if the process exits under it.
     */
    void awaitPreload(@Observes ShutdownEvent shutdown) throws InterruptedException {
        Thread running = loader;
        if (running != null) {
            running.join(java.time.Duration.ofSeconds(30));
        }
    }

    /** True once the articles are embedded. */
    public boolean loaded() {
        return passages != null;
    }

    /** Loads the model and embeds the articles once, at start-up or on first use, whichever comes first. */
    private void load() {
        if (passages != null) {
            return;
        }
        synchronized (this) {
            if (passages != null) {
                return;
            }
            long started = System.nanoTime();
            model = new QuietMiniLm();
            List<Passage> loaded = new ArrayList<>();
            for (String markdown : articles()) {
                for (String[] section : sections(markdown)) {
                    loaded.add(new Passage(section[0], section[1], model.embed(section[0] + "\n" + section[1]).content()));
                }
            }
            passages = loaded;
            LOG.infof("knowledge base: %d passages embedded in %d ms", loaded.size(), (System.nanoTime() - started) / 1_000_000);
        }
    }

    private List<String> articles() {
        if (dir.isPresent()) {
            try (Stream<Path> files = Files.walk(Path.of(dir.get()))) {
                return files.filter(f -> f.toString().endsWith(".md")).sorted().map(f -> {
                    try {
                        return Files.readString(f, StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }).toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the knowledge base folder " + dir.get(), e);
            }
        }
        try (InputStream in = KnowledgeBase.class.getClassLoader().getResourceAsStream(BUNDLED)) {
            return in == null ? List.of() : List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** [title, text] per "#"/"##" heading; text before the first heading is skipped. */
    static List<String[]> sections(String markdown) {
        List<String[]> sections = new ArrayList<>();
        String title = null;
        StringBuilder text = new StringBuilder();
        for (String line : markdown.split("\\R")) {
            if (line.startsWith("#")) {
                if (title != null && !text.toString().isBlank()) {
                    sections.add(new String[] { title, text.toString().strip() });
                }
                title = line.replaceFirst("^#+\\s*", "").strip();
                text.setLength(0);
            } else if (title != null) {
                text.append(line).append('\n');
            }
        }
        if (title != null && !text.toString().isBlank()) {
            sections.add(new String[] { title, text.toString().strip() });
        }
        return sections;
    }
}
