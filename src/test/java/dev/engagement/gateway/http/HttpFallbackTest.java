package dev.engagement.gateway.http;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.engagement.gateway.contract.EngagementFailure;
import dev.engagement.gateway.contract.ErrorCode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The fallback knows the paths from the routes Camel has, not from a list: paths no API route has,
 * a route that is not started, and the catch-all route itself. No server: the routes' platform-http
 * consumers are stand-ins (the HTTP side is RefusalsTest's and BatchSubmissionTest's).
 */
class HttpFallbackTest {

    private static CamelContext context;

    @BeforeAll
    static void startRoutes() throws Exception {
        context = new DefaultCamelContext();
        context.getRegistry().bind("platform-http-engine", new StandInEngine());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("platform-http:/widgets/{id}/parts?httpMethodRestrict=GET").routeId("widget-parts").log("parts");
                from("platform-http:/files/{name}.txt?httpMethodRestrict=GET").routeId("text-files").log("file");
                from("platform-http:/files/{name}.txt?httpMethodRestrict=DELETE,PUT").routeId("text-files-changed").log("file");
                from("platform-http:/gizmos/{id}?httpMethodRestrict=GET").routeId("gizmo").log("gizmo");
                from("platform-http:/gizmos/new?httpMethodRestrict=POST").routeId("new-gizmo").log("new");
                from("platform-http:/gadgets?httpMethodRestrict=POST").routeId("gadgets").autoStartup(false).log("gadgets");
                from("platform-http:/?matchOnUriPrefix=true").routeId("catch-all").log("fallback");
            }
        });
        context.start();
    }

    @AfterAll
    static void stopRoutes() {
        context.stop();
    }

    @Test
    void aPathOfAStartedRouteIsAllowedOtherMethodsAndAnyOtherPathIsNotFound() {
        assertEquals(ErrorCode.METHOD_NOT_ALLOWED, answer("DELETE", "/widgets/7/parts"));
        assertEquals(ErrorCode.METHOD_NOT_ALLOWED, answer("POST", "/widgets/w-8.x/parts"));
        assertEquals(ErrorCode.METHOD_NOT_ALLOWED, answer("PUT", "/files/readme.txt"));
        // a {name} is exactly one non-empty segment, and the rest of the template is literal
        assertEquals(ErrorCode.NOT_FOUND, answer("DELETE", "/widgets/7/8/parts"));
        assertEquals(ErrorCode.NOT_FOUND, answer("DELETE", "/widgets//parts"));
        assertEquals(ErrorCode.NOT_FOUND, answer("DELETE", "/widgets/7"));
        assertEquals(ErrorCode.NOT_FOUND, answer("DELETE", "/widgets/7/parts/"));
        assertEquals(ErrorCode.NOT_FOUND, answer("PUT", "/files/readmeXtxt"));
        // the catch-all does not make every path known
        assertEquals(ErrorCode.NOT_FOUND, answer("GET", "/nope"));
        assertEquals(ErrorCode.NOT_FOUND, answer("GET", "/"));
    }

    @Test
    void aMethodNotAllowedNamesTheMethodsThatAre() {
        assertEquals("DELETE, GET, PUT", allowHeader("POST", "/files/readme.txt"));
        assertEquals("GET", allowHeader("POST", "/widgets/7/parts"));
        assertEquals("GET", allowHeader("DELETE", "/gizmos/7"));
        // a path a route names literally is its alone, not also a {id}
        assertEquals("POST", allowHeader("GET", "/gizmos/new"));
    }

    @Test
    void aRouteThatIsNotStartedServesNoPath() throws Exception {
        assertEquals(ErrorCode.NOT_FOUND, answer("GET", "/gadgets"));
        context.getRouteController().startRoute("gadgets");
        try {
            assertEquals(ErrorCode.METHOD_NOT_ALLOWED, answer("GET", "/gadgets"));
        } finally {
            context.getRouteController().stopRoute("gadgets");
        }
        assertEquals(ErrorCode.NOT_FOUND, answer("GET", "/gadgets"));
    }

    private static ErrorCode answer(String method, String path) {
        return assertThrows(EngagementFailure.class, () -> new HttpFallback().answer(request(method, path))).code();
    }

    private static String allowHeader(String method, String path) {
        Exchange exchange = request(method, path);
        assertEquals(ErrorCode.METHOD_NOT_ALLOWED, assertThrows(EngagementFailure.class, () -> new HttpFallback().answer(exchange)).code());
        return exchange.getProperty(HttpFallback.ALLOW, String.class);
    }

    private static Exchange request(String method, String path) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, method);
        exchange.getMessage().setHeader(Exchange.HTTP_PATH, path);
        return exchange;
    }

    /** Consumers that serve nothing: what the fallback reads is the routes' endpoints. */
    private static final class StandInEngine implements PlatformHttpEngine {
        @Override
        public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
            return new StandInConsumer(endpoint, processor);
        }

        @Override
        public String getScheme() {
            return "http";
        }

        @Override
        public int getServerPort() {
            return 0;
        }
    }

    private static final class StandInConsumer extends DefaultConsumer implements PlatformHttpConsumer {
        StandInConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
            super(endpoint, processor);
        }

        @Override
        public PlatformHttpEndpoint getEndpoint() {
            return (PlatformHttpEndpoint) super.getEndpoint();
        }
    }
}
