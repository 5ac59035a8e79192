package dev.engagement.gateway.platform;

import java.util.Optional;
import java.util.Set;

/** What a platform's MCP server lists in {@code tools/list}; empty when it cannot be asked right now. */
public interface ToolDirectory {
    Optional<Set<String>> listedTools(String platform);

    /** False when no MCP server serves the platform (none configured, and the bundled sandbox off). */
    default boolean isServed(String platform) {
        return true;
    }

    /** What the platform's server said of itself when it was connected (MCP initialize's instructions), if anything. */
    default Optional<String> instructions(String platform) {
        return Optional.empty();
    }
}
