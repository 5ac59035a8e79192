package dev.engagement.gateway.mcp;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Processor;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.EngagementRequest;
import dev.engagement.gateway.contract.EngagementResult;
import dev.engagement.gateway.contract.ErrorCode;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.flow.EngagementLifecycle;
import dev.engagement.gateway.flow.FailureResponder;
import dev.engagement.gateway.platform.PlatformCatalog;
import dev.engagement.gateway.platform.ToolBinding;
import dev.engagement.gateway.resilience.RateBudgets;

/**
 * The steps of a platform call (routes/platforms.yaml): the action's call prepared, the call inside the
 * circuit breaker, the retry decision, the failure handed back to the caller once retries are spent (in the
 * contract's terms, whatever stopped it), and the answer read. Every failed attempt is in the event log.
 */
public class PlatformCalls {

    /** Exchange property: the {@link ToolCall} to make (set by the caller before the call route). */
    public static final String CALL = "platformCall";
    /** Exchange property: the server's {@link ToolAnswer}. */
    public static final String ANSWER = "platformAnswer";
    /** Exchange property: the {@link EngagementFailure} of a call whose attempts are spent. */
    public static final String FAILURE = "platformFailure";

    /** The call gives up this much before the breaker's timeout, so that its thread is free when the request is answered. */
    private static final long GIVE_UP_EARLY_MS = 200;

    private final McpToolInvoker invoker;
    private final PlatformCatalog catalog;
    private final RateBudgets budgets;
    private final EngagementLifecycle lifecycle;
    private final CircuitBreakerRegistry breakers;
    private final Set<String> dryRun;

    /** @param dryRun the platforms whose actions are not sent (engagement.platforms.<p>.dry-run): lookups are */
    public PlatformCalls(McpToolInvoker invoker, PlatformCatalog catalog, RateBudgets budgets, EngagementLifecycle lifecycle,
                         CircuitBreakerRegistry breakers, Set<String> dryRun) {
        this.invoker = invoker;
        this.catalog = catalog;
        this.budgets = budgets;
        this.lifecycle = lifecycle;
        this.breakers = breakers;
        this.dryRun = Set.copyOf(dryRun);
    }

    /**
     * The engagement's action as the exchange's platform call: the configured tool and arguments, under
     * the engagement id as idempotency key (a retry, or an execution resumed after a crash, is one effect
     * on a server that honours it).
     */
    public void prepareAction(Engagement engagement, Exchange exchange) {
        EngagementRequest request = engagement.getRequest();
        ToolBinding binding = catalog.binding(request.platform(), request.action());
        exchange.setProperty(CALL, ToolCall.of(ToolCall.Purpose.EXECUTE, request.platform(), request.target(), binding.tool(),
                binding.argumentsFor(request), engagement.getId()));
    }

    /** The action's answer as the engagement's result; or its failure, thrown. */
    public void actionResult(Engagement engagement, Exchange exchange) {
        engagement.setExecutionMillis(callOf(exchange).elapsedMillis());
        try {
            Map<String, Object> answer = answerOf(engagement, exchange);
            engagement.setResult(EngagementResult.success(engagement.getId(), engagement.getRequest().requestId(), answer));
        } finally {
            exchange.removeProperty(CALL);
        }
    }

    /** Inside the breaker: makes the call; the answer (a result or the server's refusal) is kept for the caller. */
    public void call(Exchange exchange, long timeoutMs) {
        ToolCall c = callOf(exchange);
        if (c.purpose() == ToolCall.Purpose.EXECUTE && dryRun.contains(c.platform())) {
            // everything but the final write: the answer says what would have been sent
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("dry_run", true);
            answer.put("tool", c.tool());
            answer.put("arguments", c.arguments());
            answer.put("message", "Dry run (engagement.platforms." + c.platform() + ".dry-run): nothing was sent to " + c.platform());
            exchange.setProperty(ANSWER, ToolAnswer.ok(answer));
            return;
        }
        Duration timeout = Duration.ofMillis(Math.max(timeoutMs / 2, timeoutMs - GIVE_UP_EARLY_MS));
        exchange.setProperty(ANSWER, invoker.call(c.platform(), c.target(), c.tool(), c.arguments(), c.idempotencyKey(), timeout));
    }

    /** The retry rule ({@code onWhen}): a fast failure that another attempt may get past. */
    public boolean worthRetrying(Exchange exchange) {
        return platformFailureOf(exchange) instanceof PlatformCallFailure f && f.isRetriedNow();
    }

    /** Told before each retry: the failed attempt goes into the event log. */
    public Processor attempts() {
        return exchange -> note(exchange, failureOf(exchange), true);
    }

