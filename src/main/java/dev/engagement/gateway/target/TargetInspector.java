package dev.engagement.gateway.target;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engagement.gateway.Settings;
import dev.engagement.gateway.contract.EngagementResult;
import dev.engagement.gateway.resilience.PlatformGuard;
import dev.engagement.gateway.store.EngagementStore;
import dev.engagement.gateway.contract.EngagementRequest;
import dev.engagement.gateway.flow.Engagement;
import dev.engagement.gateway.mcp.McpToolInvoker;
import dev.engagement.gateway.platform.PlatformCatalog;
import dev.engagement.gateway.platform.ToolBinding;
import dev.engagement.gateway.platform.ToolDirectory;

/**
 * Checks a target before the gateway acts on it, with the platform's lookup tool (twitter's
 * {@code get_tweet}; the sandbox adds {@code get_post}, {@code get_comment}, {@code get_video},
 * {@code get_thread}), configured per platform and optionally per action:
 * <pre>
 * engagement.platforms.instagram.lookup = get_post(post_id=target)
 * engagement.platforms.instagram.lookup.reply = get_comment(comment_id=target)
 * </pre>
 * A target the platform does not know fails INVALID_TARGET here, so the action tool is never
 * called. Found targets are cached (Caffeine, with a TTL) so that repeated engagements on one post
 * cost one lookup; "not found" is not cached, so a post published a moment later is seen.
 * When the platform's server does not list the lookup tool, the target is left unchecked.
 */
public class TargetInspector {

    private static final Logger LOG = LoggerFactory.getLogger(TargetInspector.class);

    private final McpToolInvoker invoker;
    private final PlatformGuard guard;
    private final EngagementStore store;
    private final ToolDirectory tools;
    private final Set<String> checkedActions;
    private final Map<String, Map<String, ToolBinding>> lookups = new LinkedHashMap<>();
    private final Cache<String, TargetInfo> cache;

    public TargetInspector(Settings settings, McpToolInvoker invoker, ToolDirectory tools, PlatformGuard guard, EngagementStore store) {
        this.invoker = invoker;
        this.guard = guard;
        this.store = store;
        this.tools = tools;
        this.checkedActions = Set.copyOf(settings.getList("engagement.targets.check-actions"));
        for (String p : PlatformCatalog.PLATFORMS) {
            String key = "engagement.platforms." + p + ".lookup";
            Optional<ToolBinding> fallback = settings.get(key).map(v -> ToolBinding.parse(key, v));
            Map<String, ToolBinding> byAction = new LinkedHashMap<>();
            for (String a : PlatformCatalog.ACTIONS) {
                Optional<ToolBinding> specific = settings.get(key + "." + a).map(v -> ToolBinding.parse(key + "." + a, v));
                specific.or(() -> fallback).ifPresent(b -> byAction.put(a, b));
            }
            lookups.put(p, Map.copyOf(byAction));
        }
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(Duration.ofSeconds(settings.getLong("engagement.targets.cache.ttl-seconds", 300)))
                .maximumSize(settings.getLong("engagement.targets.cache.max-size", 10_000))
                .recordStats()
                .build();
    }

    /** Looks the engagement's target up (cached) and keeps what the platform said on it. */
    public Engagement inspect(Engagement engagement) {
        lookup(engagement.getRequest(), (attempt, failure, millis, willRetry) -> store.note(engagement,
                willRetry ? "lookup_attempt_failed_will_retry" : "lookup_attempt_failed",
                EngagementResult.failed(engagement.getId(), engagement.getRequest().requestId(), failure.toErrorBody()),
                millis, "lookup attempt " + attempt)).ifPresent(engagement::setTarget);
        return engagement;
    }

    /**
     * The target's details, or empty when this action's target is not checked (not configured, or
     * the server does not offer the lookup tool). Throws INVALID_TARGET when the platform does not know it.
     */
    public Optional<TargetInfo> lookup(EngagementRequest request, PlatformGuard.AttemptListener attempts) {
        if (!checkedActions.contains(request.action())) {
            return Optional.empty();
        }
        ToolBinding binding = lookups.getOrDefault(request.platform(), Map.of()).get(request.action());
        if (binding == null) {
            return Optional.empty();
        }
        Optional<Set<String>> listed = tools.listedTools(request.platform());
        if (listed.isPresent() && !listed.get().contains(binding.tool())) {
            LOG.debug("{} does not offer {}: target {} left unchecked", request.platform(), binding.tool(), request.target());
            return Optional.empty();
        }
        String key = request.platform() + "|" + binding.tool() + "|" + request.target();
        return Optional.of(cache.get(key, k -> TargetInfo.from(request.platform(), request.target(), binding.tool(),
                guard.lookup(request.platform(), request.action(), request.target(),
                        () -> invoker.call(request.platform(), request.target(), binding.tool(), binding.argumentsFor(request)),
                        attempts))));
    }

    /** The lookup cache, for its metrics. */
    public Cache<String, TargetInfo> cache() {
        return cache;
    }

}
