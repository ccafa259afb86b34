package io.switchboard.system;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code ./switchboard bench --search MESSAGES}: the inbox's search over a large store. Fills chat-service's database
 * of its own system with MESSAGES messages (50,000 conversations, each with 20 on average) whose text mixes support
 * words with a long tail of rare ones (word frequencies falling off like natural text: a word of rank r appears about
 * 1/r as often), then times {@code GET /api/search} as the inbox calls it, per kind of query: a rare word (about a
 * hundred messages), a medium one (thousands), a common one (a fifth to a third of all messages), the commonest ("the",
 * more than half), two words, a phrase, a contact's name and an email address.
 */
final class SearchBenchmark {
    private static final int CONVERSATIONS = 50_000;
    private static final int TAIL = 20_000;
    private static final int QUERIES_PER_KIND = 60;
    private static final String[] SUPPORT_WORDS = {"the", "my", "order", "refund", "please", "help", "account", "password",
            "delivery", "invoice", "parcel", "broken", "cancel", "subscription", "payment", "card", "address", "shipping",
            "late", "thanks"};

    private SearchBenchmark() {
    }

    static String run(int messages) throws Exception {
        try (SystemUnderTest system = SystemUnderTest.start(1, Map.of())) {
            String url = system.databaseUrl("chat");
            try (Connection db = DriverManager.getConnection(url, "postgres", "")) {
                fill(db, messages);
            }
            Api api = new Api();
            Random random = new Random(42);
            Map<String, List<String>> kinds = new LinkedHashMap<>();
            kinds.put("rare word", words(random, 5_000, TAIL));
            kinds.put("medium word", words(random, 200, 400));
            kinds.put("common word", List.of("order", "refund", "please", "help", "account", "password"));
            kinds.put("commonest (\"the\")", List.of("the"));
            kinds.put("two words", pairs(random));
            kinds.put("phrase", List.of("\"my order\"", "\"refund please\"", "\"the parcel\"", "\"help account\""));
            kinds.put("contact name", names(random, "name"));
            kinds.put("email", names(random, "email"));
            progress("warming up: 100 searches");
            for (int i = 0; i < 100; i++) {
                search(api, system, kinds.get("medium word").get(i % kinds.get("medium word").size()));
            }
            StringBuilder table = new StringBuilder();
            table.append(String.format("%nSearch over %,d messages (%,d conversations and contacts): GET /api/search, page of 20, "
                    + "%d searches per kind, one at a time%n%n", messages, CONVERSATIONS, QUERIES_PER_KIND));
            table.append("| query | p50 ms | p95 ms | p99 ms | max ms | hits per query (median) |\n|---|---:|---:|---:|---:|---:|\n");
            List<Double> all = new ArrayList<>();
            for (var kind : kinds.entrySet()) {
                List<Double> latencies = new ArrayList<>();
                List<Double> totals = new ArrayList<>();
                for (int i = 0; i < QUERIES_PER_KIND; i++) {
                    String q = kind.getValue().get(i % kind.getValue().size());
                    long start = System.nanoTime();
                    var found = search(api, system, q);
                    latencies.add((System.nanoTime() - start) / 1e6);
                    totals.add(found.path("total").asDouble() + (found.path("total_exact").asBoolean() ? 0 : 0.5));
                }
                all.addAll(latencies);
                var p = Benchmark.Percentiles.of(latencies);
                double medianHits = Benchmark.Percentiles.of(totals).p50();
                table.append(String.format("| %s | %.1f | %.1f | %.1f | %.1f | %s |%n", kind.getKey(), p.p50(), p.p95(), p.p99(), p.max(),
                        medianHits % 1 != 0 ? String.format("%,.0f+", Math.floor(medianHits)) : String.format("%,.0f", medianHits)));
                progress(kind.getKey() + ": p95 " + String.format("%.1f", p.p95()) + " ms");
            }
            var overall = Benchmark.Percentiles.of(all);
            table.append(String.format("| all %d | %.1f | %.1f | %.1f | %.1f | |%n", all.size(), overall.p50(), overall.p95(), overall.p99(),
                    overall.max()));
            return table.toString();
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode search(Api api, SystemUnderTest system, String q) {
        return api.get(system.chatUrl() + "/api/search?size=20&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8),
                SystemUnderTest.AGENT_TOKEN).ok();
    }

    /** The store: contacts and conversations first, then the messages in chunks, with a progress line per chunk. */
    private static void fill(Connection db, int messages) throws Exception {
        try (var statement = db.createStatement()) {
            progress("storing " + CONVERSATIONS + " contacts and conversations");
            statement.execute("""
                    insert into contacts (id, first_name, last_name, email, attributes, created_at)
                    select gen_random_uuid(), 'name' || i, 'family' || (i %% 5000), 'user' || i || '@example.com', '{}'::jsonb,
                           now() - (i || ' minutes')::interval
                      from generate_series(1, %d) i""".formatted(CONVERSATIONS));
            statement.execute("""
                    insert into conversations (id, contact_id, channel, status, tags, created_at, updated_at)
                    select gen_random_uuid(), c.id, 'web', 'open', '{}', c.created_at, c.created_at from contacts c""");
            statement.execute("""
                    create temporary table bench_ids as
                    select row_number() over () as n, id from conversations""");
            // the support words by rank, then the tail: word 20 + i is the first 4 to 8 characters of md5(i)
            statement.execute("create temporary table bench_words as select row_number() over () as i, w from unnest(array['"
                    + String.join("','", SUPPORT_WORDS) + "']) w");
            statement.execute("insert into bench_words select " + SUPPORT_WORDS.length + " + i, substr(md5(i::text), 1, 4 + i % 5) "
                    + "from generate_series(1, " + TAIL + ") i");
            // a bulk load: the text index is built once at the end (as V7__workspace.sql defines it), not row by row
            statement.execute("drop index messages_search_idx");
            int chunk = 100_000;
            for (int done = 0; done < messages; done += chunk) {
                int n = Math.min(chunk, messages - done);
                // a word of rank r with probability about 1/r: exp(random * ln(N)) is log-uniform over 1..N; the words are one
                // array computed once per statement (an array column read per row would be detoasted for every word)
                statement.execute("""
                        insert into messages (id, conversation_id, sender_type, content, metadata, created_at)
                        select gen_random_uuid(), c.id, case when g %% 2 = 0 then 'customer' else 'ai' end,
                               array_to_string(array(select w.w[least(%d, floor(exp(random() * ln(%d)))::int)]
                                                       from generate_series(1, 12 + g * 0) k), ' '),
                               '{}'::jsonb, now() - ((%d - g) || ' seconds')::interval
                          from generate_series(%d, %d) g join bench_ids c on c.n = (g %% %d) + 1,
                               (select array_agg(w order by i) as w from bench_words) w"""
                        .formatted(SUPPORT_WORDS.length + TAIL, SUPPORT_WORDS.length + TAIL, messages, done + 1, done + n, CONVERSATIONS));
                progress(String.format("stored %,d of %,d messages", done + n, messages));
            }
            progress("building the text index");
            statement.execute("set maintenance_work_mem = '512MB'");
            statement.execute("create index messages_search_idx on messages using gin (search)");
            progress("analyze");
            statement.execute("analyze");
        }
    }

    /** Tail words of ranks from..to, which appear in few messages each. */
    private static List<String> words(Random random, int from, int to) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < QUERIES_PER_KIND; i++) {
            int rank = from + random.nextInt(to - from);
            words.add(md5(rank - SUPPORT_WORDS.length).substring(0, 4 + (rank - SUPPORT_WORDS.length) % 5));
        }
        return words;
    }

    private static List<String> pairs(Random random) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < QUERIES_PER_KIND; i++) {
            pairs.add(SUPPORT_WORDS[1 + random.nextInt(SUPPORT_WORDS.length - 1)] + " " + words(random, 50, 500).get(0));
        }
        return pairs;
    }

    private static List<String> names(Random random, String kind) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < QUERIES_PER_KIND; i++) {
            int n = 1 + random.nextInt(CONVERSATIONS);
            names.add(kind.equals("email") ? "user" + n + "@example.com" : "name" + n);
        }
        return names;
    }

    private static String md5(int i) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("MD5").digest(Integer.toString(i).getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void progress(String line) {
        System.out.printf("[bench %tT] %s%n", Instant.now().atZone(java.time.ZoneId.systemDefault()), line);
    }

    static void write(Path out, String table) throws java.io.IOException {
        Files.createDirectories(out);
        String stamp = Instant.now().toString().replace(':', '-').substring(0, 19);
        Files.writeString(out.resolve("search-" + stamp + ".md"), table);
        progress("written to " + out.resolve("search-" + stamp + ".md"));
    }
}
