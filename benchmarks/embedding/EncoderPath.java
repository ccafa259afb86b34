import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import ai.onnxruntime.OrtEnvironment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import io.switchboard.ai.knowledge.QuietMiniLm;

/**
 * What ai-service's embedding costs around the model: the same model and session (QuietMiniLm's) through langchain4j's
 * encoder and through QuietMiniLm's own path, in turns on the same 2,000 questions, CPU time and bytes allocated per
 * question on the calling thread, and how far apart the two embeddings of a question are. Run from the repository
 * after a build:
 *
 * <pre>java -cp "ai-service/target/quarkus-app/lib/main/*:ai-service/target/quarkus-app/app/*" benchmarks/embedding/EncoderPath.java [bench|short]</pre>
 */
public class EncoderPath {
    public static void main(String[] args) throws Exception {
        boolean shortQuestions = args.length > 0 && args[0].equals("short");
        EmbeddingModel langchain4j;
        try (InputStream tokenizer = QuietMiniLm.tokenizerJson()) {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OnnxBertBiEncoder encoder = new OnnxBertBiEncoder(environment, QuietMiniLm.openSession(environment), tokenizer, PoolingMode.MEAN);
            langchain4j = new AbstractInProcessEmbeddingModel(Runnable::run) {
                @Override
                protected OnnxBertBiEncoder model() {
                    return encoder;
                }
            };
        }
        Constructor<QuietMiniLm> constructor = QuietMiniLm.class.getDeclaredConstructor();
        constructor.setAccessible(true);
        EmbeddingModel own = constructor.newInstance();
        List<String> questions = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            questions.add(shortQuestions ? "How do I reset my password? " + (i % 97) : "bench " + UUID.randomUUID());
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().threadId();
        // two rounds to warm up, then three measured; the two paths in turns so a change of the machine's speed hits both
        for (int round = 0; round < 5; round++) {
            StringBuilder line = new StringBuilder(round < 2 ? "warm-up " : "round   ");
            for (var path : List.of(java.util.Map.entry("langchain4j", langchain4j), java.util.Map.entry("QuietMiniLm", own))) {
                long cpu = threads.getCurrentThreadCpuTime();
                long bytes = threads.getThreadAllocatedBytes(self);
                for (String question : questions) {
                    path.getValue().embed(question);
                }
                line.append(String.format("%s %.3f ms %.1f kB   ", path.getKey(), (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / questions.size(),
                        (threads.getThreadAllocatedBytes(self) - bytes) / 1024.0 / questions.size()));
            }
            System.out.println(line);
        }
        double lowest = 1;
        for (String question : questions.subList(0, 200)) {
            float[] a = langchain4j.embed(question).content().vector();
            float[] b = own.embed(question).content().vector();
            double dot = 0;
            for (int k = 0; k < a.length; k++) {
                dot += a[k] * b[k];
            }
            lowest = Math.min(lowest, dot);
        }
        System.out.printf("lowest cosine of a question's two embeddings (200 questions): %.6f%n", lowest);
    }
}
