package dev.engagement.gateway.observe;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * GET /observe/metrics (routes/http-api.yaml): the registry Camel's meters and the gateway's share, in
 * Prometheus' text format. A route of ours rather than Camel's management endpoint, so it can require a token.
 */
public class MetricsScrape {

    private final PrometheusMeterRegistry registry;

    public MetricsScrape(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    public void scrape(Exchange exchange) {
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        m.setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        m.setBody(registry.scrape());
    }
}
