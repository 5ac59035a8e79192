package dev.engagement.gateway.http;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
 * Answers requests no API route took: 405 with an Allow header on a known path with another method,
 * else 404. The known paths are those of the platform-http routes Camel has started (routes/*.yaml),
 * so they follow the routes without a list to keep in step; catch-alls (matchOnUriPrefix, such as
 * http-fallback's own {@code platform-http:/}) are left out, or every path would be known. A path a
 * route names literally is that route's alone: {@code /engagements/batch} is not also an {@code {id}}.
 */
public class HttpFallback {

    /** The exchange property with the Allow header's value of a 405 (HttpReplies writes it). */
    public static final String ALLOW = "gateway.allow";

    private static final Set<String> EVERY_METHOD = Set.of("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT");

    private static final Pattern PARAMETER = Pattern.compile("\\{[^/}]*}");

    /** A path template's pattern, by template: a {name} stands for one path segment. */
    private final Map<String, Pattern> templates = new ConcurrentHashMap<>();

    public void answer(Exchange exchange) {
        String path = exchange.getMessage().getHeader(Exchange.HTTP_PATH, "", String.class);
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, "", String.class);
        String full = path.startsWith("/") ? path : uri.replaceAll("\\?.*$", "");
        String method = exchange.getMessage().getHeader(Exchange.HTTP_METHOD, "", String.class);
        Set<String> allowed = allowedMethods(exchange.getContext(), full);
        if (!allowed.isEmpty()) {
            exchange.setProperty(ALLOW, String.join(", ", allowed));
            throw new EngagementFailure(ErrorCode.METHOD_NOT_ALLOWED, method + " is not allowed on " + full);
        }
        throw new EngagementFailure(ErrorCode.NOT_FOUND, "No endpoint " + method + " " + full
                + "; see the README for the API (POST /engagements, GET /engagements/{id}, GET /approvals, ...)");
    }

    /** The methods the started platform-http routes, other than catch-alls, serve on this path; none when it is unknown. */
    Set<String> allowedMethods(CamelContext context, String path) {
        Set<String> byTemplate = new TreeSet<>();
        Set<String> literal = new TreeSet<>();
        for (Route route : context.getRoutes()) {
            if (route.getEndpoint() instanceof PlatformHttpEndpoint endpoint && !endpoint.isMatchOnUriPrefix()
                    && context.getRouteController().getRouteStatus(route.getRouteId()) == ServiceStatus.Started
                    && templates.computeIfAbsent(endpoint.getPath(), HttpFallback::compile).matcher(path).matches()) {
                Set<String> into = endpoint.getPath().equals(path) ? literal : byTemplate;
                String methods = endpoint.getHttpMethodRestrict();
                into.addAll(methods == null ? EVERY_METHOD : Arrays.stream(methods.split(",")).map(String::trim).toList());
            }
        }
        return literal.isEmpty() ? byTemplate : literal;
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
