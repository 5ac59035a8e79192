package dev.engagement.gateway.observe;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.apache.logging.log4j.ThreadContext;

import dev.engagement.gateway.engagement.Engagement;

/**
 * Puts the engagement id into the logging context (log4j2 ThreadContext, key {@code engagement_id})
 * around every step of a route that moves an engagement, so every log line about one engagement —
 * the flow's, the MCP client's, the store's — carries its id and one engagement can be traced.
 * It also remembers the engagement on the exchange (property {@value #ENGAGEMENT}) so later steps
 * that only see a result (the failure answer, the metrics) still know what it was about.
 */
public class EngagementTracing implements InterceptStrategy {

    public static final String ENGAGEMENT = "engagement";
    public static final String MDC_KEY = "engagement_id";

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target, Processor nextTarget) {
        return new DelegateAsyncProcessor(target) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                String id = remember(exchange);
                if (id == null) {
                    return processor.process(exchange, callback);
                }
                String previous = ThreadContext.get(MDC_KEY);
                ThreadContext.put(MDC_KEY, id);
                try {
                    return processor.process(exchange, callback);
                } finally {
                    remember(exchange); // the step may have just admitted it
                    if (previous == null) {
                        ThreadContext.remove(MDC_KEY);
                    } else {
                        ThreadContext.put(MDC_KEY, previous);
                    }
                }
            }
        };
    }

    private static String remember(Exchange exchange) {
        if (exchange.getMessage().getBody() instanceof Engagement e) {
            exchange.setProperty(ENGAGEMENT, e);
            return e.getId();
        }
        Engagement known = exchange.getProperty(ENGAGEMENT, Engagement.class);
        return known == null ? null : known.getId();
    }
}
