package dev.engagement.gateway.resilience;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import dev.engagement.gateway.config.Settings;

/**
 * The circuit breakers of the platform calls (routes/platforms.yaml refers to them by name,
 * {@code <platform>-lookup-breaker} and {@code <platform>-execute-breaker}), one per platform and kind of call,
 * from {@code engagement.platforms.<platform>.resilience.circuit.*}, else the shared
 * {@code engagement.resilience.circuit.*}. Built here rather than by the circuitBreaker EIP's own options for
 * one reason: a full bulkhead is not counted against the server (the EIP cannot ignore an exception in a
 * templated route: Camel 4.17 then takes every failure for a success). A burst on a healthy server, or a
 * gateway short of CPU, must not open a platform's breaker; timeouts and the server's own failures do.
 */
public final class PlatformBreakers {

    private PlatformBreakers() {
    }

    /** Creates the breakers in the registry (its metrics name them {@code <platform>-<call>}); returns them by bean name. */
    public static java.util.Map<String, CircuitBreaker> create(Settings settings, List<String> platforms, CircuitBreakerRegistry registry) {
        java.util.Map<String, CircuitBreaker> byBean = new java.util.LinkedHashMap<>();
        for (String platform : platforms) {
            CircuitBreakerConfig config = config(key -> settings.getIntForPlatform(platform, "resilience.circuit." + key))
                    .slowCallDurationThreshold(Duration.ofSeconds(settings.getIntForPlatform(platform, "resilience.circuit.slow-call-seconds")))
                    .slowCallRateThreshold(settings.getIntForPlatform(platform, "resilience.circuit.slow-call-rate-percent"))
                    .build();
            for (String call : List.of("lookup", "execute")) {
                byBean.put(platform + "-" + call + "-breaker", registry.circuitBreaker(platform + "-" + call, config));
            }
        }
        return byBean;
    }

    /**
     * The breaker of the language model that drafts replies (routes/drafting.yaml, metrics name "drafting"), from the
     * shared engagement.resilience.circuit.* but for slow calls: a model takes seconds to write, so only a call that
     * reaches the drafting timeout counts (as a failure).
     */
    public static CircuitBreaker drafting(Settings settings, CircuitBreakerRegistry registry) {
        return registry.circuitBreaker("drafting", config(key -> settings.getInt("engagement.resilience.circuit." + key)).build());
    }

    /** The breaker's window, thresholds and waits from circuit.<key>; a full bulkhead is not a failure of the server. */
    private static CircuitBreakerConfig.Builder config(java.util.function.ToIntFunction<String> circuit) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(circuit.applyAsInt("window"))
                .minimumNumberOfCalls(circuit.applyAsInt("minimum-calls"))
                .failureRateThreshold(circuit.applyAsInt("failure-rate-percent"))
                .waitDurationInOpenState(Duration.ofSeconds(circuit.applyAsInt("open-wait-seconds")))
                .permittedNumberOfCallsInHalfOpenState(circuit.applyAsInt("half-open-calls"))
                .ignoreExceptions(BulkheadFullException.class, RejectedExecutionException.class);
    }
}
