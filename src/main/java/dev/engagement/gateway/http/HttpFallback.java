package dev.engagement.gateway.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.ErrorCode;

/**
 * Answers requests no API route took: 405 on a known path with another method, else 404. The known
 * paths are those of the platform-http routes Camel has started (routes/*.yaml), so they follow the
 * routes without a list to keep in step; catch-alls (matchOnUriPrefix, such as http-fallback's own
 * {@code platform-http:/}) are left out, or every path would be known.
 */
public class HttpFallback {

    private static final Pattern PARAMETER = Pattern.compile("\\{[^/}]*}");

    /** A path template's pattern, by template: a {name} stands for one path segment. */
    private final Map<String, Pattern> templates = new ConcurrentHashMap<>();

    public void answer(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, "", String.class);
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, "", String.class);
        String full = path.startsWith("/") ? path : uri.replaceAll("\\?.*$", "");
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, "", String.class);
        if (isKnown(exchange.getContext(), full)) {
            throw new EngagementFailure(ErrorCode.METHOD_NOT_ALLOWED, method + " is not allowed on " + full);
        }
        throw new EngagementFailure(ErrorCode.NOT_FOUND, "No endpoint " + method + " " + full
                + "; see the README for the API (POST /engagements, GET /engagements/{id}, GET /approvals, ...)");
    }

    /** Whether a started platform-http route, other than a catch-all, serves this path (with some method). */
    boolean isKnown(CamelContext context, String path) {
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint() instanceof PlatformHttpEndpoint endpoint && !endpoint.isMatchOnUriPrefix()
                    && context.getRouteController().getRouteStatus(route.getRouteId()) == ServiceStatus.Started
                    && templates.computeIfAbsent(endpoint.getPath(), HttpFallback::compile).matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    /** {@code /engagements/{id}/events} as {@code \Q/engagements/\E[^/]+\Q/events\E}. */
    static Pattern compile(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher parameter = PARAMETER.matcher(template);
        int literalStart = 0;
        while (parameter.find()) {
            regex.append(Pattern.quote(template.substring(literalStart, parameter.start()))).append("[^/]+");
            literalStart = parameter.end();
        }
        return Pattern.compile(regex.append(Pattern.quote(template.substring(literalStart))).toString());
    }
}