    /** After the last attempt: the failure is noted and kept for the caller, and the route goes on (continued). */
    public void failed(Exchange exchange) {
        EngagementFailure failure = failureOf(exchange);
        note(exchange, failure, false);
        exchange.setProperty(FAILURE, failure);
    }

    /**
     * The answer of the call just made on this exchange; or, thrown, the failure of its attempts, or the
     * server's refusal (noted in the event log as a failed attempt, like the others). A platform that
     * answered a rate limit also holds the action's budget until its reset time.
     */
    public Map<String, Object> answerOf(Engagement engagement, Exchange exchange) {
        EngagementFailure failure = exchange.getProperty(FAILURE, EngagementFailure.class);
        ToolAnswer answer = exchange.getProperty(ANSWER, ToolAnswer.class);
        exchange.removeProperty(FAILURE);
        exchange.removeProperty(ANSWER);
        if (failure != null) {
            throw failure;
        }
        if (answer == null) {
            throw new IllegalStateException("The platform call left no answer on the exchange");
        }
        EngagementFailure refusal = answer.refusal();
        if (refusal != null) {
            note(exchange, refusal, false);
            if (refusal.code() == ErrorCode.RATE_LIMIT_EXCEEDED && refusal.retryAfter() != null) {
                budgets.holdAfterPlatformLimit(engagement.getRequest(), refusal.retryAfter());
            }
        }
        return answer.bodyOrThrow();
    }

    private void note(Exchange exchange, EngagementFailure failure, boolean willRetry) {
        ToolCall c = callOf(exchange);
        if (exchange.getMessage().getBody() instanceof Engagement e) {
            int attempt = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + (willRetry ? 0 : 1);
            lifecycle.note(e, c.purpose().failedAttemptEvent() + (willRetry ? "_will_retry" : ""),
                    EngagementResult.failed(e.getId(), e.getRequest().requestId(), failure.toErrorBody()), c.elapsedMillis(),
                    (c.purpose() == ToolCall.Purpose.LOOKUP ? "lookup attempt " : "attempt ") + Math.max(1, attempt));
        }
    }

    /** The failure in the contract's terms; anything unforeseen is INTERNAL_ERROR (logged with a reference). */
    private EngagementFailure failureOf(Exchange exchange) {
        EngagementFailure known = platformFailureOf(exchange);
        return known != null ? known : FailureResponder.asFailure(caughtBy(exchange));
    }

    /**
     * The server's own failure as it was thrown, or why the circuit breaker did not let the call through
     * or gave up on it (open circuit, full bulkhead, timeout); null for anything else.
     */
    private EngagementFailure platformFailureOf(Exchange exchange) {
        Throwable caught = caughtBy(exchange);
        ToolCall c = callOf(exchange);
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (t instanceof EngagementFailure f) {
                return f;
            }
            if (t instanceof CallNotPermittedException open) {
                long wait = breakers.find(open.getCausingCircuitBreakerName())
                        .map(b -> Math.max(1, b.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1) / 1000))
                        .orElse(1L);
                return PlatformCallFailure.unavailable(PlatformCallFailure.Kind.CIRCUIT_OPEN, "The " + c.platform()
                        + " MCP server is failing or too slow; calls are paused (circuit open) and will be tried again shortly",
                        wait, c.platform(), c.target(), open);
            }
            if (t instanceof BulkheadFullException || t instanceof RejectedExecutionException) {
                return busy(c);
            }
            if (t instanceof TimeoutException) {
                return PlatformCallFailure.unavailable(PlatformCallFailure.Kind.TIMEOUT, "The " + c.platform()
                        + " MCP server did not answer " + c.tool() + " in time", null, c.platform(), c.target(), t);
            }
        }
        return null;
    }

    private static PlatformCallFailure busy(ToolCall c) {
        return PlatformCallFailure.unavailable(PlatformCallFailure.Kind.BULKHEAD_FULL, "The " + c.platform()
                + " MCP server has as many calls in flight as the gateway allows (bulkhead full); try again shortly", 1L,
                c.platform(), c.target(), null);
    }

    private static Throwable caughtBy(Exchange exchange) {
        return exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(ExchangePropertyKey.EXCEPTION_CAUGHT, Throwable.class);
    }

    private static ToolCall callOf(Exchange exchange) {
        ToolCall c = exchange.getProperty(CALL, ToolCall.class);
        if (c == null) {
            throw new IllegalStateException("No platform call on the exchange (property " + CALL + ")");
        }
        return c;
    }
}
