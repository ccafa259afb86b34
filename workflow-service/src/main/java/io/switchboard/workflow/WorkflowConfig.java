package io.switchboard.workflow;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** workflow-service settings; each reads from the {@code SWITCHBOARD_*} environment variable of the same name. */
@ConfigMapping(prefix = "switchboard")
public interface WorkflowConfig {
    Engine workflow();

    interface Engine {
        /**
         * How many workflow hops a chain may take (a workflow adds a tag that fires another workflow...). Events
         * deeper than this run no workflow, which cuts cycles.
         */
        @WithDefault("3")
        int maxDepth();

        /** How often to look for workflow changes made through another replica. */
        @WithDefault("5s")
        Duration refreshInterval();

        /** How often waiting runs that are due are resumed ({@code wait} actions). */
        @WithDefault("1s")
        Duration resumeInterval();

        /** How often conversations are checked for {@code conversation_idle} triggers. */
        @WithDefault("15s")
        Duration idleCheckInterval();

        /** Load the seed's three example workflows when there are none ({@code SWITCHBOARD_WORKFLOW_SEED}). */
        @WithDefault("false")
        boolean seed();
    }
}
