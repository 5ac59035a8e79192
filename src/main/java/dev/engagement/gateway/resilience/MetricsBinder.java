package dev.engagement.gateway.resilience;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;

/**
 * Once Camel has started (and camel-micrometer-prometheus has made its registry), registers the
 * resilience metrics with it, so they show on {@code /observe/metrics}.
 */
public class MetricsBinder extends SimpleEventNotifierSupport {

    private final PlatformGuard guard;

    public MetricsBinder(PlatformGuard guard) {
        this.guard = guard;
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.CamelContextStartedEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        var context = ((CamelEvent.CamelContextStartedEvent) event).getContext();
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry != null) {
            guard.bindMetrics(registry);
        }
    }
}
