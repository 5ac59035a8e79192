package dev.engagement.gateway.observe;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.Exchange;

import dev.engagement.gateway.contract.EngagementResult;
import dev.engagement.gateway.contract.ErrorCode;
import dev.engagement.gateway.engagement.Engagement;
import dev.engagement.gateway.flow.EngagementLifecycle;
import dev.engagement.gateway.engagement.EngagementState;
import dev.engagement.gateway.contract.Vocabulary;

/**
 * The gateway's own meters on /observe/metrics: every engagement answered, by platform, action,
 * status and decision ({@code engagement_requests_total}), its end-to-end time from submit to
 * answer ({@code engagement_duration_seconds}), and the approvals waiting for a reviewer
 * ({@code engagement_approvals_pending}, a COUNT query cached for a few seconds so a busy scraper
 * costs the database nothing). MCP-call latency is timed by McpToolInvoker in the same registry.
 *
 * <p>The routes say when: {@link #started} at the top of direct:submit, {@link #finished} where the
 * intake has the answer (or the failure turned into one).
 */
public class EngagementMetrics {

    static final String STARTED = "engagementStartedNanos";

    private final MeterRegistry registry;
    private final EngagementLifecycle lifecycle;
    private final Vocabulary vocabulary;

    public EngagementMetrics(MeterRegistry registry, EngagementLifecycle lifecycle, Vocabulary vocabulary, Supplier<Long> pendingApprovals,
                             Duration pendingCacheFor) {
        this.registry = registry;
        this.lifecycle = lifecycle;
        this.vocabulary = vocabulary;
        CachedCount pending = new CachedCount(pendingApprovals, pendingCacheFor);
        // held strongly: Micrometer keeps only a weak reference to a gauge's object, and this one has no
        // other owner (it read NaN after the first full collection)
        Gauge.builder("engagement.approvals.pending", pending, CachedCount::value).strongReference(true)
                .description("Engagements waiting for a reviewer (cached count)").register(registry);
    }

    public void started(Exchange exchange) {
        exchange.setProperty(STARTED, System.nanoTime());
    }

    /** Counts and times the engagement whose answer is the body (once per exchange). */
    public void finished(Exchange exchange) {
        Long started = exchange.getProperty(STARTED, Long.class);
        if (started == null) {
            return; // not an engagement submission (e.g. a refused token), or already counted
        }
        exchange.removeProperty(STARTED);
        Object body = exchange.getMessage().getBody();
        Engagement e = body instanceof Engagement b ? b : exchange.getProperty(EngagementTracing.ENGAGEMENT, Engagement.class);
        EngagementResult result = body instanceof EngagementResult r ? r : e != null ? lifecycle.answerFor(e) : null;
        String status = result == null ? "failed" : result.status();
        String platform = bounded(e != null ? e.getPlatform() : result != null && result.error() != null ? result.error().platform() : null);
        String action = e != null && vocabulary.actions().contains(e.getAction()) ? e.getAction() : "unknown";
        String decision = decisionOf(e, result);
        Counter.builder("engagement.requests").description("Engagements answered, by platform, action, status and decision")
                .tag("platform", platform).tag("action", action).tag("status", status).tag("decision", decision)
                .register(registry).increment();
        Timer.builder("engagement.duration").description("End-to-end time of an engagement, from submit to answer")
                .tag("platform", platform).tag("status", status).publishPercentileHistogram()
                .register(registry).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    /** Tags stay a small fixed set: anything an agent made up is "unknown". */
    private String bounded(String platform) {
        return platform != null && vocabulary.platforms().contains(platform) ? platform : "unknown";
    }

    /**
     * execute, review, refuse, replayed, or none when it failed before a decision (validation, target) or
     * reused a request_id for a different request (CONFLICT: nothing of it was executed or stored).
     */
    static String decisionOf(Engagement e, EngagementResult result) {
        if (e == null || result != null && result.error() != null && result.error().code() == ErrorCode.CONFLICT) {
            return "none";
        }
        if (e.isReplayed()) {
            return "replayed";
        }
        if (e.getAssessment() == null) {
            return "none";
        }
        if (e.getState() == EngagementState.PENDING_APPROVAL) {
            return "review";
        }
        if (result != null && result.error() != null && result.error().code() == ErrorCode.REJECTED_BY_POLICY) {
            return "refuse";
        }
        return "execute";
    }

    /** A count read at most once per period, so scrapes do not hit the database. */
    static final class CachedCount {
        private final Supplier<Long> source;
        private final long periodNanos;
        private volatile long value;
        private volatile long readAt;
        private volatile boolean read;

        CachedCount(Supplier<Long> source, Duration period) {
            this.source = source;
            this.periodNanos = period.toNanos();
        }

        synchronized double value() {
            long now = System.nanoTime();
            if (!read || now - readAt > periodNanos) {
                try {
                    value = source.get();
                } catch (RuntimeException e) {
                    // keep the last value: a metrics scrape must not fail because the database is away
                }
                readAt = now;
                read = true;
            }
            return value;
        }
    }
}
