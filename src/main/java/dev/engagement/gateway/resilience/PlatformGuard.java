package dev.engagement.gateway.resilience;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRateLimiterMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.engagement.gateway.Settings;
import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.ErrorCode;
import dev.engagement.gateway.platform.PlatformCatalog;

/**
 * Resilience4j around every platform call: a rate limiter per platform budget (never exceed the
 * platform's limit; a spent budget answers RATE_LIMIT_EXCEEDED with retry_after and sends nothing),
 * a circuit breaker per platform MCP server (a dead or failing server fails fast with
 * PLATFORM_UNAVAILABLE and is tried again after a pause), and retries with exponential backoff and
 * jitter for retryable failures only, bounded in count and in total time.
 *
 * <p>In Java rather than the circuitBreaker EIP because the breaker and the budgets are per
 * platform (and per action), chosen at run time from the request.
 */
public class PlatformGuard {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformGuard.class);

    /** Told about every failed attempt, e.g. to put it in the audit trail. */
    public interface AttemptListener {
        void failed(int attempt, EngagementFailure failure, long millis, boolean willRetry);
    }

    private final RateLimiterRegistry limiters = RateLimiterRegistry.ofDefaults();
    private final CircuitBreakerRegistry breakers;
    private final RetryRegistry retries;
    private final Map<String, Map<String, String>> budgetOfAction = new LinkedHashMap<>();
    private final Map<String, Instant> blockedUntil = new ConcurrentHashMap<>();
    private final Duration maxRetryTime;
    private final Duration openWait;
    private volatile MeterRegistry meters;
    private final Map<String, Counter> rejections = new ConcurrentHashMap<>();

    public PlatformGuard(Settings settings) {
        for (String platform : PlatformCatalog.PLATFORMS) {
            String prefix = "engagement.platforms." + platform + ".rate-limit.";
            Map<String, String> byAction = new LinkedHashMap<>();
            for (String budgetName : List.of("posts", "replies", "comments", "likes", "follows", "shares", "calls")) {
                settings.get(prefix + budgetName).ifPresent(text -> {
                    RateBudget b = RateBudget.parse(prefix + budgetName, budgetName, text);
                    String limiterName = platform + "." + budgetName;
                    limiters.rateLimiter(limiterName, RateLimiterConfig.custom()
                            .limitForPeriod(b.permits()).limitRefreshPeriod(b.period())
                            // never wait for a permit: a request without one is answered at once (no blocked threads)
                            .timeoutDuration(Duration.ZERO).build());
                    b.actions().forEach(a -> byAction.put(a, limiterName));
                });
            }
            budgetOfAction.put(platform, byAction);
        }
        this.openWait = Duration.ofMillis(settings.getLong("engagement.resilience.circuit.open-wait-ms", 15_000));
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(settings.getInt("engagement.resilience.circuit.window", 10))
                .minimumNumberOfCalls(settings.getInt("engagement.resilience.circuit.minimum-calls", 4))
                .failureRateThreshold((float) settings.getDouble("engagement.resilience.circuit.failure-rate-percent", 50))
                .waitDurationInOpenState(openWait)
                .permittedNumberOfCallsInHalfOpenState(settings.getInt("engagement.resilience.circuit.half-open-calls", 2))
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                // only the server's own failures count against it, not a bad target or a spent budget
                .recordException(PlatformGuard::isServerFailure)
                .build());
        this.maxRetryTime = Duration.ofMillis(settings.getLong("engagement.resilience.retry.max-total-ms", 20_000));
        this.retries = RetryRegistry.of(RetryConfig.custom()
                .maxAttempts(settings.getInt("engagement.resilience.retry.max-attempts", 3))
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(
                        Duration.ofMillis(settings.getLong("engagement.resilience.retry.initial-backoff-ms", 200)),
                        settings.getDouble("engagement.resilience.retry.multiplier", 2.0),
                        settings.getDouble("engagement.resilience.retry.jitter", 0.5),
                        Duration.ofMillis(settings.getLong("engagement.resilience.retry.max-backoff-ms", 5_000))))
                .retryOnException(PlatformGuard::isRetryable)
                .failAfterMaxAttempts(false)
                .build());
    }

    /**
     * Runs the call for one action on one platform under its budget, breaker and retry policy.
     */
    public <T> T call(String platform, String action, String target, Supplier<T> call, AttemptListener listener) {
        return guarded(platform, action, target, true, call, listener);
    }

    /**
     * Runs a read made for an action (the target lookup) under the platform's breaker and retry
     * policy. It spends none of the action's budget, but is not made while the platform holds
     * that budget after a 429, and a 429 it meets holds the budget.
     */
    public <T> T lookup(String platform, String action, String target, Supplier<T> call, AttemptListener listener) {
        return guarded(platform, action, target, false, call, listener);
    }

    private <T> T guarded(String platform, String action, String target, boolean charge, Supplier<T> call, AttemptListener listener) {
        CircuitBreaker breaker = breakers.circuitBreaker(platform);
        Retry retry = retries.retry(platform);
        long start = System.nanoTime();
        int[] attempt = {0};
        Supplier<T> guarded = () -> {
            attempt[0]++;
            long t0 = System.nanoTime();
            try {
                acquire(platform, action, target, charge);
                return breaker.executeSupplier(call);
            } catch (CallNotPermittedException open) {
                throw circuitOpen(platform, target, open);
            } catch (EngagementFailure failure) {
                if (failure.code() == ErrorCode.RATE_LIMIT_EXCEEDED && failure.retryAfter() != null) {
                    honourPlatformLimit(platform, action, failure.retryAfter());
                }
                boolean retrying = isRetryable(failure) && attempt[0] < retry.getRetryConfig().getMaxAttempts()
                        && Duration.ofNanos(System.nanoTime() - start).compareTo(maxRetryTime) < 0;
                listener.failed(attempt[0], failure, (System.nanoTime() - t0) / 1_000_000, retrying);
                if (isRetryable(failure) && !retrying) {
                    // out of attempts or time: stop here rather than let the retry policy go on
                    throw new FinalFailure(failure);
                }
                throw failure;
            }
        };
        try {
            return Retry.decorateSupplier(retry, guarded).get();
        } catch (FinalFailure f) {
            throw f.failure;
        }
    }

    /** Takes one permit of the action's budget, or answers RATE_LIMIT_EXCEEDED with the wait. */
    private void acquire(String platform, String action, String target, boolean charge) {
        String limiterName = budgetOfAction.getOrDefault(platform, Map.of()).get(action);
        if (limiterName == null) {
            return;
        }
        Instant blocked = blockedUntil.get(limiterName);
        long wait = 0;
        if (blocked != null && blocked.isAfter(Instant.now())) {
            wait = Math.max(1, Duration.between(Instant.now(), blocked).toSeconds() + 1);
        } else {
            RateLimiter limiter = limiters.rateLimiter(limiterName);
            if (!charge || limiter.acquirePermission()) {
                return;
            }
            long nanos = ((io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter) limiter).getDetailedMetrics().getNanosToWait();
            wait = Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
        }
        rejections.computeIfAbsent(limiterName, n -> meters == null ? null
                : Counter.builder("engagement_rate_limit_rejections").description("requests refused because a platform budget was spent")
                        .tag("budget", n).register(meters));
        Counter c = rejections.get(limiterName);
        if (c != null) {
            c.increment();
        }
        throw new EngagementFailure(ErrorCode.RATE_LIMIT_EXCEEDED,
                capitalize(platform) + " rate limit for " + action + " reached (budget '" + limiterName + "'). Retry after " + wait + " seconds.",
                true, wait, platform, target, null, null);
    }

    /** The platform said 429: spend the budget and hold it until the platform's reset time. */
    private void honourPlatformLimit(String platform, String action, long retryAfterSeconds) {
        String limiterName = budgetOfAction.getOrDefault(platform, Map.of()).get(action);
        if (limiterName == null) {
            return;
        }
        Instant until = Instant.now().plusSeconds(retryAfterSeconds);
        blockedUntil.merge(limiterName, until, (a, b) -> a.isAfter(b) ? a : b);
        limiters.rateLimiter(limiterName).drainPermissions();
        LOG.warn("{} answered a rate limit: budget {} held until {}", platform, limiterName, until);
    }

    private EngagementFailure circuitOpen(String platform, String target, CallNotPermittedException e) {
        return new EngagementFailure(ErrorCode.PLATFORM_UNAVAILABLE,
                "The " + platform + " MCP server is failing; calls are paused (circuit open) and will be tried again shortly",
                true, Math.max(1, openWait.toSeconds()), platform, target, null, e);
    }

    /** Registers circuit state, limiter permits and retry counts as metrics. */
    public void bindMetrics(MeterRegistry registry) {
        this.meters = registry;
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
        TaggedRateLimiterMetrics.ofRateLimiterRegistry(limiters).bindTo(registry);
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(registry);
        for (String platform : PlatformCatalog.PLATFORMS) {
            breakers.circuitBreaker(platform);
            retries.retry(platform);
        }
    }

    static boolean isServerFailure(Throwable t) {
        return t instanceof EngagementFailure f
                && (f.code() == ErrorCode.PLATFORM_UNAVAILABLE || f.code() == ErrorCode.PLATFORM_ERROR && f.isRetryable());
    }

    static boolean isRetryable(Throwable t) {
        return t instanceof EngagementFailure f && f.isRetryable()
                && (f.code() == ErrorCode.PLATFORM_UNAVAILABLE || f.code() == ErrorCode.PLATFORM_ERROR)
                && !(f.getCause() instanceof CallNotPermittedException);
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** Carries a failure past the retry policy once this guard decided to stop retrying. */
    private static final class FinalFailure extends RuntimeException {
        private final EngagementFailure failure;

        FinalFailure(EngagementFailure failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }
}
