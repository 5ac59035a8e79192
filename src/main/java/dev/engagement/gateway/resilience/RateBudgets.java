package dev.engagement.gateway.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engagement.gateway.config.Settings;
import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.ErrorCode;
import dev.engagement.gateway.contract.EngagementRequest;

/**
 * The platforms' rate-limit budgets (Resilience4j rate limiters), one per
 * {@code engagement.platforms.<platform>.rate-limit.<name> = <permits> per <period> for <actions>}: an
 * action never goes out beyond its budget; a request without a permit is answered at once with
 * RATE_LIMIT_EXCEEDED and the seconds until the next permit ({@code retry_after}), never left waiting.
 * A platform that answers 429 holds the budget until its reset time, for lookups too; lookups have a read
 * budget of their own per platform ({@code engagement.targets.read-limit}).
 */
public class RateBudgets {

    private static final Logger LOG = LoggerFactory.getLogger(RateBudgets.class);

    private final RateLimiterRegistry limiters = RateLimiterRegistry.ofDefaults();
    /** platform → action → the name of the budget it spends */
    private final Map<String, Map<String, String>> budgetOfAction = new LinkedHashMap<>();
    private final Map<String, Instant> heldUntil = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejections = new ConcurrentHashMap<>();
    private final MeterRegistry meters;

    public RateBudgets(Settings settings, List<String> platforms, List<String> actions, MeterRegistry meters) {
        this.meters = meters;
        for (String platform : platforms) {
            String prefix = "engagement.platforms." + platform + ".rate-limit.";
            Map<String, String> byAction = new LinkedHashMap<>();
            for (String key : settings.keysUnder(prefix)) {
                String budgetName = key.substring(prefix.length());
                settings.get(key).ifPresent(text -> {
                    RateBudget b = RateBudget.parse(key, budgetName, text);
                    for (String action : b.actions()) {
                        if (!actions.contains(action)) {
                            throw new IllegalArgumentException(key + ": unknown action '" + action + "' (actions: " + actions + ")");
                        }
                        String earlier = byAction.put(action, platform + "." + budgetName);
                        if (earlier != null) {
                            throw new IllegalArgumentException(key + ": " + action + " already spends the budget " + earlier);
                        }
                    }
                    limiters.rateLimiter(platform + "." + budgetName, RateLimiterConfig.custom()
                            .limitForPeriod(b.permits()).limitRefreshPeriod(b.period())
                            // never wait for a permit: a request without one is answered at once (no blocked threads)
                            .timeoutDuration(Duration.ZERO).build());
                });
            }
            budgetOfAction.put(platform, Map.copyOf(byAction));
            String readKey = "engagement.platforms." + platform + ".targets.read-limit";
            RateBudget reads = RateBudget.parseReads(settings.get(readKey).isPresent() ? readKey : "engagement.targets.read-limit", "reads",
                    settings.requireForPlatform(platform, "targets.read-limit"));
            limiters.rateLimiter(platform + ".reads", RateLimiterConfig.custom()
                    .limitForPeriod(reads.permits()).limitRefreshPeriod(reads.period()).timeoutDuration(Duration.ZERO).build());
        }
        TaggedRateLimiterMetrics.ofRateLimiterRegistry(limiters).bindTo(meters);
    }

    /** Takes one permit of the action's budget, or answers RATE_LIMIT_EXCEEDED with the wait. */
    public void take(EngagementRequest request) {
        String name = budgetOf(request);
        if (name == null) {
            return;
        }
        long wait = secondsHeld(name);
        if (wait == 0) {
            RateLimiter limiter = limiters.rateLimiter(name);
            if (limiter.acquirePermission()) {
                return;
            }
            wait = secondsToNextPermit(limiter);
        }
        throw refusal(request, name, wait);
    }

    /**
     * A lookup spends a permit of the platform's read budget (engagement.targets.read-limit), and is not made
     * while the platform holds the action's budget after a 429.
     */
    public void takeLookup(EngagementRequest request) {
        String name = budgetOf(request);
        long wait = name == null ? 0 : secondsHeld(name);
        if (wait > 0) {
            throw refusal(request, name, wait);
        }
        String reads = request.platform() + ".reads";
        RateLimiter limiter = limiters.rateLimiter(reads);
        if (!limiter.acquirePermission()) {
            throw refusal(request, reads, secondsToNextPermit(limiter));
        }
    }

    /** The platform answered a rate limit: spend the budget and hold it until the platform's reset time. */
    public void holdAfterPlatformLimit(EngagementRequest request, long retryAfterSeconds) {
        String name = budgetOf(request);
        if (name == null) {
            return;
        }
        Instant until = Instant.now().plusSeconds(retryAfterSeconds);
        heldUntil.merge(name, until, (a, b) -> a.isAfter(b) ? a : b);
        limiters.rateLimiter(name).drainPermissions();
        LOG.warn("{} answered a rate limit: budget {} held until {}", request.platform(), name, until);
    }

    /** When the limiter has a permit again, in whole seconds (at least 1): the refusal's retry_after. */
    private static long secondsToNextPermit(RateLimiter limiter) {
        long nanos = ((AtomicRateLimiter) limiter).getDetailedMetrics().getNanosToWait();
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }

    private String budgetOf(EngagementRequest request) {
        return budgetOfAction.getOrDefault(request.platform(), Map.of()).get(request.action());
    }

    private long secondsHeld(String name) {
        Instant held = heldUntil.get(name);
        Instant now = Instant.now();
        return held != null && held.isAfter(now) ? Math.max(1, Duration.between(now, held).toSeconds() + 1) : 0;
    }

    private EngagementFailure refusal(EngagementRequest request, String name, long wait) {
        rejections.computeIfAbsent(name, n -> Counter.builder("engagement_rate_limit_rejections")
                .description("requests refused because a platform budget was spent").tag("budget", n).register(meters)).increment();
        String platform = request.platform();
        return new EngagementFailure(ErrorCode.RATE_LIMIT_EXCEEDED,
                platform.substring(0, 1).toUpperCase(Locale.ROOT) + platform.substring(1) + " rate limit for " + request.action()
                        + " reached (budget '" + name + "'). Retry after " + wait + " seconds.",
                true, wait, platform, request.target(), null, null);
    }
}
