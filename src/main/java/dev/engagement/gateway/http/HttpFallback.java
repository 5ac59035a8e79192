package dev.engagement.gateway.http;

import java.util.List;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.ErrorCode;

/** Answers requests no API route took: 405 on a known path with another method, else 404. */
public class HttpFallback {

    private static final List<Pattern> KNOWN = List.of(
            Pattern.compile("/engagements"), Pattern.compile("/engagements/[^/]+"), Pattern.compile("/engagements/[^/]+/events"),
            Pattern.compile("/openapi.json"),
            Pattern.compile("/approvals"), Pattern.compile("/approvals/[^/]+/(approve|reject)"),
            Pattern.compile("/sandbox/actions"), Pattern.compile("/sandbox/faults"),
            Pattern.compile("/console"), Pattern.compile("/console/(index\\.html|console\\.js|console\\.css)"));

    public void answer(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, "", String.class);
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, "", String.class);
        String full = path.startsWith("/") ? path : uri.replaceAll("\\?.*$", "");
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, "", String.class);
        if (KNOWN.stream().anyMatch(p -> p.matcher(full).matches())) {
            throw new EngagementFailure(ErrorCode.METHOD_NOT_ALLOWED, method + " is not allowed on " + full);
        }
        throw new EngagementFailure(ErrorCode.NOT_FOUND, "No endpoint " + method + " " + full
                + "; see the README for the API (POST /engagements, GET /engagements/{id}, GET /approvals, ...)");
    }
}
