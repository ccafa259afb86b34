package io.switchboard.ai;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.switchboard.contracts.MessageContent;

/** ai-service settings; each reads from the {@code SWITCHBOARD_*} environment variable of the same name. */
@ConfigMapping(prefix = "switchboard")
public interface AiConfig {

    Ai ai();

    /**
     * Longest message chat-service stores ({@code SWITCHBOARD_MAX_CONTENT_LENGTH}, chat-service's setting of the same
     * name): a longer answer goes out as several messages of at most this many characters.
     */
    @WithDefault("" + MessageContent.MAX_LENGTH)
    int maxContentLength();

    interface Ai {
        /** {@code local} (offline, knowledge base only) or {@code openai} (any OpenAI-compatible server). */
        @WithDefault("local")
        String provider();

        /** How long control and context live in Redis and in the durable copy ({@code SWITCHBOARD_AI_CONTROL_TTL}). */
        @WithDefault("PT24H")
        Duration controlTtl();

        /** How many recent turns of the conversation go into the prompt. */
        @WithDefault("20")
        int memoryTurns();

        /** Longest wait for one model answer ({@code SWITCHBOARD_AI_TIMEOUT}). */
        @WithDefault("PT10S")
        Duration timeout();

        @WithDefault("You are Switchboard's customer-support assistant. Answer briefly and politely. If you are not sure, say that a person from the team will follow up.")
        String defaultPrompt();

        @WithDefault("Sorry, I can't answer right now. A person from our team will follow up shortly.")
        String fallbackMessage();

        /**
         * Model calls per minute across every replica ({@code SWITCHBOARD_AI_MAX_CALLS_PER_MINUTE}); past it a
         * conversation gets the fallback answer and the needs_human tag instead of a call. 0: no limit.
         */
        @WithDefault("0")
        int maxCallsPerMinute();

        /**
         * Reply requests of different conversations one replica answers at once ({@code SWITCHBOARD_AI_PARALLEL_ANSWERS}):
         * a consumer's batch is answered side by side up to this many, which also caps the model calls in flight.
         */
        @WithDefault("16")
        int parallelAnswers();

        OpenAi openai();

        Knowledge knowledge();
    }

    interface OpenAi {
        @WithDefault("https://api.openai.com/v1")
        String baseUrl();

        Optional<String> apiKey();

        @WithDefault("gpt-4o-mini")
        String model();
    }

    interface Knowledge {
        /** A folder of Markdown files; without it, the small bundled help centre. */
        Optional<String> dir();

        /** Cosine similarity below which the local provider says a person will follow up. */
        @WithDefault("0.55")
        double threshold();

        @WithDefault("3")
        int snippets();
    }
}
