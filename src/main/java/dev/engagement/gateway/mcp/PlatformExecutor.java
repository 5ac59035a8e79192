package dev.engagement.gateway.mcp;

import java.util.Map;

import dev.engagement.gateway.contract.EngagementRequest;
import dev.engagement.gateway.contract.EngagementResult;
import dev.engagement.gateway.flow.Engagement;
import dev.engagement.gateway.platform.PlatformCatalog;
import dev.engagement.gateway.platform.ToolBinding;
import dev.engagement.gateway.resilience.PlatformGuard;
import dev.engagement.gateway.store.EngagementStore;

/**
 * Executes an engagement on its platform: the configured tool, called over MCP under the
 * platform's rate limit, circuit breaker and retry policy; every failed attempt is in the audit log.
 */
public class PlatformExecutor {

    private final PlatformCatalog catalog;
    private final McpToolInvoker invoker;
    private final PlatformGuard guard;
    private final EngagementStore store;

    public PlatformExecutor(PlatformCatalog catalog, McpToolInvoker invoker, PlatformGuard guard, EngagementStore store) {
        this.catalog = catalog;
        this.invoker = invoker;
        this.guard = guard;
        this.store = store;
    }

    public Engagement execute(Engagement engagement) {
        EngagementRequest request = engagement.getRequest();
        ToolBinding binding = catalog.binding(request.platform(), request.action());
        long start = System.nanoTime();
        try {
            // The engagement id is the idempotency key: a repeated execution (a retry, or one resumed
            // after a crash) is one effect on a server that honours it.
            Map<String, Object> response = guard.call(request.platform(), request.action(), request.target(),
                    () -> invoker.call(request.platform(), request.target(), binding.tool(), binding.argumentsFor(request),
                            engagement.getId()),
                    (attempt, failure, millis, willRetry) -> store.note(engagement, willRetry ? "attempt_failed_will_retry" : "attempt_failed",
                            EngagementResult.failed(engagement.getId(), request.requestId(), failure.toErrorBody()), millis,
                            "attempt " + attempt));
            engagement.setResult(EngagementResult.success(engagement.getId(), request.requestId(), response));
            return engagement;
        } finally {
            engagement.setExecutionMillis((System.nanoTime() - start) / 1_000_000);
        }
    }
}
