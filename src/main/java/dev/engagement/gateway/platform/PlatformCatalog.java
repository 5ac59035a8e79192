package dev.engagement.gateway.platform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import dev.engagement.gateway.config.Settings;
import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.EngagementRequest;
import dev.engagement.gateway.contract.ErrorCode;
import dev.engagement.gateway.contract.Vocabulary;
import dev.engagement.gateway.contract.Violation;

/**
 * What each platform supports and how it counts text, from configuration
 * ({@code engagement.platforms.<platform>.*}), checked against what its MCP server really lists.
 */
public class PlatformCatalog {

    /** One platform's rules. */
    public record Platform(String name, String displayName, Map<String, ToolBinding> actions,
                           int maxContentLength, ContentLength counting) {
    }

    private final Map<String, Platform> platforms = new LinkedHashMap<>();
    private final Vocabulary vocabulary;
    private final ToolDirectory tools;

    public PlatformCatalog(Settings settings, Vocabulary vocabulary, ToolDirectory tools) {
        this.vocabulary = vocabulary;
        this.tools = tools;
        for (String p : vocabulary.platforms()) {
            String prefix = "engagement.platforms." + p + ".";
            Map<String, ToolBinding> actions = new TreeMap<>();
            for (String a : vocabulary.actions()) {
                settings.get(prefix + "actions." + a).ifPresent(v -> actions.put(a, ToolBinding.parse(prefix + "actions." + a, v, settings::variable)));
            }
            platforms.put(p, new Platform(p, settings.require(prefix + "display-name"),
                    Map.copyOf(actions),
                    settings.getInt(prefix + "max-content-length"),
                    ContentLength.named(settings.require(prefix + "length-counting"))));
        }
    }

    /** The platforms and actions of the contract. */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public Platform platform(String name) {
        Platform p = platforms.get(name);
        if (p == null) {
            throw EngagementFailure.about(ErrorCode.VALIDATION_FAILED, "Unknown platform '" + name + "'", name, null);
        }
        return p;
    }

    /**
     * The cross-field checks a schema cannot express: the action is supported on that platform
     * (configured, and its tool listed by the MCP server), and the content fits the platform's
     * own counting. Returns the request, unchanged, for the next step.
     */
    public EngagementRequest check(EngagementRequest request) {
        Platform p = platform(request.platform());
        if (!tools.isServed(p.name())) {
            String key = "engagement.platforms." + p.name() + ".mcp";
            throw new EngagementFailure(ErrorCode.PLATFORM_UNAVAILABLE, "No MCP server serves " + p.displayName() + ": set " + key
                    + ".url (or " + key + ".command); the bundled sandbox is off (engagement.sandbox.enabled=false)",
                    false, null, p.name(), request.target(), null, null);
        }
        ToolBinding binding = p.actions().get(request.action());
        if (binding == null) {
            throw new EngagementFailure(ErrorCode.UNSUPPORTED_ACTION,
                    "Action '" + request.action() + "' is not supported on " + p.displayName()
                            + "; supported actions: " + String.join(", ", p.actions().keySet()),
                    false, null, p.name(), request.target(), List.of(new Violation("/action", "not supported on " + p.name())), null);
        }
        Optional<Set<String>> listed = tools.listedTools(p.name());
        if (listed.isPresent() && !listed.get().contains(binding.tool())) {
            throw new EngagementFailure(ErrorCode.UNSUPPORTED_ACTION,
                    "Action '" + request.action() + "' is not supported on " + p.displayName()
                            + ": its MCP server does not offer the tool '" + binding.tool() + "'"
                            + tools.instructions(p.name()).map(i -> " (the server says: " + i + ")").orElse(""),
                    false, null, p.name(), request.target(), List.of(new Violation("/action", "tool " + binding.tool() + " not listed")), null);
        }
        // every text is bounded by the platform, also one its tool does not post (a like's or share's is
        // scored and stored)
        if (request.hasContent()) {
            int length = p.counting().count(request.content());
            if (length > p.maxContentLength()) {
                throw new EngagementFailure(ErrorCode.CONTENT_TOO_LONG,
                        "Content is " + length + " characters by " + p.displayName() + "'s counting; the limit is "
                                + p.maxContentLength(),
                        false, null, p.name(), request.target(),
                        List.of(new Violation("/content", length + " > " + p.maxContentLength())), null);
            }
        }
        return request;
    }

    public ToolBinding binding(String platform, String action) {
        ToolBinding b = platform(platform).actions().get(action);
        if (b == null) {
            throw EngagementFailure.about(ErrorCode.UNSUPPORTED_ACTION,
                    "Action '" + action + "' is not supported on " + platform, platform, null);
        }
        return b;
    }
}
