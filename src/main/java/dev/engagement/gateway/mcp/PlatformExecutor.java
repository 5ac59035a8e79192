package dev.engagement.gateway.mcp;

import java.util.Map;

import dev.engagement.gateway.contract.EngagementRequest;
import dev.engagement.gateway.contract.EngagementResult;
import dev.engagement.gateway.flow.Engagement;
import dev.engagement.gateway.platform.PlatformCatalog;
import dev.engagement.gateway.platform.ToolBinding;

/** Executes an engagement on its platform: the configured tool, called over MCP, timed. */
public class PlatformExecutor {

    private final PlatformCatalog catalog;
    private final McpToolInvoker invoker;

    public PlatformExecutor(PlatformCatalog catalog, McpToolInvoker invoker) {
        this.catalog = catalog;
        this.invoker = invoker;
    }

    public Engagement execute(Engagement engagement) {
        EngagementRequest request = engagement.getRequest();
        ToolBinding binding = catalog.binding(request.platform(), request.action());
        long start = System.nanoTime();
        try {
            // The engagement id is the idempotency key: a repeated execution (e.g. resumed after a
            // crash) is one effect on a server that honours it.
            Map<String, Object> response = invoker.call(request.platform(), request.target(), binding.tool(),
                    binding.argumentsFor(request), engagement.getId());
            engagement.setResult(EngagementResult.success(engagement.getId(), request.requestId(), response));
            return engagement;
        } finally {
            engagement.setExecutionMillis((System.nanoTime() - start) / 1_000_000);
        }
    }
}
