package dev.engagement.gateway.target;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engagement.gateway.config.Settings;
import dev.engagement.gateway.contract.EngagementRequest;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.ErrorCode;
import dev.engagement.gateway.engagement.TargetInfo;
import dev.engagement.gateway.mcp.PlatformCalls;
import dev.engagement.gateway.mcp.ToolCall;
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
 * The route (direct:inspect-target) asks {@link #fromCache} first, calls the platform's
 * {@code lookup-<platform>} route only when {@link #needsLookup}, and hands its answer to {@link #settle}:
 * a target the platform does not know fails INVALID_TARGET there, so the action tool is never called.
 * Found targets are cached (Caffeine, with a TTL) so that repeated engagements on one post cost one
 * lookup; "not found" is not cached, so a post published a moment later is seen. When the platform's
 * server does not list the lookup tool (or has not been reached yet), the target is left unchecked.
 */
public class TargetInspector {

    private static final Logger LOG = LoggerFactory.getLogger(TargetInspector.class);

    private final ToolDirectory tools;
    private final PlatformCalls calls;
    private final Set<String> checkedActions;
    private final Map<String, Map<String, ToolBinding>> lookups = new LinkedHashMap<>();
    private final Cache<String, TargetInfo> cache;
    /** Targets the platform did not find (its message), briefly: an agent retrying one does not spend the platform's reads. */
    private final Cache<String, String> notFound;

    public TargetInspector(Settings settings, List<String> platforms, List<String> actions, ToolDirectory tools, PlatformCalls calls) {
        this.tools = tools;
        this.calls = calls;
        this.checkedActions = Set.copyOf(settings.getList("engagement.targets.check-actions"));
        for (String p : platforms) {
            String key = "engagement.platforms." + p + ".lookup";
            Optional<ToolBinding> fallback = settings.get(key).map(v -> ToolBinding.parse(key, v, settings::variable));
            Map<String, ToolBinding> byAction = new LinkedHashMap<>();
            for (String a : actions) {
                Optional<ToolBinding> specific = settings.get(key + "." + a).map(v -> ToolBinding.parse(key + "." + a, v, settings::variable));
                specific.or(() -> fallback).ifPresent(b -> byAction.put(a, b));
            }
            lookups.put(p, Map.copyOf(byAction));
        }
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(Duration.ofSeconds(settings.getLong("engagement.targets.cache.ttl-seconds")))
                .maximumSize(settings.getLong("engagement.targets.cache.max-size"))
                .recordStats()
                .build();
        long notFoundTtl = settings.getLong("engagement.targets.not-found-ttl-seconds");
        this.notFound = Caffeine.newBuilder()
                .expireAfterWrite(Duration.ofSeconds(Math.max(0, notFoundTtl)))
                .maximumSize(notFoundTtl <= 0 ? 0 : settings.getLong("engagement.targets.cache.max-size"))
                .build();
    }

    /**
     * A target known from the cache is set on the engagement; one still to look up becomes the exchange's
     * platform call (for the lookup route); a target this action does not check is left as it is.
     */
    public void fromCache(Engagement engagement, Exchange exchange) {
        EngagementRequest request = engagement.getRequest();
        ToolBinding binding = bindingFor(request);
        if (binding == null) {
            return;
        }
        TargetInfo known = cache.getIfPresent(key(request, binding));
        if (known != null) {
            engagement.setTarget(known);
            return;
        }
        String missing = notFound.getIfPresent(key(request, binding));
        if (missing != null) {
            throw new EngagementFailure(ErrorCode.INVALID_TARGET, missing, false, null, request.platform(), request.target(), null, null);
        }
        exchange.setProperty(PlatformCalls.CALL, ToolCall.of(ToolCall.Purpose.LOOKUP, request.platform(), request.target(),
                binding.tool(), binding.argumentsFor(request), null));
    }

    /** True when {@link #fromCache} left a lookup to make. */
    public boolean needsLookup(Exchange exchange) {
        ToolCall call = exchange.getProperty(PlatformCalls.CALL, ToolCall.class);
        return call != null && call.purpose() == ToolCall.Purpose.LOOKUP;
    }

    /** The lookup's answer, kept on the engagement and cached; or its failure (INVALID_TARGET, unavailable...), thrown. */
    public void settle(Engagement engagement, Exchange exchange) {
        ToolCall call = exchange.getProperty(PlatformCalls.CALL, ToolCall.class);
        Map<String, Object> answer;
        try {
            answer = calls.answerOf(engagement, exchange);
        } catch (EngagementFailure f) {
            if (f.code() == ErrorCode.INVALID_TARGET) {
                notFound.put(key(engagement.getRequest(), bindingFor(engagement.getRequest())), f.getMessage());
            }
            throw f;
        } finally {
            exchange.removeProperty(PlatformCalls.CALL);
        }
        TargetInfo info = TargetInfo.from(call.platform(), call.target(), call.tool(), answer);
        cache.put(key(engagement.getRequest(), bindingFor(engagement.getRequest())), info);
        engagement.setTarget(info);
    }

    /** The lookup tool for this request, or null when its target is not checked (not configured, or not offered). */
    private ToolBinding bindingFor(EngagementRequest request) {
        if (!checkedActions.contains(request.action())) {
            return null;
        }
        ToolBinding binding = lookups.getOrDefault(request.platform(), Map.of()).get(request.action());
        if (binding == null) {
            return null;
        }
        Optional<Set<String>> listed = tools.listedTools(request.platform());
        if (listed.isPresent() && !listed.get().contains(binding.tool())) {
            LOG.debug("{} does not offer {}: target {} left unchecked", request.platform(), binding.tool(), request.target());
            return null;
        }
        return binding;
    }

    private static String key(EngagementRequest request, ToolBinding binding) {
        return request.platform() + "|" + binding.tool() + "|" + request.target();
    }

    /** The lookup cache, for its metrics. */
    public Cache<String, TargetInfo> cache() {
        return cache;
    }
}
