package io.switchboard.ai.knowledge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ai.onnxruntime.OrtEnvironment;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

/** The service's own embedding path gives what langchain4j's encoder gives for the same model, at a fraction of the work around the model. */
class QuietMiniLmTest {
    private static QuietMiniLm model;
    private static AbstractInProcessEmbeddingModel langchain4j;

    /** The same model and session options through langchain4j's encoder alone: the reference. */
    private static final class Langchain4jEncoder extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder encoder;

        Langchain4jEncoder() throws IOException {
            super(Runnable::run);
            try (InputStream tokenizer = QuietMiniLm.tokenizerJson()) {
                OrtEnvironment environment = OrtEnvironment.getEnvironment();
                encoder = new OnnxBertBiEncoder(environment, QuietMiniLm.openSession(environment), tokenizer, PoolingMode.MEAN);
            }
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }
    }

    @BeforeAll
    static void load() throws IOException {
        model = new QuietMiniLm();
        langchain4j = new Langchain4jEncoder();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static double length(float[] v) {
        double squares = 0;
        for (float x : v) {
            squares += x * x;
        }
        return Math.sqrt(squares);
    }

    @Test
    void questionsAndPassagesEmbedAsLangchain4jEmbedsThemAtUnitLength() {
        List<String> texts = new ArrayList<>(List.of("How do I reset my password?", "hi", "WHERE IS MY ORDER #A-1029???",
                "Où est ma commande ? Ça fait déjà   trois   semaines…", "refund pls 🙏🙏 it's been 2 weeks!!",
                "bench " + UUID.randomUUID(), "Shipping\nStandard delivery takes 3-5 working days; express is next day."));
        texts.add("We answer every message within one working day, weekends included. ".repeat(25)); // about 330 tokens
        List<String> far = new ArrayList<>();
        for (String text : texts) {
            float[] ours = model.embed(text).content().vector();
            float[] reference = langchain4j.embed(text).content().vector();
            assertEquals(1.0, length(ours), 1e-5, text);
            if (cosine(ours, reference) < 0.9999) {
                far.add(text + ": " + cosine(ours, reference));
            }
        }
        assertEquals(List.of(), far);
    }

    @Test
    void aLongTextIsCutAtTheTokenizers128TokensAsLangchain4jCutsIt() {
        String article = "Our support team answers questions about orders, refunds, delivery and accounts. ".repeat(60);
        String start = "Our support team answers questions about orders, refunds, delivery and accounts. ".repeat(9);
        assertEquals(128, model.embedAll(List.of(TextSegment.from(article))).tokenUsage().inputTokenCount());
        // the last bit may differ between two sessions
        assertArrayEquals(langchain4j.embed(article).content().vector(), model.embed(article).content().vector(), 1e-6f);
        assertTrue(cosine(model.embed(article).content().vector(), model.embed(start).content().vector()) > 0.99);
    }

    @Test
    void aBatchOfSegmentsGivesEachTheEmbeddingItWouldHaveAlone() {
        List<TextSegment> segments = List.of(TextSegment.from("cancel my plan please"), TextSegment.from("when is support open?"));
        var together = model.embedAll(segments).content();
        assertEquals(2, together.size());
        for (int i = 0; i < segments.size(); i++) {
            assertArrayEquals(model.embed(segments.get(i).text()).content().vector(), together.get(i).vector());
        }
    }
}
