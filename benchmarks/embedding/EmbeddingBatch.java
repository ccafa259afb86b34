import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.switchboard.ai.knowledge.QuietMiniLm;

/**
 * Would embedding waiting questions in batches pay? ai-service's model (all-MiniLM-L6-v2, 8-bit, one ONNX Runtime
 * thread: the session {@link QuietMiniLm#openSession} opens for the service) run on 2,000 questions one at a time and in batches of 2 to 16 (padded to the
 * longest, attention-masked, mean-pooled and normalised as langchain4j does), CPU time per question on the calling
 * thread; then how far a question's embedding in a batch is from its embedding alone (cosine). Run from the
 * repository after a build:
 *
 * <pre>java -cp "ai-service/target/quarkus-app/lib/main/*:ai-service/target/quarkus-app/app/*" benchmarks/embedding/EmbeddingBatch.java [bench|short]</pre>
 *
 * {@code bench}: the benchmark's questions ("bench " and a UUID, about 25 tokens); {@code short}: a short support
 * question (about 10 tokens).
 */
public class EmbeddingBatch {
    private static final int DIMENSION = 384;

    public static void main(String[] args) throws Exception {
        boolean shortQuestions = args.length > 0 && args[0].equals("short");
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession session = QuietMiniLm.openSession(environment);
        HuggingFaceTokenizer tokenizer;
        try (var json = QuietMiniLm.tokenizerJson()) {
            tokenizer = HuggingFaceTokenizer.newInstance(json, Map.of("padding", "false"));
        }
        List<String> questions = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            questions.add(shortQuestions ? "How do I reset my password? " + (i % 97) : "bench " + UUID.randomUUID());
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        // the first pass of one at a time warms the JIT and the session up; the last one checks the machine did not change
        for (int batch : new int[] {1, 1, 2, 4, 8, 16, 1}) {
            long cpu = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < questions.size(); i += batch) {
                embed(environment, session, tokenizer, questions.subList(i, Math.min(questions.size(), i + batch)));
            }
            System.out.printf("batch of %2d: %.3f ms of CPU per question%n", batch,
                    (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / questions.size());
        }
        float[] alone = embed(environment, session, tokenizer, questions.subList(0, 1))[0];
        float[] inBatch = embed(environment, session, tokenizer, questions.subList(0, 8))[0];
        double cosine = 0;
        for (int k = 0; k < DIMENSION; k++) {
            cosine += alone[k] * inBatch[k];
        }
        System.out.printf("cosine of a question's embedding alone and in a batch of 8: %.4f%n", cosine);
    }

    static float[][] embed(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer, List<String> texts) throws OrtException {
        Encoding[] encodings = tokenizer.batchEncode(texts);
        int longest = 0;
        for (Encoding encoding : encodings) {
            longest = Math.max(longest, encoding.getIds().length);
        }
        int rows = texts.size();
        long[] ids = new long[rows * longest];
        long[] mask = new long[rows * longest];
        for (int r = 0; r < rows; r++) {
            long[] tokens = encodings[r].getIds();
            for (int c = 0; c < tokens.length; c++) {
                ids[r * longest + c] = tokens[c];
                mask[r * longest + c] = 1;
            }
        }
        long[] shape = {rows, longest};
        try (var inputIds = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
                var attentionMask = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
                var tokenTypes = OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[rows * longest]), shape);
                var result = session.run(Map.of("input_ids", inputIds, "attention_mask", attentionMask, "token_type_ids", tokenTypes))) {
            float[][][] hidden = (float[][][]) result.get(0).getValue();
            float[][] embeddings = new float[rows][DIMENSION];
            for (int r = 0; r < rows; r++) {
                int length = encodings[r].getIds().length;
                double norm = 0;
                for (int k = 0; k < DIMENSION; k++) {
                    for (int c = 0; c < length; c++) {
                        embeddings[r][k] += hidden[r][c][k];
                    }
                    embeddings[r][k] /= length;
                    norm += embeddings[r][k] * embeddings[r][k];
                }
                for (int k = 0; k < DIMENSION; k++) {
                    embeddings[r][k] /= (float) Math.sqrt(norm);
                }
            }
            return embeddings;
        }
    }
}
