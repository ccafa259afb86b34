package io.switchboard.chat;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.switchboard.contracts.MessageContent;

/** chat-service settings; each reads from the {@code SWITCHBOARD_*} environment variable of the same name. */
@ConfigMapping(prefix = "switchboard")
public interface ChatConfig {

    Token token();

    Auth auth();

    /** The secret that the site's backend signs its visitors' identity tokens with ({@code SWITCHBOARD_IDENTITY_SECRET}). */
    Optional<String> identitySecret();

    /** Agent sign-in: access tokens and the throttle on failed attempts. */
    interface Auth {
        /** How long an agent's access token lasts ({@code SWITCHBOARD_AUTH_ACCESS_TOKEN_LIFETIME}). */
        @WithDefault("PT12H")
        Duration accessTokenLifetime();

        /** Failed sign-ins in a row, per email and per client address, before that key is locked out. */
        @WithDefault("10")
        int maxFailedSignIns();

        @WithDefault("15m")
        Duration lockout();
    }

    /** Longest message content accepted, in characters: Telegram's limit (ai-service sends longer answers in parts of it). */
    @WithDefault("" + MessageContent.MAX_LENGTH)
    int maxContentLength();

    /**
     * Commands from Kafka applied in one transaction at most ({@code SWITCHBOARD_COMMANDS_PER_TRANSACTION}); the
     * default is a whole poll (Kafka's {@code max.poll.records}). Fewer means shorter waits for customers writing to
     * the conversations a transaction has locked, more means fewer commits (docs/performance.md, "Shorter lock holds").
     */
    @WithDefault("500")
    int commandsPerTransaction();

    OutboxSettings outbox();

    Telegram telegram();

    Instagram instagram();

    Delivery delivery();

    Pages pages();

    RateLimit rateLimit();

    Csat csat();

    /** Customer satisfaction: the rating asked for when a conversation is first resolved ({@code SWITCHBOARD_CSAT_*}). */
    interface Csat {
        @WithDefault("true")
        boolean enabled();

        /** The question sent on Telegram and Instagram, whose answer "1" to "5" is recorded as the rating. */
        @WithDefault("How would you rate the help you got? Reply with a number from 1 (poor) to 5 (excellent).")
        String question();
    }

    /** Customer messages per conversation and window ({@code SWITCHBOARD_RATE_LIMIT_MESSAGES}, {@code _WINDOW}). */
    interface RateLimit {
        @WithDefault("20")
        int messages();

        @WithDefault("10s")
        Duration window();

        /** New conversations per client address and minute, across replicas ({@code SWITCHBOARD_RATE_CONVERSATIONS_PER_MINUTE}). */
        @WithDefault("20")
        int conversationsPerMinute();
    }

    /** Proxies whose X-Forwarded-For names the client ({@code SWITCHBOARD_TRUSTED_PROXIES}: addresses or CIDR ranges). */
    Optional<java.util.List<String>> trustedProxies();

    /** Where the web pages find the other services; empty: the pages' own origin (one host behind an ingress). */
    interface Pages {
        Optional<String> workflowUrl();

        Optional<String> aiUrl();

        /** ws:// or wss:// base of notifier-service. */
        Optional<String> notifierUrl();
    }

    /** The Telegram channel; without a webhook secret its webhook refuses every update. */
    interface Telegram {
        /** {@code SWITCHBOARD_TELEGRAM_BOT_TOKEN}: replies go to {@code {api-base-url}/bot{token}/sendMessage}. */
        Optional<String> botToken();

        /** {@code SWITCHBOARD_TELEGRAM_WEBHOOK_SECRET}: what Telegram sends in {@code X-Telegram-Bot-Api-Secret-Token}. */
        Optional<String> webhookSecret();

        @WithDefault("https://api.telegram.org")
        String apiBaseUrl();

        /** {@code SWITCHBOARD_TELEGRAM_GROUPS}: serve groups and supergroups too (one conversation per group). */
        @WithDefault("false")
        boolean groups();
    }

    /** The Instagram channel; without an app secret its webhook refuses every event. */
    interface Instagram {
        /** {@code SWITCHBOARD_INSTAGRAM_APP_SECRET}: the key of the {@code X-Hub-Signature-256} HMAC. */
        Optional<String> appSecret();

        /** {@code SWITCHBOARD_INSTAGRAM_VERIFY_TOKEN}: the token of Meta's subscription handshake. */
        Optional<String> verifyToken();

        /** {@code SWITCHBOARD_INSTAGRAM_ACCESS_TOKEN}: replies go to {@code {api-base-url}/me/messages} with it. */
        Optional<String> accessToken();

        @WithDefault("https://graph.instagram.com/v21.0")
        String apiBaseUrl();

        /**
         * {@code SWITCHBOARD_INSTAGRAM_MEDIA_HOSTS}: the hosts (and their subdomains) that customers' files are fetched
         * from; any other URL in a webhook is never requested, so a forged one cannot make chat-service call inside
         * the network. Plain http only for a loopback host (tests).
         */
        @WithDefault("fbcdn.net,fbsbx.com,cdninstagram.com")
        java.util.List<String> mediaHosts();
    }

    /** Outbound delivery to Telegram and Instagram. */
    interface Delivery {
        /** Attempts before a message is marked failed (429, 5xx and network errors are retried; other 4xx never). */
        @WithDefault("6")
        int maxAttempts();

        /** The wait after the first failure; doubled after each further one, up to {@link #maxBackoff()}. */
        @WithDefault("1s")
        Duration initialBackoff();

        @WithDefault("5m")
        Duration maxBackoff();

        /** How often the worker looks for messages no after-commit wake-up sent (retries, crashes). */
        @WithDefault("1s")
        Duration pollInterval();

        @WithDefault("10s")
        Duration requestTimeout();

        /**
         * Sends in flight at once per replica, each for another conversation (a conversation's go one at a time, in
         * order). Each holds a database connection while the platform answers.
         */
        @WithDefault("4")
        int concurrency();
    }

    interface OutboxSettings {
        /** How often the relay looks for rows that no after-commit wake-up published (crash, broker down). */
        @WithDefault("1s")
        Duration pollInterval();
    }

    interface Token {
        /** Base64 PKCS#8 Ed25519 private key that signs customer and agent tokens ({@code SWITCHBOARD_TOKEN_PRIVATE_KEY}). */
        String privateKey();

        /** Base64 X.509 Ed25519 public key that verifies them ({@code SWITCHBOARD_TOKEN_PUBLIC_KEY}). */
        String publicKey();

        /** How long a customer token lasts. */
        /** How long a customer token lasts. */
        @WithDefault("P30D")
        Duration lifetime();
    }

}
